// Chinese resident identity numbers (公民身份号码, GB 11643-1999): 6-digit region code (GB/T 2260),
// 8-digit birth date, 3-digit sequence (odd = male, even = female), 1 check character computed
// with ISO 7064 MOD 11-2. First-generation cards (before 1999) carry 15 digits: a 6-digit birth
// date without the century and no check character. Shared by the generator and the reconciler.

/** Weight of position i is 2^(17-i) mod 11. */
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const CHECK_CHARS = '10X98765432';

export type IdProblem = 'format' | 'birth-date' | 'checksum';
export type IdCheck = { ok: true; id: string } | { ok: false; problem: IdProblem };

/** The check character for the first 17 digits. Throws if they are not 17 ASCII digits. */
export function checkDigit(first17: string): string {
  if (!/^\d{17}$/.test(first17)) throw new Error(`checkDigit needs 17 digits, got "${first17}"`);
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += (first17.charCodeAt(i) - 48) * (WEIGHTS[i] ?? 0);
  return CHECK_CHARS.charAt(sum % 11);
}

/**
 * NFKC (full-width digits and Ｘ become ASCII), drops whitespace and separators people type
 * inside numbers, upper-cases x. Does not validate.
 */
export function normalizeIdNumber(raw: string): string {
  return raw.normalize('NFKC').replace(/[\s\-_.·]/gu, '').replace(/x$/u, 'X');
}

function validDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  const d = new Date(Date.UTC(year, month - 1, day));
  return d.getUTCFullYear() === year && d.getUTCMonth() === month - 1 && d.getUTCDate() === day;
}

/** Checks an 18-character number exactly as given (no normalisation). */
export function checkIdNumber18(id: string): IdCheck {
  if (!/^\d{17}[\dX]$/.test(id)) return { ok: false, problem: 'format' };
  const year = Number(id.slice(6, 10));
  if (year < 1800 || !validDate(year, Number(id.slice(10, 12)), Number(id.slice(12, 14)))) {
    return { ok: false, problem: 'birth-date' };
  }
  if (checkDigit(id.slice(0, 17)) !== id.charAt(17)) return { ok: false, problem: 'checksum' };
  return { ok: true, id };
}

export function isValidIdNumber(id: string): boolean {
  return checkIdNumber18(id).ok;
}

/** A 15-digit first-generation number → its 18-digit form (century 19, check digit added). */
export function convert15to18(id15: string): string {
  if (!/^\d{15}$/.test(id15)) throw new Error(`convert15to18 needs 15 digits, got "${id15}"`);
  const first17 = `${id15.slice(0, 6)}19${id15.slice(6)}`;
  return first17 + checkDigit(first17);
}

/** The 15-digit form an 18-digit number had on a first-generation card (born 1900–1999 only). */
export function convert18to15(id18: string): string {
  if (!/^\d{6}19\d{9}[\dX]$/.test(id18)) throw new Error(`only 18-digit numbers of people born 19xx have a 15-digit form: "${id18}"`);
  return id18.slice(0, 6) + id18.slice(8, 17);
}

/**
 * Normalises, converts a 15-digit number, and validates. Returns the canonical 18-digit number
 * with upper-case X, or why it is not one.
 */
export function parseIdNumber(raw: string): IdCheck {
  const id = normalizeIdNumber(raw);
  if (/^\d{15}$/.test(id)) {
    if (!validDate(1900 + Number(id.slice(6, 8)), Number(id.slice(8, 10)), Number(id.slice(10, 12)))) {
      return { ok: false, problem: 'birth-date' };
    }
    return { ok: true, id: convert15to18(id) };
  }
  return checkIdNumber18(id);
}

/** Convenience: the canonical 18-digit number, or null. */
export function toIdNumber18(raw: string): string | null {
  const r = parseIdNumber(raw);
  return r.ok ? r.id : null;
}

function digitsOf(id: string): string | null {
  const n = normalizeIdNumber(id);
  if (/^\d{17}[\dX]$/.test(n)) return n;
  if (/^\d{15}$/.test(n)) return convert15to18(n);
  return null;
}

/** Birth date as YYYY-MM-DD from an 18- or 15-digit number (not checksum-validated), or null. */
export function birthDateOf(id: string): string | null {
  const n = digitsOf(id);
  if (n === null) return null;
  const y = Number(n.slice(6, 10));
  const m = Number(n.slice(10, 12));
  const d = Number(n.slice(12, 14));
  return validDate(y, m, d) ? `${n.slice(6, 10)}-${n.slice(10, 12)}-${n.slice(12, 14)}` : null;
}

/** 男 when the sequence's last digit (17th of 18, 15th of 15) is odd, 女 when even; null if not a number. */
export function genderOf(id: string): '男' | '女' | null {
  const n = digitsOf(id);
  if (n === null) return null;
  return (n.charCodeAt(16) - 48) % 2 === 1 ? '男' : '女';
}

/** The 6-digit GB/T 2260 region code where the number was issued, or null. */
export function regionCodeOf(id: string): string | null {
  const n = digitsOf(id);
  return n === null ? null : n.slice(0, 6);
}
