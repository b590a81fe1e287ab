// A cluster claims every pair in it is one person, so a union is refused when a record of one
// side contradicts a record of the other: the never rule, or one comparison at ≤ −10 bits (≥ 1000
// : 1 against a match: different birth date, gender, ID number, name), whatever the others say.
// Rules decide first, so two records sharing a valid ID number or an account never contradict.
// The offline pipeline and the streaming reconciler both ask this one question.
import type { Model } from './model.ts';
import type { NormalisedRecord } from './normalise/index.ts';
import { scorePair, type PairScore } from './score.ts';

export const CONTRADICTION_BITS = -10;

export function contradicts(model: Model, x: NormalisedRecord, y: NormalisedRecord): boolean {
  return contradictedBy(scorePair(model, x, y));
}

/** The same question on a pair already scored. */
export function contradictedBy(s: PairScore): boolean {
  return s.rule.decision === 'never' || (s.rule.decision === 'undecided' && s.contributions.some((c) => c.weight <= CONTRADICTION_BITS));
}
