// Why a pair went to a steward, in the words of the decision that sent it, stored with the review
// item: the explanation (explain.ts) recomputes from the masters as they stand when someone asks,
// and by then either master may have changed. Five decisions send a pair to review.
import type { Model } from '../model.ts';
import type { UnionOverlap } from '../system-overlap.ts';

const bits = (w: number) => w.toFixed(2);

/** Its weight lies between the two thresholds. */
export function betweenThresholds(model: Model, weight: number): string {
  const t = model.config.thresholds;
  return `weight ${bits(weight)} between possible ${t.possible} and match ${t.match}`;
}

/** A match on its own, but both masters hold a record of one system, whose own prior it fails (system-overlap.ts). */
export function sameSystemUnion(model: Model, weight: number, o: UnionOverlap): string {
  return `weight ${bits(weight)} ≥ match, but both masters hold a record of ${o.systems.join(', ')}: ` +
    `prior ${bits(o.prior)} in place of ${bits(o.linkPrior)} gives ${bits(o.weight)} < match ${model.config.thresholds.match}`;
}

/** A match on its own, sharing the record's odds with a master that cannot be the same person (competing.ts). */
export function competing(model: Model, weight: number): string {
  return `weight ${bits(weight)} ≥ match, but the record's odds are shared with another master that cannot be the same person: below match ${model.config.thresholds.match}`;
}

/** A match whose union would leave a master with two valid ID numbers, or records that contradict (contradiction.ts). */
export function refusedUnion(twoIds: boolean): string {
  return twoIds ? 'the union would give one master two valid ID numbers' : 'a record of one master contradicts a record of the other';
}

/** Left apart when the record's neighbourhood was decided again after a refused union (neighbourhood.ts). */
export const LEFT_APART = 'left apart when the neighbourhood was decided again after a refused union';
