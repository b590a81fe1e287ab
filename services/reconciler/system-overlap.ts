// A person is seldom twice in one source system: one register row, one OA login. How seldom is
// in the data: the system-pair priors (estimate.ts fitSystemPriors) give two records of one system
// λ ≈ 2^-22 where a register row and an OA login get 2^-16. A pair's weight is taken against the
// prior of its own two systems; but a union of two clusters that both hold a record of one system
// also claims that person has two records there, so it is weighed against that system's own prior
// instead (the lowest, where several systems overlap). Two namesakes, each with an OA login, then
// stay apart unless more than their names ties them. The offline clustering and the streaming
// reconciler ask this one question (cluster.ts, stream/batch-decide.ts, stream/neighbourhood.ts).
import type { Edge } from './cluster.ts';
import { pairPrior, type Model } from './model.ts';
import type { NormalisedRecord } from './normalise/index.ts';

/** Why a union is weighed against a same-system prior: the systems both sides hold and the two priors. */
export interface UnionOverlap {
  /** The source systems both sides hold a record of, sorted. */
  readonly systems: readonly string[];
  /** The prior the link x–y was scored with (its own two systems). */
  readonly linkPrior: number;
  /** The prior the union is weighed with: the lowest of linkPrior and the shared systems' own. */
  readonly prior: number;
  /** The link's weight with `prior` in place of `linkPrior`. */
  readonly weight: number;
}

/**
 * The overlap of `mine` (x's side) and `theirs` (y's side) as it bears on the link x–y (weight as
 * scored by scorePair): null where the sides share no system, or for a rule's ±∞.
 */
export function unionOverlap(model: Model, weight: number, x: NormalisedRecord, y: NormalisedRecord, mine: Iterable<NormalisedRecord>, theirs: Iterable<NormalisedRecord>): UnionOverlap | null {
  if (!Number.isFinite(weight)) return null;
  const ours = new Set<string>();
  for (const r of mine) if (r.system !== null) ours.add(r.system);
  // Most unions share no system: nothing more is allocated for them.
  let shared: Set<string> | null = null;
  for (const r of theirs) if (r.system !== null && ours.has(r.system)) (shared ??= new Set()).add(r.system);
  if (shared === null) return null;
  const linkPrior = pairPrior(model, x.system, y.system);
  const prior = Math.min(linkPrior, ...[...shared].map((s) => pairPrior(model, s, s)));
  return { systems: [...shared].sort(), linkPrior, prior, weight: weight - linkPrior + prior };
}

/**
 * The weight of the link x–y as evidence that `mine` and `theirs` are one person (unionOverlap's,
 * or the link's own where the sides share no system).
 */
export function unionWeight(model: Model, weight: number, x: NormalisedRecord, y: NormalisedRecord, mine: Iterable<NormalisedRecord>, theirs: Iterable<NormalisedRecord>): number {
  return unionOverlap(model, weight, x, y, mine, theirs)?.weight ?? weight;
}

/** clusterRecords' `refusesUnion` over these records: the union's weight below the match threshold. */
export function refusedUnion(model: Model, records: readonly NormalisedRecord[]) {
  return (e: Edge, a: readonly number[], b: readonly number[]): boolean =>
    unionWeight(model, e.weight, records[e.i]!, records[e.j]!, a.map((i) => records[i]!), b.map((i) => records[i]!)) < model.config.thresholds.match;
}
