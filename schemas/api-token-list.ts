// Who may use the hub's API, and how: a list of `person:token` or `person:role:token` entries,
// from YIBIAO_API_TOKENS or from the file YIBIAO_API_TOKENS_FILE names (the `_FILE` convention of
// container secrets). A `reader` may only read; a `steward` may also act, and an entry that names
// no role is a steward, as every token was before roles. Only each token's SHA-256 digest is kept
// once parsed, so the configuration object, a heap dump or a log of the config never holds a
// usable token; the API compares digests in constant time. An entry may give that digest itself
// (`{sha256}<hex>`), so the list need not hold usable tokens either.
import { createHash } from 'node:crypto';
import { FileLocationError, readFileText } from './file-error.ts';

/**
 * What a token may do, least first: `reader` sees the unified data (GET), `steward` also acts
 * (steward decisions, org aliases, syncs, repair scans). Each role may do all the ones before it.
 */
export const API_ROLES = ['reader', 'steward'] as const;
export type ApiRole = (typeof API_ROLES)[number];
/** The role of an entry that names none: the full rights every token had before roles. */
export const DEFAULT_ROLE: ApiRole = 'steward';

export function mayActAs(held: ApiRole, needed: ApiRole): boolean {
  return API_ROLES.indexOf(held) >= API_ROLES.indexOf(needed);
}

export interface ApiTokenHolder {
  /** Who acts with this token: recorded as the steward of every decision made with it. */
  readonly person: string;
  readonly role: ApiRole;
  /** SHA-256 of the token. */
  readonly digest: Buffer;
  /** The last day the token may be used (`until YYYY-MM-DD`, Beijing time); absent: no end. */
  readonly until?: string;
  /** The moment it stops working: the end of that day in Beijing time (UTC+8). */
  readonly expiresAt?: Date;
}

/** RFC 6750's b64token: what may follow `Bearer ` (base64, base64url and hex tokens all fit). */
export const BEARER_TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/u;
export const MIN_TOKEN_LENGTH = 16;
const MAX_TOKEN_LENGTH = 512;
/** As long as the steward names the API used to accept in request bodies. */
const MAX_PERSON_LENGTH = 100;

export function tokenDigest(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}

/** A list entry that cannot be used: the nth entry (1-based, blanks not counted) on the given line. */
export class TokenListError extends Error {
  readonly entry: number;
  readonly line: number;
  constructor(where: { entry: number; line: number }, message: string) {
    super(message);
    this.name = 'TokenListError';
    this.entry = where.entry;
    this.line = where.line;
  }
}

/**
 * Parses the list. Entries are separated by newlines or commas; blank ones and `#` comment lines
 * are skipped. The token follows the last `:` (tokens have none); with two colons or more the
 * role stands between the last two, so a name that holds a colon must write its role out
 * (`组织部:李:steward:<token>`), and an unknown role stops start-up rather than granting anything.
 * An entry may end with `until YYYY-MM-DD`: the token works through that day (Beijing time) and
 * is refused after it, for people who need access for a while (an auditor, an inspection).
 * Messages name the entry and the person but never echo a token.
 */
export function parseTokenList(text: string): ApiTokenHolder[] {
  const holders: ApiTokenHolder[] = [];
  const seen = new Map<string, { entry: number; line: number; person: string }>();
  const lines = text.replace(/^\uFEFF/u, '').split(/\r?\n/u);
  let entry = 0;
  for (const [i, line] of lines.entries()) {
    if (line.trimStart().startsWith('#')) continue;
    for (const written of line.split(',')) {
      if (written.trim() === '') continue;
      const at = { entry: ++entry, line: i + 1 };
      // `… until 2027-06-30`: tokens hold no spaces, so the words after the token are this.
      const ends = UNTIL.exec(written);
      const item = ends ? written.slice(0, ends.index) : written;
      const colon = item.lastIndexOf(':');
      if (colon < 0) throw new TokenListError(at, 'expected person:token or person:role:token (the person, a colon, then the token)');
      const roleColon = item.lastIndexOf(':', colon - 1);
      const person = item.slice(0, roleColon < 0 ? colon : roleColon).trim();
      const token = item.slice(colon + 1).trim();
      if (person === '') throw new TokenListError(at, 'the person before the colon is empty');
      if (person.length > MAX_PERSON_LENGTH) throw new TokenListError(at, `the person's name is longer than ${MAX_PERSON_LENGTH} characters`);
      if (/\p{Cc}/u.test(person)) throw new TokenListError(at, `${person}: the name holds a control character`);
      const role = roleColon < 0 ? DEFAULT_ROLE : roleOf(item.slice(roleColon + 1, colon).trim(), person, at);
      const digest = token.startsWith(DIGEST_PREFIX) ? digestOf(token.slice(DIGEST_PREFIX.length), person, at) : plainToken(token, person, at);
      const key = digest.toString('hex');
      const before = seen.get(key);
      // One token, two people: whoever used it, the record could not say who it was.
      if (before) throw new TokenListError(at, `${person}: the same token as ${before.person} (entry ${before.entry}, line ${before.line}); every person needs a token of their own`);
      seen.set(key, { ...at, person });
      holders.push({ person, role, digest, ...(ends ? expiry(ends[1]!, person, at) : {}) });
    }
  }
  if (holders.length === 0) throw new TokenListError({ entry: 0, line: 1 }, 'lists no token; expected person:token entries');
  return holders;
}

