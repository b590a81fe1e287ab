// The offline clustering (cluster.ts) over one event's neighbourhood: the record, and every live
// record of the masters it has match-band evidence for. The stream decides in arrival order, so a
// weak link taken early (a WeChat follower's 王伟 · 五支部 against a register row's …第五支部)
// stays, and the person's own records, arriving later with an ID number, are refused by the master
// it sits in. The offline core takes links strongest first and would have refused the weak one
// instead. When the stream refuses a union, batch-decide.ts asks this what the offline core would
// make of the neighbourhood — every pair scored, strongest first, the same ID and contradiction
// guards — and follows it: the record's cluster may take records out of a master they were joined
// to by weaker evidence than what now ties them to the record.
import { clusterRecords, type Edge } from '../cluster.ts';
import { competeEdges, type ScoredPair } from '../compete-edges.ts';
import { contradictedBy } from '../contradiction.ts';
import type { Model } from '../model.ts';
import type { NormalisedRecord } from '../normalise/index.ts';
import { scorePair } from '../score.ts';
import { refusedUnion } from '../system-overlap.ts';

export interface Node { readonly key: string; readonly normalised: NormalisedRecord }

export interface Neighbourhood {
  /** Keys of the records clustered with the first node (the event's record), itself included. */
  readonly cluster: ReadonlySet<string>;
  /** The record's strongest match-band pair inside its cluster (null: it is alone). */
  readonly deciding: { readonly via: string; readonly weight: number; readonly rule: string | null } | null;
}

/**
 * Clusters `nodes` (the event's record first) as the offline core would; `apart` says which
 * record pairs a steward keeps apart (never joined, whatever the evidence).
 */
export function clusterNeighbourhood(model: Model, given: readonly Node[], apart: (a: string, b: string) => boolean): Neighbourhood {
  // In record-key order: equal weights are taken in an order that does not favour the event's record.
  const self = given[0]!.key;
  const nodes = [...given].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const x = nodes.findIndex((r) => r.key === self);
  const n = nodes.length;
  const matched: Edge[] = [];
  const possible: ScoredPair[] = [];
  const rules = new Map<number, string>();
  const against = new Set<number>();
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const s = scorePair(model, nodes[i]!.normalised, nodes[j]!.normalised);
      if (s.band === 'match') matched.push({ i, j, weight: s.weight });
      else if (s.band === 'possible') possible.push({ i, j, weight: s.weight });
      if ((i === x || j === x) && s.rule.decision === 'match') rules.set(i === x ? j : i, s.rule.rule);
      if (contradictedBy(s) || apart(nodes[i]!.key, nodes[j]!.key)) against.add(i * n + j);
    }
  }
  // As in the offline core: an edge a competitor of different identity outweighs is no edge.
  const normalised = nodes.map((x) => x.normalised);
  const { kept: edges } = competeEdges(model, normalised, matched, possible);
  const c = clusterRecords(normalised, edges, {
    contradicts: (i, j) => against.has(Math.min(i, j) * n + Math.max(i, j)),
    maxChecks: Number.MAX_SAFE_INTEGER,
    refusesUnion: refusedUnion(model, normalised),
  });
  const root = c.clusterOf[x]!;
  const cluster = new Set(nodes.filter((_x, i) => c.clusterOf[i] === root).map((x) => x.key));
  let deciding: Neighbourhood['deciding'] = null;
  for (const e of edges) {
    if (e.i !== x && e.j !== x) continue;
    const other = e.i === x ? e.j : e.i;
    if (c.clusterOf[other] !== root) continue;
    const via = nodes[other]!.key;
    if (deciding === null || e.weight > deciding.weight || (e.weight === deciding.weight && via < deciding.via)) deciding = { via, weight: e.weight, rule: rules.get(other) ?? null };
  }
  return { cluster, deciding };
}
