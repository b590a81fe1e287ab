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

/**
 * The weight of the link x–y (scored by scorePair) as evidence that `mine` (x's side) and `theirs`
 * (y's side) are one person. Unchanged for a rule's ±∞ and where the two sides share no system.
 */
export function unionWeight(model: Model, weight: number, x: NormalisedRecord, y: NormalisedRecord, mine: Iterable<NormalisedRecord>, theirs: Iterable<NormalisedRecord>): number {
  if (!Number.isFinite(weight)) return weight;
  const ours = new Set<string>();
  for (const r of mine) if (r.system !== null) ours.add(r.system);
  let lowest = Number.POSITIVE_INFINITY;
  for (const r of theirs) if (r.system !== null && ours.has(r.system)) lowest = Math.min(lowest, pairPrior(model, r.system, r.system));
  return lowest === Number.POSITIVE_INFINITY ? weight : weight - pairPrior(model, x.system, y.system) + Math.min(lowest, pairPrior(model, x.system, y.system));
}

/** clusterRecords' `refusesUnion` over these records: the union's weight below the match threshold. */
export function refusedUnion(model: Model, records: readonly NormalisedRecord[]) {
  return (e: Edge, a: readonly number[], b: readonly number[]): boolean =>
    unionWeight(model, e.weight, records[e.i]!, records[e.j]!, a.map((i) => records[i]!), b.map((i) => records[i]!)) < model.config.thresholds.match;
}
