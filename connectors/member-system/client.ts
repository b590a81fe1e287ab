// HTTP client for the member system's open API. Server faults and timeouts are retried with
// exponential backoff and jitter; an expired token is refreshed once; a short rate-limit wait is
// slept through, a long one thrown as RetryAfterError so the runner can stop and resume later.
import { NonRetriableError, RetriableError, RetryAfterError } from '../../schemas/errors.ts';
import { retry } from '../retry.ts';
import type { NativeRow } from './fields.ts';

export interface MemberSystemClientOptions {
  readonly baseUrl: string;
  readonly appKey: string;
  readonly appSecret: string;
  readonly timeoutMs?: number;
  /** Attempts per call for faults and timeouts (default 6). */
  readonly attempts?: number;
  readonly backoffMs?: number;
  /** Longest rate-limit wait slept through inside the call (default 5 s). */
  readonly maxWaitMs?: number;
}

export interface ChangesPage {
  /** Feed items: the export's fields plus 修改时间 and 操作类型 (ChangeItem), as JSON gave them. */
  readonly items: NativeRow[];
  readonly nextCursor: string | null;
  readonly hasMore: boolean;
}

/** A page of the 党组织 list (org-fields.ts names the columns). */
export interface OrgsPage {
  readonly items: NativeRow[];
  readonly total: number;
  readonly pageNo: number;
  readonly pageSize: number;
}

export interface ChangesQuery {
  readonly modifiedSince?: string;
  readonly cursor?: string;
  readonly pageSize: number;
}

/** The system answered with a business code retrying cannot fix (bad credentials, bad cursor …). */
export class MemberSystemApiError extends NonRetriableError {
  readonly code: number;
  constructor(code: number, msg: string, path: string) {
    super(`member system ${path}: code ${code} ${msg}`, { rule: `member-system API code ${code}: ${msg}` });
    this.code = code;
  }
}

interface Envelope<T> {
  code: number;
  msg?: string;
  data?: T;
}

export class MemberSystemClient {
  readonly #o: Required<MemberSystemClientOptions>;
  #token: { value: string; until: number } | null = null;

  constructor(options: MemberSystemClientOptions) {
    this.#o = { timeoutMs: 10_000, attempts: 6, backoffMs: 200, maxWaitMs: 5_000, ...options, baseUrl: options.baseUrl.replace(/\/+$/u, '') };
  }

  async token(signal?: AbortSignal): Promise<string> {
    if (this.#token && this.#token.until > Date.now()) return this.#token.value;
    const data = await this.#call<{ token: string; expiresIn: number }>('POST', '/api/v1/auth/token', { appKey: this.#o.appKey, appSecret: this.#o.appSecret }, false, signal);
    // Renew a minute early (or at half-life for short tokens) so a page never rides an expiring token.
    this.#token = { value: data.token, until: Date.now() + Math.max(0, data.expiresIn * 1000 - Math.min(60_000, data.expiresIn * 500)) };
    return data.token;
  }

  async changes(q: ChangesQuery, signal?: AbortSignal): Promise<ChangesPage> {
    const params = new URLSearchParams({ pageSize: String(q.pageSize) });
    if (q.cursor) params.set('cursor', q.cursor);
    else if (q.modifiedSince) params.set('modifiedSince', q.modifiedSince);
    const data = await this.#call<ChangesPage>('GET', `/api/v1/members/changes?${params.toString()}`, undefined, true, signal);
    if (!data || !Array.isArray(data.items)) throw new RetriableError('member system: change feed answered without data.items');
    return { items: data.items, nextCursor: data.nextCursor ?? null, hasMore: data.hasMore === true };
  }

  async orgs(pageNo: number, pageSize: number, signal?: AbortSignal): Promise<OrgsPage> {
    const params = new URLSearchParams({ pageNo: String(pageNo), pageSize: String(pageSize) });
    const data = await this.#call<OrgsPage>('GET', `/api/v1/orgs?${params.toString()}`, undefined, true, signal);
    if (!data || !Array.isArray(data.items) || typeof data.total !== 'number') throw new RetriableError('member system: org list answered without data.items/total');
    return { items: data.items, total: data.total, pageNo: Number(data.pageNo ?? pageNo), pageSize: Number(data.pageSize ?? pageSize) };
  }

  async #call<T>(method: string, path: string, body: unknown, authed: boolean, signal?: AbortSignal): Promise<T> {
    return retry(async () => this.#once<T>(method, path, body, authed ? await this.token(signal) : null, signal), {
      attempts: this.#o.attempts, backoffMs: this.#o.backoffMs, jitter: [0.5, 1.5], maxWaitMs: this.#o.maxWaitMs, maxWaits: this.#o.attempts, signal,
      renewAuth: (err) => {
        if (!authed || !(err instanceof MemberSystemApiError) || err.code !== 401) return false;
        this.#token = null;
        return true;
      },
    });
  }

  /** One exchange: the data, or RetriableError / RetryAfterError / MemberSystemApiError for retry() to sort. */
  async #once<T>(method: string, path: string, body: unknown, token: string | null, signal?: AbortSignal): Promise<T> {
    const timeout = AbortSignal.timeout(this.#o.timeoutMs);
    const headers: Record<string, string> = { accept: 'application/json' };
    if (token) headers.authorization = `Bearer ${token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    let res: Response;
    let parsed: Envelope<T> | undefined;
    try {
      res = await fetch(`${this.#o.baseUrl}${path}`, {
        method, headers, body: body === undefined ? undefined : JSON.stringify(body),
        signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
      });
      parsed = (await res.json().catch(() => undefined)) as Envelope<T> | undefined;
    } catch (err) {
      if (signal?.aborted) throw signal.reason;
      const what = timeout.aborted ? `timed out after ${this.#o.timeoutMs} ms` : String(err);
      throw new RetriableError(`member system ${path}: ${what}`, { cause: err });
    }
    const code = typeof parsed?.code === 'number' ? parsed.code : res.status >= 500 ? res.status : -1;
    const msg = parsed?.msg ?? res.statusText;
    if (res.status >= 500 || code >= 500) throw new RetriableError(`member system ${path}: HTTP ${res.status} code ${code} ${msg}`);
    if (code === 0 && res.ok) return parsed!.data as T;
    // An expired token: #call drops it and tries once more, or throws this when that is spent.
    if (code === 401) throw new MemberSystemApiError(401, msg, path);
    if (code === 429 || res.status === 429) {
      const data = parsed?.data as { retryAfter?: unknown } | undefined;
      const seconds = Number(data?.retryAfter ?? res.headers.get('retry-after') ?? 60);
      throw new RetryAfterError(`member system rate limit: code 429 ${msg} (retry after ${seconds} s)`, (Number.isFinite(seconds) ? seconds : 60) * 1000);
    }
    throw new MemberSystemApiError(code, `${msg} (HTTP ${res.status})`, path);
  }
}
