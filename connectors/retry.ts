// The one retry loop the connectors' HTTP clients share. A try that throws RetriableError (what a
// client calls transient: 5xx, timeouts, dropped connections …) is tried again after an
// exponential backoff with jitter, up to a bound; a RetryAfterError with a short wait is slept
// through and a long one thrown, so the runner can stop and resume later; an auth error may be
// repaired once by dropping the token; anything else is final. The clients differ only in what
// they throw for which answer and in the numbers and callbacks they hand in here.
import { RetriableError, RetryAfterError } from '../schemas/errors.ts';

export interface RetryOptions {
  /** Tries in all, the first included, for transient faults. */
  readonly attempts: number;
  /** Backoff ceiling after the first failure; it doubles per failure up to maxBackoffMs. */
  readonly backoffMs: number;
  readonly maxBackoffMs?: number;
  /** The share of the ceiling a backoff is drawn from, uniformly: [0, 1] is full jitter. */
  readonly jitter: readonly [number, number];
  /** Rate-limit waits up to this long are slept through here; a longer one is thrown. */
  readonly maxWaitMs: number;
  /**
   * How many short rate-limit waits one call sleeps through before it throws the next; or
   * 'as-failures': each wait then counts as a failed try and is followed by the backoff.
   */
  readonly maxWaits: number | 'as-failures';
  /** Drops the token when `err` says it was refused and answers true; the call is then tried again at once, once per call. */
  readonly renewAuth?: (err: unknown) => boolean;
  /** What to throw when the tries run out; default the last error. */
  readonly exhausted?: (last: Error, attempts: number) => Error;
  readonly signal?: AbortSignal;
  readonly random?: () => number;
}

// Errors a retry loop has already given up on. A client whose call fetches a token through a
// retried call of its own would otherwise try that fetch attempts × attempts times.
const settled = new WeakSet<object>();

/**
 * An HTTP Retry-After header (RFC 9110 §10.2.3: seconds, or an HTTP date) in milliseconds from
 * now; absent or unreadable, one second.
 */
export function retryAfterHeaderMs(value: string | null): number {
  if (value === null) return 1_000;
  const text = value.trim();
  if (/^\d+(\.\d+)?$/u.test(text)) return Number(text) * 1_000;
  const at = Date.parse(text);
  return Number.isNaN(at) ? 1_000 : Math.max(0, at - Date.now());
}

/** Calls `attempt` (told how many tries failed so far) until it returns or the options say stop. */
export async function retry<T>(attempt: (failures: number) => Promise<T>, o: RetryOptions): Promise<T> {
  try {
    return await loop(attempt, o);
  } catch (err) {
    if (typeof err === 'object' && err !== null) settled.add(err);
    throw err;
  }
}

async function loop<T>(attempt: (failures: number) => Promise<T>, o: RetryOptions): Promise<T> {
  let failures = 0;
  let waits = 0;
  let renewed = false;
  for (;;) {
    o.signal?.throwIfAborted();
    let err: unknown;
    try {
      return await attempt(failures);
    } catch (e) {
      err = e;
    }
    o.signal?.throwIfAborted();
    if (settled.has(err as object)) throw err; // has() answers false for a primitive
    if (!renewed && o.renewAuth?.(err) === true) {
      renewed = true;
      continue;
    }
    if (err instanceof RetryAfterError) {
      const counted = o.maxWaits === 'as-failures';
      if (err.retryAfterMs > o.maxWaitMs || (!counted && ++waits > o.maxWaits)) throw err;
      await sleep(err.retryAfterMs, o.signal);
      if (!counted) continue;
    } else if (!(err instanceof RetriableError)) {
      throw err;
    }
    if (++failures >= o.attempts) throw (o.exhausted ?? lastError)(err, failures);
    await sleep(backoffMs(failures, o), o.signal);
  }
}

/** The wait before the next try after `failures` failed ones. */
function backoffMs(failures: number, o: Pick<RetryOptions, 'backoffMs' | 'maxBackoffMs' | 'jitter' | 'random'>): number {
  const ceiling = Math.min(o.maxBackoffMs ?? Infinity, o.backoffMs * 2 ** (failures - 1));
  const [low, high] = o.jitter;
  return ceiling * (low + (o.random ?? Math.random)() * (high - low));
}

// A rate-limit wait already slept through is no reason to wait again: what is left is a fault
// that did not pass.
function lastError(last: Error): Error {
  return last instanceof RetryAfterError ? new RetriableError(last.message, { cause: last }) : last;
}

/** Resolves after `ms`; on abort rejects with the caller's reason rather than a generic AbortError. */
function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason as Error);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason as Error);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
