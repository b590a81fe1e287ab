// HTTP client for the WeChat official-account API and the mini-program binding feed. Bounded
// retries with exponential backoff and full jitter for 5xx, timeouts and errcode -1; one token
// refresh for 40001/42001; quota errcodes wait for the reset, or throw RetryAfterError when the
// reset is further away than `maxQuotaWaitMs` so the runner can stop and come back.
import { RetriableError, RetryAfterError } from '../../schemas/errors.ts';
import { retry } from '../retry.ts';
import { WechatApiError } from './errors.ts';
import {
  BATCHGET_LIMIT, ERR, isWechatError,
  type BatchGetResponse, type BindingsResponse, type TagsResponse, type TokenResponse, type UserGetResponse,
} from './protocol.ts';

export interface WechatClientOptions {
  readonly baseUrl: string;
  readonly appid: string;
  readonly secret: string;
  /** `token` (GET /cgi-bin/token) or `stable` (POST /cgi-bin/stable_token). Default stable. */
  readonly tokenMode?: 'token' | 'stable';
  readonly bindingsKey?: string;
  readonly timeoutMs?: number;
  /** Retries after the first attempt for transient failures. Default 5. */
  readonly maxRetries?: number;
  readonly backoffBaseMs?: number;
  readonly backoffMaxMs?: number;
  /** Quota resets further away than this throw RetryAfterError instead of waiting. Default 5 s. */
  readonly maxQuotaWaitMs?: number;
  readonly signal?: AbortSignal;
  readonly now?: () => number;
}

const MINUTE = 60_000;
const DAY = 86_400_000;
const CST = 8 * 3_600_000;

/** Milliseconds until a WeChat quota resets: the next clock minute, or 00:00 China Standard Time. */
export function quotaResetMs(errcode: number, now: number): number {
  if (errcode === ERR.minuteQuota) return MINUTE - (now % MINUTE) + 1000;
  return DAY - ((now + CST) % DAY) + 1000;
}

export class WechatClient {
  private readonly o: Required<Omit<WechatClientOptions, 'signal' | 'bindingsKey'>> & Pick<WechatClientOptions, 'signal' | 'bindingsKey'>;
  private cached: { token: string; refreshAt: number } | undefined;
  /** Tokens fetched by this client, for tests and logs. */
  tokensFetched = 0;

  constructor(options: WechatClientOptions) {
    this.o = {
      tokenMode: 'stable', timeoutMs: 10_000, maxRetries: 5, backoffBaseMs: 200, backoffMaxMs: 5_000, maxQuotaWaitMs: 5_000, now: Date.now,
      ...options,
      baseUrl: options.baseUrl.replace(/\/+$/, ''),
    };
  }

  async userGet(nextOpenid: string, signal?: AbortSignal): Promise<UserGetResponse> {
    return this.api<UserGetResponse>('user/get', { next_openid: nextOpenid }, undefined, signal);
  }

  async batchGet(openids: readonly string[], signal?: AbortSignal): Promise<BatchGetResponse> {
    if (openids.length === 0 || openids.length > BATCHGET_LIMIT) throw new RangeError(`batchget takes 1–${BATCHGET_LIMIT} openids, got ${openids.length}`);
    return this.api<BatchGetResponse>('user/info/batchget', {}, { user_list: openids.map((openid) => ({ openid, lang: 'zh_CN' })) }, signal);
  }

  async tags(signal?: AbortSignal): Promise<TagsResponse> {
    return this.api<TagsResponse>('tags/get', {}, undefined, signal);
  }

  async bindings(since: string, limit: number, signal?: AbortSignal): Promise<BindingsResponse> {
    const url = `${this.o.baseUrl}/miniprogram/bindings?${new URLSearchParams({ since, limit: String(limit) }).toString()}`;
    return this.retrying(async () => {
      const body = await this.send(url, { headers: { 'x-api-key': this.o.bindingsKey ?? '' } }, signal);
      return this.interpret<BindingsResponse>('miniprogram/bindings', body);
    }, signal);
  }

  /** A valid access token, fetched when there is none or it is about to expire. */
  async token(signal?: AbortSignal): Promise<string> {
    return this.retrying(() => this.currentToken(signal), signal);
  }

  private async currentToken(signal: AbortSignal | undefined): Promise<string> {
    if (this.cached !== undefined && this.cached.refreshAt > this.o.now()) return this.cached.token;
    const base = `${this.o.baseUrl}/cgi-bin`;
    const body = this.o.tokenMode === 'token'
      ? await this.send(`${base}/token?${new URLSearchParams({ grant_type: 'client_credential', appid: this.o.appid, secret: this.o.secret }).toString()}`, {}, signal)
      : await this.send(`${base}/stable_token`, jsonPost({ grant_type: 'client_credential', appid: this.o.appid, secret: this.o.secret, force_refresh: false }), signal);
    const t = this.interpret<TokenResponse>(this.o.tokenMode === 'token' ? 'token' : 'stable_token', body);
    this.tokensFetched++;
    // Refresh a little early so a token never expires between our check and WeChat's.
    const margin = Math.min(300, t.expires_in / 10) * 1000;
    this.cached = { token: t.access_token, refreshAt: this.o.now() + t.expires_in * 1000 - margin };
    return t.access_token;
  }

