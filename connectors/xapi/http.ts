// One GET against the LRS with the retry policy every call shares: 5xx, 408, timeouts and network
// failures are retried with exponential backoff and jitter up to a bound; a 429 is waited out
// when its Retry-After is short and surfaces as RetryAfterError when it is not, so the runner can
// stop and resume later; any other answer throws XapiError with the LRS's status and message.
import { NonRetriableError, RetriableError, RetryAfterError } from '../../schemas/errors.ts';
import { retry, retryAfterHeaderMs } from '../retry.ts';

export interface RetryPolicy {
  /** Attempts after the first for 5xx/timeouts/network errors. */
  readonly maxRetries: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /** A Retry-After up to this long is waited out in place; longer ones throw RetryAfterError. */
  readonly maxWaitMs: number;
  readonly timeoutMs: number;
  readonly random: () => number;
}

export const DEFAULT_RETRY: RetryPolicy = {
  maxRetries: 5, baseDelayMs: 200, maxDelayMs: 5_000, maxWaitMs: 5_000, timeoutMs: 30_000, random: Math.random,
};

/** A refusal from the LRS that retrying cannot fix (400, 401, 403, 404 …). */
export class XapiError extends NonRetriableError {
  readonly status: number;
  readonly errorId: string | undefined;
  constructor(status: number, message: string, errorId?: string) {
    super(message, { rule: `xAPI LRS HTTP ${status}` });
    this.status = status;
    this.errorId = errorId;
  }
}

// Short waits repeated without end would hide a quota that never frees up.
const MAX_QUOTA_WAITS = 20;

export interface JsonResponse {
  readonly body: unknown;
  readonly headers: Headers;
}

async function errorMessage(res: Response): Promise<{ message: string; errorId?: string }> {
  const text = await res.text().catch(() => '');
  try {
    const body = JSON.parse(text) as { message?: unknown; errorId?: unknown };
    if (typeof body.message === 'string') return { message: body.message, errorId: typeof body.errorId === 'string' ? body.errorId : undefined };
  } catch {
    // not JSON: LRSs differ, some answer errors in plain text
  }
  return { message: text.slice(0, 300) || res.statusText };
}

export async function getJson(url: string, headers: Record<string, string>, policy: RetryPolicy, signal?: AbortSignal): Promise<JsonResponse> {
  const what = `GET ${new URL(url).pathname}`;
  return retry(() => getOnce(url, headers, policy, what, signal), {
    attempts: policy.maxRetries + 1, backoffMs: policy.baseDelayMs, maxBackoffMs: policy.maxDelayMs, jitter: [0.5, 1],
    maxWaitMs: policy.maxWaitMs, maxWaits: MAX_QUOTA_WAITS, random: policy.random, signal,
    exhausted: (last, attempts) => new RetriableError(`xAPI LRS: ${what} still failing after ${attempts} attempts: ${last.message}`),
  });
}

// One try. A transient problem is thrown as RetriableError saying only what went wrong: getJson
// names the request when it gives up.
async function getOnce(url: string, headers: Record<string, string>, policy: RetryPolicy, what: string, signal?: AbortSignal): Promise<JsonResponse> {
  const timeout = AbortSignal.timeout(policy.timeoutMs);
  let res: Response;
  try {
    res = await fetch(url, { headers, signal: signal ? AbortSignal.any([signal, timeout]) : timeout });
  } catch (err) {
    if (signal?.aborted) throw signal.reason;
    throw new RetriableError(timeout.aborted ? `no answer within ${policy.timeoutMs} ms` : err instanceof Error ? `${err.message}${err.cause instanceof Error ? ` (${err.cause.message})` : ''}` : String(err), { cause: err });
  }
  if (res.ok) {
    try {
      return { body: await res.json(), headers: res.headers };
    } catch (err) {
      if (signal?.aborted) throw signal.reason;
      throw new RetriableError(`broken response body: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    }
  }
  const { message, errorId } = await errorMessage(res);
  if (res.status === 429) {
    const wait = retryAfterHeaderMs(res.headers.get('retry-after'));
    throw new RetryAfterError(`xAPI LRS: ${what} rate-limited (429: ${message}); retry in ${Math.ceil(wait / 1000)} s`, wait);
  }
  if (res.status >= 500 || res.status === 408) throw new RetriableError(`HTTP ${res.status}: ${message}`);
  throw new XapiError(res.status, `xAPI LRS: ${what} answered ${res.status}: ${message}`, errorId);
}
