// One HTTP exchange with the OA, retried: 5xx, timeouts and dropped connections back off
// exponentially with full jitter; a 429 waits its Retry-After when that is short and otherwise
// surfaces as RetryAfterError so the runner stops and resumes later. Anything else is final.
import type { Logger } from 'pino';
import { NonRetriableError, RetriableError, RetryAfterError } from '../../schemas/errors.ts';
import { retry, retryAfterHeaderMs } from '../retry.ts';

export interface HttpOptions {
  readonly baseUrl: string;
  /** Per attempt. Default 15 s. */
  readonly timeoutMs?: number;
  /** Attempts after the first. Default 5. */
  readonly retries?: number;
  /** First backoff ceiling; doubles per attempt up to maxBackoffMs. Default 200 ms. */
  readonly backoffMs?: number;
  readonly maxBackoffMs?: number;
  /** Longest Retry-After waited here rather than thrown. Default 5 s. */
  readonly maxWaitMs?: number;
  readonly logger?: Pick<Logger, 'warn'>;
}

export interface HttpRequest {
  readonly method: 'GET' | 'POST';
  readonly path: string;
  readonly headers?: Record<string, string>;
  readonly query?: Record<string, string>;
  readonly body?: unknown;
}

export async function requestJson(options: HttpOptions, req: HttpRequest, signal?: AbortSignal): Promise<unknown> {
  const url = new URL(req.path, options.baseUrl);
  for (const [k, v] of Object.entries(req.query ?? {})) url.searchParams.set(k, v);
  const what = `OA ${req.method} ${req.path}`;
  return retry((attempt) => exchange(options, req, url, what, attempt, signal), {
    attempts: (options.retries ?? 5) + 1, backoffMs: options.backoffMs ?? 200, maxBackoffMs: options.maxBackoffMs ?? 5000, jitter: [0, 1],
    maxWaitMs: options.maxWaitMs ?? 5000, maxWaits: 'as-failures', signal,
    exhausted: (last, attempts) => new RetriableError(
      `${what}: still failing after ${attempts} attempts (${last instanceof RetryAfterError ? `rate limited for ${last.retryAfterMs} ms` : last.message})`,
    ),
  });
}

// One try. A transient problem is thrown as RetriableError saying only what went wrong: it leaves
// requestJson solely inside the message of its "still failing" error.
async function exchange(options: HttpOptions, req: HttpRequest, url: URL, what: string, attempt: number, signal?: AbortSignal): Promise<unknown> {
  const timeout = AbortSignal.timeout(options.timeoutMs ?? 15_000);
  let res: Response;
  try {
    res = await fetch(url, {
      method: req.method,
      headers: { ...(req.body === undefined ? {} : { 'content-type': 'application/json; charset=utf-8' }), ...req.headers },
      ...(req.body === undefined ? {} : { body: JSON.stringify(req.body) }),
      signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
    });
  } catch (err) {
    if (signal?.aborted) throw signal.reason as Error;
    const problem = timeout.aborted ? `timed out after ${options.timeoutMs ?? 15_000} ms` : `connection failed: ${(err as Error).message}`;
    options.logger?.warn({ attempt, url: url.pathname }, `${what}: ${problem}`);
    throw new RetriableError(problem, { cause: err });
  }
  const text = await res.text().catch(() => '');
  if (res.status === 429) throw new RetryAfterError(`${what}: rate limited (HTTP 429) ${text.slice(0, 200)}`, retryAfterHeaderMs(res.headers.get('retry-after')));
  if (res.status >= 500) {
    const problem = `HTTP ${res.status} ${text.slice(0, 200)}`;
    options.logger?.warn({ attempt, status: res.status }, `${what}: ${problem}`);
    throw new RetriableError(problem);
  }
  if (res.status >= 400) throw new NonRetriableError(`${what}: HTTP ${res.status} ${text.slice(0, 200)}`, { rule: `OA answered HTTP ${res.status}` });
  try {
    return JSON.parse(text) as unknown;
  } catch {
    // A body cut off in transit reads as broken JSON; the next attempt usually gets all of it.
    throw new RetriableError(`unreadable JSON body (${text.length} bytes)`);
  }
}