  private async api<T>(path: string, query: Record<string, string>, body: unknown, signal: AbortSignal | undefined): Promise<T> {
    return this.retrying(async () => {
      const token = await this.currentToken(signal);
      const url = `${this.o.baseUrl}/cgi-bin/${path}?${new URLSearchParams({ access_token: token, ...query }).toString()}`;
      const res = await this.send(url, body === undefined ? {} : jsonPost(body), signal);
      if (isWechatError(res) && (res.errcode === ERR.invalidCredential || res.errcode === ERR.tokenExpired)) throw new TokenRefused(path, res.errcode, res.errmsg);
      return this.interpret<T>(path, res);
    }, signal, (err) => {
      if (!(err instanceof TokenRefused)) return false;
      this.cached = undefined;
      return true;
    });
  }

  /** Turns a WeChat answer into its data or the typed error its errcode means. */
  private interpret<T>(what: string, body: unknown): T {
    if (!isWechatError(body)) return body as T;
    const { errcode, errmsg } = body;
    if (errcode === ERR.busy) throw new RetriableError(`wechat ${what}: errcode -1: ${errmsg}`);
    // retrying() sleeps through a reset within maxQuotaWaitMs and throws one further away.
    if (errcode === ERR.dailyQuota || errcode === ERR.minuteQuota) throw new RetryAfterError(`wechat ${what}: errcode ${errcode}: ${errmsg}`, quotaResetMs(errcode, this.o.now()));
    throw new WechatApiError(what, errcode, errmsg);
  }

  /** One HTTP exchange: the parsed JSON body, or RetriableError for what may pass (5xx, timeout, network). */
  private async send(url: string, init: RequestInit, signal: AbortSignal | undefined): Promise<unknown> {
    const outer = [this.o.signal, signal].filter((s): s is AbortSignal => s !== undefined);
    outer.find((s) => s.aborted)?.throwIfAborted();
    const timeout = AbortSignal.timeout(this.o.timeoutMs);
    let res: Response;
    try {
      res = await fetch(url, { ...init, signal: AbortSignal.any([...outer, timeout]) });
    } catch (err) {
      outer.find((s) => s.aborted)?.throwIfAborted();
      throw new RetriableError(timeout.aborted ? `timeout after ${this.o.timeoutMs} ms: ${stripToken(url)}` : `network error: ${(err as Error).message}`, { cause: err });
    }
    const text = await res.text().catch((err: unknown) => {
      throw new RetriableError(`reading body failed: ${(err as Error).message}`, { cause: err });
    });
    if (res.status >= 500 || res.status === 429) throw new RetriableError(`HTTP ${res.status} from ${stripToken(url)}`);
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      // A proxy's error page on a 200 passes; a 4xx will not, whatever its body.
      if (res.status < 400) throw new RetriableError(`HTTP ${res.status} with a body that is not JSON from ${stripToken(url)}`);
    }
    if (res.status >= 400) {
      const e = (parsed ?? {}) as { errcode?: number; errmsg?: string };
      throw new WechatApiError(stripToken(url), e.errcode ?? res.status, e.errmsg ?? `HTTP ${res.status}`);
    }
    return parsed;
  }

  private retrying<T>(attempt: () => Promise<T>, signal: AbortSignal | undefined, renewAuth?: (err: unknown) => boolean): Promise<T> {
    return retry(attempt, {
      attempts: this.o.maxRetries + 1, backoffMs: this.o.backoffBaseMs, maxBackoffMs: this.o.backoffMaxMs, jitter: [0, 1],
      maxWaitMs: this.o.maxQuotaWaitMs, maxWaits: 'as-failures', signal: anySignal(this.o.signal, signal), renewAuth,
    });
  }
}

/** 40001/42001 from an API call: the token we hold was replaced or ran out; retrying() fetches a new one once. */
class TokenRefused extends WechatApiError {}

function anySignal(...signals: (AbortSignal | undefined)[]): AbortSignal {
  return AbortSignal.any(signals.filter((s): s is AbortSignal => s !== undefined));
}

function jsonPost(body: unknown): RequestInit {
  return { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
}

/** URLs carry the access token and secret in the query: keep them out of error messages and logs. */
function stripToken(url: string): string {
  return url.replace(/([?&](?:access_token|secret)=)[^&]*/g, '$1***');
}
