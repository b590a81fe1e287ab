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
  /**
   * Converted from a 15-digit first-generation number: its check character was computed here, not
   * typed, so a typo in it goes undetected and the converted number is "valid" but someone else's.
   */
  readonly legacy: boolean;
  /** Encoded birth date and gender; only trusted (non-null) when the number is valid. */
  readonly birthDate: string | null;
  readonly gender: '男' | '女' | null;
}

const NONE: NormalisedId = { valid: null, digits: null, problem: null, birthDate: null, gender: null, legacy: false };

export function normaliseId(raw: string | undefined | null): NormalisedId {
  if (raw == null || raw.trim() === '') return NONE;
  const n = normalizeIdNumber(raw).toUpperCase();
  const parsed = parseIdNumber(n);
  const digits = /^\d{17}[\dX]$/u.test(n) ? n : /^\d{15}$/u.test(n) ? convert15to18(n) : null;
  const legacy = /^\d{15}$/u.test(n);
  if (parsed.ok) {
    return { valid: parsed.id, digits: parsed.id, problem: null, birthDate: birthDateOf(parsed.id), gender: genderOf(parsed.id), legacy };
  }
  return { valid: null, digits, problem: parsed.problem, birthDate: null, gender: null, legacy };
}

/**
 * Two ID numbers one typo apart, where a typo is what MOD 11-2 catches on a typed 18-digit number:
 * one character wrong, or two adjacent characters swapped. A number converted from 15 digits has a
 * computed check character, so against it one typo in the first 17 counts whatever the last.
 */
export function oneIdTypo(a: string, b: string, legacy: boolean): boolean {
  if (a.length !== b.length || a.length !== 18) return false;
  const [bodyA, bodyB] = [a.slice(0, 17), b.slice(0, 17)];
  const check = a.charAt(17) !== b.charAt(17);
  if (bodyA === bodyB) return check;
  return oneKeystroke(bodyA, bodyB) && (!check || legacy);
}

/** Equally long and one keystroke apart: one position differs, or two adjacent ones are swapped. */
export function oneKeystroke(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  const diff: number[] = [];
  for (let i = 0; i < a.length && diff.length <= 2; i++) if (a.charCodeAt(i) !== b.charCodeAt(i)) diff.push(i);
  if (diff.length === 1) return true;
  const [p, q] = diff;
  return diff.length === 2 && q === p! + 1 && a.charAt(p!) === b.charAt(q) && a.charAt(q) === b.charAt(p!);
}

/** Positions at which two equally long strings differ. */
export function hamming(a: string, b: string): number {
  if (a.length !== b.length) return Number.POSITIVE_INFINITY;
  let d = 0;
  for (let i = 0; i < a.length; i++) if (a.charCodeAt(i) !== b.charCodeAt(i)) d++;
  return d;
}
