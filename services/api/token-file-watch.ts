// The token list of YIBIAO_API_TOKENS_FILE as it is now: looked at again at most once per
// interval, when a request needs it, so an edit (a token taken away or added) holds from the next
// request on without a restart, and an idle hub does no work. A file that cannot be used (missing,
// unreadable, an entry refused) keeps the list that was last good, and says why in the log once:
// a typo while revoking one person must not lock every steward out, and the error is loud enough
// to be seen. Nothing here ever logs a token, only persons and roles.
import type { Logger } from 'pino';
import type { ApiTokenHolder } from '../../schemas/api-token-list.ts';

const fingerprint = (h: ApiTokenHolder) => `${h.person}\u0000${h.role}\u0000${h.digest.toString('hex')}\u0000${h.until ?? ''}`;

export class TokenFileWatch {
  #holders: readonly ApiTokenHolder[];
  #checkedAt = performance.now();
  #lastError: string | null = null;
  readonly #file: string;
  readonly #read: (file: string) => ApiTokenHolder[];
  readonly #logger: Pick<Logger, 'info' | 'error'>;
  readonly #recheckMs: number;

  constructor(file: string, holders: readonly ApiTokenHolder[], read: (file: string) => ApiTokenHolder[], logger: Pick<Logger, 'info' | 'error'>, recheckMs: number) {
    this.#file = file;
    this.#holders = holders;
    this.#read = read;
    this.#logger = logger;
    this.#recheckMs = recheckMs;
  }

  /** The holders now: the file read again if the interval has passed since the last look. */
  current(): readonly ApiTokenHolder[] {
    const now = performance.now();
    if (now - this.#checkedAt < this.#recheckMs) return this.#holders;
    this.#checkedAt = now;
    let next: ApiTokenHolder[];
    try {
      next = this.#read(this.#file);
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      if (message !== this.#lastError) this.#logger.error({ file: this.#file, err: message }, `API token file unusable, the previous list stays in force: ${message}`);
      this.#lastError = message;
      return this.#holders;
    }
    this.#lastError = null;
    const before = new Set(this.#holders.map(fingerprint));
    const after = new Set(next.map(fingerprint));
    if (before.size === after.size && [...after].every((f) => before.has(f))) return this.#holders;
    const names = (list: readonly ApiTokenHolder[], not: ReadonlySet<string>) => list.filter((h) => !not.has(fingerprint(h))).map((h) => `${h.person} (${h.role})`);
    const added = names(next, before);
    const removed = names(this.#holders, after);
    this.#logger.info({ file: this.#file, entries: next.length, added, removed }, `API tokens read again from ${this.#file}: ${next.length} entries; new or changed: ${added.join(', ') || '—'}; gone or changed: ${removed.join(', ') || '—'}`);
    this.#holders = next;
    return next;
  }
}
