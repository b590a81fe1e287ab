// The offline matching pipeline: normalise → block → estimate → score → cluster. The streaming
// reconciler calls the same pieces one record at a time; this runs them over a whole batch.
import { CandidateIndex } from './blocking.ts';
import { contradicts } from './contradiction.ts';
import { clusterRecords, type Clustering, type Edge } from './cluster.ts';
import { competeEdges } from './compete-edges.ts';
import { estimateModel, type TopicCounts } from './estimate.ts';
import { tfTables } from './term-frequencies.ts';
import type { Model } from './model.ts';
import { DEFAULT_MODEL_CONFIG, type ModelConfig } from './model-config.ts';
import { normaliseObservation, type NormalisedRecord, type ObservationPayload } from './normalise/index.ts';
import { scorePair, type PairScore } from './score.ts';
import { refusedUnion } from './system-overlap.ts';

export interface BatchResult {
  readonly records: readonly NormalisedRecord[];
  readonly model: Model;
  readonly candidatePairs: number;
  readonly overfullBlocks: number;
  /** Scored pairs in the review band (between the thresholds). */
  readonly possible: ReadonlyArray<{ i: number; j: number; score: PairScore }>;
  readonly matches: number;
  readonly clustering: Clustering;
}

/**
 * The model's first estimate (m, u, priors; TF counted per ID or account): what matchBatch starts
 * from, and all a caller needs when it brings term frequencies of its own (stream/model-store.ts).
 * `topic`: counts from beyond `input` (estimate.ts TopicCounts).
 */
export function estimateOnce(input: ReadonlyArray<{ ref: string; payload: ObservationPayload }>, config: ModelConfig = DEFAULT_MODEL_CONFIG, topic?: TopicCounts) {
  const records = input.map((r) => normaliseObservation(r.payload, r.ref));
  const index = new CandidateIndex(config.blocking);
  records.forEach((r, i) => index.add(i, r));
  const pairs = index.pairs();
  return { records, pairs, index, model: estimateModel(config, records, pairs, topic) };
}

export function matchBatch(
  input: ReadonlyArray<{ ref: string; payload: ObservationPayload }>,
  config: ModelConfig = DEFAULT_MODEL_CONFIG,
): BatchResult {
  const { records, pairs, index, model: first } = estimateOnce(input, config);
  const pass1 = scoreAndCluster(first, records, pairs);
  // Second pass: term frequencies counted over the first pass's clusters (people) instead of over
  // records linked only by ID or account, so a person's unlinked records don't make their own
  // name look common.
  const model: Model = { ...first, tf: tfTables(config, records, (i) => String(pass1.clustering.clusterOf[i])) };
  const pass2 = scoreAndCluster(model, records, pairs);
  return { records, model, candidatePairs: pairs.length, overfullBlocks: index.overfullBlocks(), possible: pass2.possible, matches: pass2.matches, clustering: pass2.clustering };
}

function scoreAndCluster(model: Model, records: readonly NormalisedRecord[], pairs: ReadonlyArray<readonly [number, number]>) {
  const matched: Array<Edge & { score: PairScore }> = [];
  const possible: Array<{ i: number; j: number; score: PairScore }> = [];
  for (const [i, j] of pairs) {
    const s = scorePair(model, records[i]!, records[j]!);
    if (s.band === 'match') matched.push({ i, j, weight: s.weight, score: s });
    else if (s.band === 'possible') possible.push({ i, j, score: s });
  }
  // Rules (±∞) never compete; a beaten edge is a review pair, as in the stream.
  const { kept: edges, lost } = competeEdges(model, records, matched, possible.map((p) => ({ i: p.i, j: p.j, weight: p.score.weight })));
  for (const e of lost) possible.push({ i: e.i, j: e.j, score: e.score });
  const contradictsPair = (i: number, j: number) => contradicts(model, records[i]!, records[j]!);
  const refusesUnion = refusedUnion(model, records);
  return { possible, edges, matches: edges.length, clustering: clusterRecords(records, edges, { contradicts: contradictsPair, refusesUnion }) };
}
