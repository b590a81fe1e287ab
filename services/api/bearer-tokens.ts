// Which person holds a bearer token, and in which role. The configured list (YIBIAO_API_TOKENS or
// its _FILE) when there is one; otherwise a token made for this run alone, so a fresh `npm start`
// is usable at once (the start-up log shows it) and the API is still never open to whoever can
// reach it. That token is a steward's: whoever started the hub may do everything with it.
// A list in a file is read again when the file changes, so taking a token away (a person leaves,
// a token leaks) needs no restart.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { Logger } from 'pino';
import { readTokenFile, tokenDigest, type ApiRole, type ApiTokenHolder } from '../../schemas/api-token-list.ts';
import type { Config } from '../../schemas/config.ts';
import { TokenFileWatch } from './token-file-watch.ts';

/** Who acts with the token made for a run without configured tokens. */
export const ONE_TIME_PERSON = '临时管理员';

export interface TokenHolder {
  readonly person: string;
  readonly role: ApiRole;
  /** Set when the entry's last day (`until`) has passed: the token is known but no longer works. */
  readonly expiredAfter?: string;
}

export interface BearerTokens {
  /** Who holds `token` and in which role (and whether it has expired by `now`), or null. */
  holder(token: string, now?: Date): TokenHolder | null;
  /** The token made for this run when none are configured (for the start-up log), else null. */
  readonly oneTime: string | null;
}

export interface BearerTokenOptions {
  readonly logger: Pick<Logger, 'info' | 'error'>;
  /** How often at most the token file is looked at again (default 1 s). */
  readonly recheckMs?: number;
}

export function bearerTokens(config: Pick<Config, 'YIBIAO_API_TOKENS' | 'YIBIAO_API_TOKENS_FILE'>, o: BearerTokenOptions): BearerTokens {
  if (config.YIBIAO_API_TOKENS) {
    const listed = config.YIBIAO_API_TOKENS;
    return { holder: (token, now) => holderOf(listed, token, now), oneTime: null };
  }
  if (config.YIBIAO_API_TOKENS_FILE) {
    const { file, holders } = config.YIBIAO_API_TOKENS_FILE;
    const watch = new TokenFileWatch(file, holders, readTokenFile, o.logger, o.recheckMs ?? 1000);
    return { holder: (token, now) => holderOf(watch.current(), token, now), oneTime: null };
  }
  const token = randomBytes(32).toString('base64url');
  const holders: ApiTokenHolder[] = [{ person: ONE_TIME_PERSON, role: 'steward', digest: tokenDigest(token) }];
  return { holder: (t) => holderOf(holders, t), oneTime: token };
}

/**
 * Compares digests, not tokens: equal lengths for timingSafeEqual whatever was sent, and no
 * early exit, so the time taken says neither how much of a token matched nor which entry did.
 */
function holderOf(holders: readonly ApiTokenHolder[], token: string, now = new Date()): TokenHolder | null {
  const digest = tokenDigest(token);
  let found: ApiTokenHolder | null = null;
  for (const h of holders) {
    if (timingSafeEqual(h.digest, digest) && found === null) found = h;
  }
  if (found === null) return null;
  const expired = found.expiresAt !== undefined && now.getTime() >= found.expiresAt.getTime();
  return { person: found.person, role: found.role, ...(expired ? { expiredAfter: found.until! } : {}) };
}
