// Who may use the hub's API: a list of `person:token` entries, from YIBIAO_API_TOKENS or from the
// file YIBIAO_API_TOKENS_FILE names (the `_FILE` convention of container secrets). Only each
// token's SHA-256 digest is kept once parsed, so the configuration object, a heap dump or a log
// of the config never holds a usable token; the API compares digests in constant time.
import { createHash } from 'node:crypto';
import { FileLocationError, readFileText } from './file-error.ts';

export interface ApiTokenHolder {
  /** Who acts with this token: recorded as the steward of every decision made with it. */
  readonly person: string;
  /** SHA-256 of the token. */
  readonly digest: Buffer;
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
 * are skipped. The token follows the last `:`, since tokens have none and a name might. Messages
 * name the entry and the person but never echo a token.
 */
export function parseTokenList(text: string): ApiTokenHolder[] {
  const holders: ApiTokenHolder[] = [];
  const seen = new Map<string, { entry: number; line: number; person: string }>();
  const lines = text.replace(/^\uFEFF/u, '').split(/\r?\n/u);
  let entry = 0;
  for (const [i, line] of lines.entries()) {
    if (line.trimStart().startsWith('#')) continue;
    for (const item of line.split(',')) {
      if (item.trim() === '') continue;
      const at = { entry: ++entry, line: i + 1 };
      const colon = item.lastIndexOf(':');
      if (colon < 0) throw new TokenListError(at, 'expected person:token (the person, a colon, then the token)');
      const person = item.slice(0, colon).trim();
      const token = item.slice(colon + 1).trim();
      if (person === '') throw new TokenListError(at, 'the person before the colon is empty');
      if (person.length > MAX_PERSON_LENGTH) throw new TokenListError(at, `the person's name is longer than ${MAX_PERSON_LENGTH} characters`);
      if (/\p{Cc}/u.test(person)) throw new TokenListError(at, `${person}: the name holds a control character`);
      if (token.length < MIN_TOKEN_LENGTH) throw new TokenListError(at, `${person}: the token is shorter than ${MIN_TOKEN_LENGTH} characters (make one with: openssl rand -base64 32)`);
      if (token.length > MAX_TOKEN_LENGTH) throw new TokenListError(at, `${person}: the token is longer than ${MAX_TOKEN_LENGTH} characters`);
      if (!BEARER_TOKEN.test(token)) throw new TokenListError(at, `${person}: the token may hold only letters, digits and - . _ ~ + / (then = padding)`);
      const digest = tokenDigest(token);
      const key = digest.toString('hex');
      const before = seen.get(key);
      // One token, two people: whoever used it, the record could not say who it was.
      if (before) throw new TokenListError(at, `${person}: the same token as ${before.person} (entry ${before.entry}, line ${before.line}); every person needs a token of their own`);
      seen.set(key, { ...at, person });
      holders.push({ person, digest });
    }
  }
  if (holders.length === 0) throw new TokenListError({ entry: 0, line: 1 }, 'lists no token; expected person:token entries');
  return holders;
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
