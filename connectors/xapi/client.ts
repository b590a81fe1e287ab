// The 远程教育 platform client: the xAPI 1.0.3 statements resource of its LRS (every request
// carries X-Experience-API-Version and HTTP Basic credentials) and the platform's learner list.
import { NonRetriableError } from '../../schemas/errors.ts';
import { DEFAULT_RETRY, getJson, type RetryPolicy } from './http.ts';

export const XAPI_VERSION = '1.0.3';

export interface XapiClientOptions {
  /** The platform's root, e.g. https://dyjy.example.cn; the LRS lives under `lrsPath`. */
  readonly baseUrl: string;
  readonly key: string;
  readonly secret: string;
  readonly lrsPath?: string;
  readonly retry?: Partial<RetryPolicy>;
  readonly signal?: AbortSignal;
}

export interface StatementsQuery {
  readonly since?: string;
  readonly until?: string;
  /** 0 asks for the server's maximum. */
  readonly limit?: number;
  readonly ascending?: boolean;
  readonly format?: 'exact' | 'ids' | 'canonical';
}

/** A StatementResult plus the headers a reader needs to place its cursor. */
export interface StatementsPage {
  readonly statements: readonly unknown[];
  /** Server-relative continuation IRL, '' when nothing more matches. */
  readonly more: string;
  /** Stored time up to which every statement is visible; undefined if the LRS did not say. */
  readonly consistentThrough: string | undefined;
}

export interface LearnersPage {
  readonly total: number;
  readonly page: number;
  readonly size: number;
  readonly items: readonly unknown[];
}

export interface XapiClient {
  about(signal?: AbortSignal): Promise<{ version: string[] }>;
  getStatements(query: StatementsQuery, signal?: AbortSignal): Promise<StatementsPage>;
  /** Follows a `more` IRL from an earlier page. */
  getMore(more: string, signal?: AbortSignal): Promise<StatementsPage>;
  getStatement(id: string, signal?: AbortSignal): Promise<unknown>;
  getLearners(page: number, size: number, signal?: AbortSignal): Promise<LearnersPage>;
}

function shapeError(what: string, body: unknown): NonRetriableError {
  return new NonRetriableError(`xAPI LRS: ${what} answered 200 with an unexpected body: ${JSON.stringify(body)?.slice(0, 200)}`, { rule: what });
}

export function createXapiClient(options: XapiClientOptions): XapiClient {
  const root = options.baseUrl.replace(/\/+$/, '');
  const lrs = `${root}${options.lrsPath ?? '/xapi'}`;
  const policy: RetryPolicy = { ...DEFAULT_RETRY, ...options.retry };
  const auth = `Basic ${Buffer.from(`${options.key}:${options.secret}`).toString('base64')}`;
  const headers = { 'X-Experience-API-Version': XAPI_VERSION, Authorization: auth, Accept: 'application/json' };
  const signalOf = (s?: AbortSignal) => (s && options.signal ? AbortSignal.any([s, options.signal]) : (s ?? options.signal));

  const page = async (url: string, signal?: AbortSignal): Promise<StatementsPage> => {
    const { body, headers: h } = await getJson(url, headers, policy, signalOf(signal));
    const b = body as { statements?: unknown; more?: unknown };
    if (!Array.isArray(b?.statements) || (b.more !== undefined && typeof b.more !== 'string')) throw shapeError('GET statements', body);
    return { statements: b.statements, more: typeof b.more === 'string' ? b.more : '', consistentThrough: h.get('x-experience-api-consistent-through') ?? undefined };
  };

  return {
    async about(signal) {
      const { body } = await getJson(`${lrs}/about`, headers, policy, signalOf(signal));
      const b = body as { version?: unknown };
      if (!Array.isArray(b?.version)) throw shapeError('GET about', body);
      return { version: b.version.map(String) };
    },
    getStatements(query, signal) {
      const params = new URLSearchParams();
      if (query.since !== undefined) params.set('since', query.since);
      if (query.until !== undefined) params.set('until', query.until);
      if (query.limit !== undefined) params.set('limit', String(query.limit));
      if (query.ascending !== undefined) params.set('ascending', String(query.ascending));
      if (query.format !== undefined) params.set('format', query.format);
      const qs = params.toString();
      return page(`${lrs}/statements${qs ? `?${qs}` : ''}`, signal);
    },
    getMore(more, signal) {
      // The spec makes `more` relative to the server, not to the LRS endpoint.
      return page(new URL(more, `${root}/`).toString(), signal);
    },
    async getStatement(id, signal) {
      return (await getJson(`${lrs}/statements?statementId=${encodeURIComponent(id)}`, headers, policy, signalOf(signal))).body;
    },
    async getLearners(pageNo, size, signal) {
      const { body } = await getJson(`${root}/api/learners?page=${pageNo}&size=${size}`, headers, policy, signalOf(signal));
      const b = body as Partial<LearnersPage>;
      if (!Array.isArray(b?.items) || typeof b.total !== 'number') throw shapeError('GET learners', body);
      return { total: b.total, page: pageNo, size, items: b.items };
    },
  };
}
