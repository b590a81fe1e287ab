// Deterministic rules, applied before any probability. They encode what an ID number and a
// system account mean, not what the data happen to show.
import { oneIdTypo, type NormalisedRecord } from './normalise/index.ts';

export type RuleOutcome =
  | { readonly decision: 'match'; readonly rule: 'same-valid-id' | 'same-account' }
  | { readonly decision: 'never'; readonly rule: 'different-valid-ids' }
  | { readonly decision: 'undecided' };

/** The keys a rule matches two records on: the valid ID number, each system account. */
export function ruleKeys(r: NormalisedRecord): string[] {
  return r.idNumber === null ? [...r.accounts] : [`id:${r.idNumber}`, ...r.accounts];
}

/**
 * Same valid ID number → the same person. Two different VALID numbers → never the same person:
 * a typed number with one wrong digit fails MOD 11-2 (it detects every single substitution), so
 * a valid-vs-invalid pair is not a contradiction and is left to the probabilistic model.
 * One account (openid, learner account, OA login) belongs to one person.
 */
export function applyRules(a: NormalisedRecord, b: NormalisedRecord): RuleOutcome {
  if (a.idNumber !== null && b.idNumber !== null) {
    if (a.idNumber === b.idNumber) return { decision: 'match', rule: 'same-valid-id' };
    // A number typed in 15 digits gets its check character computed, so one typo in it still
    // converts to a valid number: one typo apart from the other is not proof of two people.
    if (!((a.idLegacy || b.idLegacy) && oneIdTypo(a.idNumber, b.idNumber, true))) return { decision: 'never', rule: 'different-valid-ids' };
  }
  if (a.accounts.length > 0 && b.accounts.length > 0 && a.accounts.some((x) => b.accounts.includes(x))) {
    return { decision: 'match', rule: 'same-account' };
  }
  return { decision: 'undecided' };
}
