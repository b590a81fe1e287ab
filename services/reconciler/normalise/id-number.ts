// ID numbers through schemas/id-number.ts (the one implementation shared with the generator).
// What the reconciler adds: keep an invalid number's 18 characters, because a number with one
// wrong digit is still strong evidence once other fields agree, and cross-check the birth date
// and gender the number encodes against the ones the source states.
import { birthDateOf, convert15to18, genderOf, normalizeIdNumber, parseIdNumber, type IdProblem } from '../../../schemas/id-number.ts';

export interface NormalisedId {
  /** Canonical 18-digit number when valid (15-digit numbers converted); else null. */
  readonly valid: string | null;
  /** The 18 characters as given (after NFKC/upper-case and 15→18) even when invalid; null if not 15/18 long. */
  readonly digits: string | null;
  readonly problem: IdProblem | null;
  /** Encoded birth date and gender; only trusted (non-null) when the number is valid. */
  readonly birthDate: string | null;
  readonly gender: '男' | '女' | null;
}

const NONE: NormalisedId = { valid: null, digits: null, problem: null, birthDate: null, gender: null };

export function normaliseId(raw: string | undefined | null): NormalisedId {
  if (raw == null || raw.trim() === '') return NONE;
  const n = normalizeIdNumber(raw).toUpperCase();
  const parsed = parseIdNumber(n);
  const digits = /^\d{17}[\dX]$/u.test(n) ? n : /^\d{15}$/u.test(n) ? convert15to18(n) : null;
  if (parsed.ok) {
    return { valid: parsed.id, digits: parsed.id, problem: null, birthDate: birthDateOf(parsed.id), gender: genderOf(parsed.id) };
  }
  return { valid: null, digits, problem: parsed.problem, birthDate: null, gender: null };
}

/** Positions at which two equally long strings differ. */
export function hamming(a: string, b: string): number {
  if (a.length !== b.length) return Number.POSITIVE_INFINITY;
  let d = 0;
  for (let i = 0; i < a.length; i++) if (a.charCodeAt(i) !== b.charCodeAt(i)) d++;
  return d;
}