const UNTIL = /\s+until\s+(\S*)\s*$/u;
/** China has one time zone; a token's last day ends at midnight there, wherever the hub's clock is set. */
const BEIJING_OFFSET_MS = 8 * 3_600_000;

function expiry(date: string, person: string, at: { entry: number; line: number }): { until: string; expiresAt: Date } {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/u.exec(date);
  const [y, mo, d] = m ? [Number(m[1]), Number(m[2]), Number(m[3])] : [NaN, NaN, NaN];
  const day = new Date(Date.UTC(y, mo - 1, d));
  if (!m || day.getUTCFullYear() !== y || day.getUTCMonth() !== mo - 1 || day.getUTCDate() !== d) {
    // Anything as long as a token is not shown, in case it is one.
    const shown = date.length < MIN_TOKEN_LENGTH ? `"${date}"` : `(${date.length} characters, not shown)`;
    throw new TokenListError(at, `${person}: after "until" expected the token's last day as YYYY-MM-DD (e.g. until 2027-06-30), got ${shown}`);
  }
  return { until: date, expiresAt: new Date(Date.UTC(y, mo - 1, d + 1) - BEIJING_OFFSET_MS) };
}

/**
 * An entry may give the token's SHA-256 instead of the token (`person:role:{sha256}<64 hex>`), so
 * the file or variable itself holds nothing a request could use. `{` is outside RFC 6750's token
 * alphabet, so the prefix cannot be mistaken for the start of a token.
 */
export const DIGEST_PREFIX = '{sha256}';

function digestOf(hex: string, person: string, at: { entry: number; line: number }): Buffer {
  if (!/^[0-9a-fA-F]{64}$/u.test(hex)) throw new TokenListError(at, `${person}: after ${DIGEST_PREFIX} expected the token's SHA-256 as 64 hex digits (make one with: printf %s "$TOKEN" | sha256sum)`);
  return Buffer.from(hex, 'hex');
}

function plainToken(token: string, person: string, at: { entry: number; line: number }): Buffer {
  if (token.length < MIN_TOKEN_LENGTH) throw new TokenListError(at, `${person}: the token is shorter than ${MIN_TOKEN_LENGTH} characters (make one with: openssl rand -base64 32)`);
  if (token.length > MAX_TOKEN_LENGTH) throw new TokenListError(at, `${person}: the token is longer than ${MAX_TOKEN_LENGTH} characters`);
  if (!BEARER_TOKEN.test(token)) throw new TokenListError(at, `${person}: the token may hold only letters, digits and - . _ ~ + / (then = padding)`);
  return tokenDigest(token);
}

function roleOf(text: string, person: string, at: { entry: number; line: number }): ApiRole {
  const role = API_ROLES.find((r) => r === text);
  if (role) return role;
  // A role is a short word; anything as long as a token is not shown, in case it is one.
  const shown = text.length < MIN_TOKEN_LENGTH ? `"${text}"` : `(${text.length} characters, not shown)`;
  throw new TokenListError(at, `${person}: unknown role ${shown}; expected ${API_ROLES.join(' or ')} as person:role:token (a name holding a colon needs its role written out)`);
}

export class TokenFileError extends FileLocationError {
  override readonly name = 'TokenFileError';
}

/** The file's entries, one a line; a problem names the file and the line (never the token). */
export function readTokenFile(file: string): ApiTokenHolder[] {
  const text = readFileText(file, TokenFileError);
  try {
    return parseTokenList(text);
  } catch (err) {
    if (!(err instanceof TokenListError)) throw err;
    throw new TokenFileError(file, err.message, { row: err.line });
  }
}
