// GET /statements query semantics (xAPI 1.0.3 §2.1.3 of the Communication part): parameter
// validation, the page selection over the stored-ordered table, and the opaque `more` token.
import type { XapiStatement } from '../../population/index.ts';
import type { Position, StatementStore } from './statement-store.ts';

export type Format = 'exact' | 'ids' | 'canonical';

/** Everything a page depends on; the `more` token carries it so page n+1 continues page n. */
export interface StatementQuery {
  readonly since?: number;
  readonly until?: number;
  readonly ascending: boolean;
  readonly limit: number;
  readonly format: Format;
  readonly verb?: string;
  readonly activity?: string;
  readonly agentAccount?: string;
  /** The last statement already returned (continuations only). */
  readonly after?: Position;
  readonly issuedAt: number;
}

export class QueryError extends Error {}

const ALLOWED = new Set([
  'statementId', 'voidedStatementId', 'agent', 'verb', 'activity', 'registration', 'related_activities', 'related_agents',
  'since', 'until', 'limit', 'format', 'attachments', 'ascending', 'more',
]);

function timestamp(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const ms = /^\d{4}-\d{2}-\d{2}T/.test(value) ? Date.parse(value) : NaN;
  if (Number.isNaN(ms)) throw new QueryError(`${name} must be an ISO 8601 timestamp, got "${value}"`);
  return ms;
}

function agentAccount(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  try {
    const a = JSON.parse(value) as { account?: { homePage?: unknown; name?: unknown } };
    if (typeof a.account?.homePage === 'string' && typeof a.account.name === 'string') return `${a.account.homePage}|${a.account.name}`;
  } catch {
    // fall through to the error below
  }
  throw new QueryError('agent must be a JSON Agent with an account (this LRS identifies learners by account)');
}

export function parseQuery(q: Record<string, string>, maxLimit: number, now: number): StatementQuery {
  for (const key of Object.keys(q)) if (!ALLOWED.has(key)) throw new QueryError(`unknown parameter "${key}"`);
  const limitText = q.limit ?? '0';
  if (!/^\d+$/.test(limitText)) throw new QueryError(`limit must be a non-negative integer, got "${limitText}"`);
  const asc = q.ascending ?? 'false';
  if (asc !== 'true' && asc !== 'false') throw new QueryError(`ascending must be true or false, got "${asc}"`);
  const format = q.format ?? 'exact';
  if (format !== 'exact' && format !== 'ids' && format !== 'canonical') throw new QueryError(`format must be exact, ids or canonical, got "${format}"`);
  const limit = Number(limitText);
  return {
    since: timestamp('since', q.since),
    until: timestamp('until', q.until),
    ascending: asc === 'true',
    limit: limit === 0 ? maxLimit : Math.min(limit, maxLimit),
    format,
    verb: q.verb,
    activity: q.activity,
    agentAccount: agentAccount(q.agent),
    issuedAt: now,
  };
}

export function encodeMore(query: StatementQuery): string {
  return Buffer.from(JSON.stringify(query)).toString('base64url');
}

export function decodeMore(token: string, now: number, ttlMs: number): StatementQuery {
  let query: StatementQuery;
  try {
    query = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as StatementQuery;
  } catch {
    throw new QueryError('more: unknown or damaged continuation token');
  }
  if (typeof query.issuedAt !== 'number' || typeof query.limit !== 'number') throw new QueryError('more: unknown or damaged continuation token');
  if (now - query.issuedAt > ttlMs) throw new QueryError('more: the continuation token has expired');
  return query;
}

export interface Visibility {
  /** Stored time up to which every statement is visible (X-Experience-API-Consistent-Through). */
  readonly consistentThrough: number;
  readonly now: number;
  /** Whether a statement stored after consistentThrough is visible yet. */
  readonly early: (s: XapiStatement) => boolean;
}

function matches(s: XapiStatement, q: StatementQuery): boolean {
  if (q.verb !== undefined && s.verb.id !== q.verb) return false;
  if (q.activity !== undefined && s.object.id !== q.activity) return false;
  if (q.agentAccount !== undefined && `${s.actor.account.homePage}|${s.actor.account.name}` !== q.agentAccount) return false;
  return true;
}

/** One page and, when more statements match, the position to continue from. */
export function selectPage(store: StatementStore, q: StatementQuery, vis: Visibility): { page: XapiStatement[]; next: Position | null } {
  let lo = q.since === undefined ? 0 : store.upperBound(q.since);
  let hi = Math.min(q.until === undefined ? store.length : store.upperBound(q.until), store.upperBound(vis.now));
  if (q.after) {
    const at = store.lowerBound(q.after);
    if (q.ascending) lo = Math.max(lo, at < store.length && store.at(at).id === q.after.id && store.storedMs(at) === q.after.ms ? at + 1 : at);
    else hi = Math.min(hi, at);
  }
  const page: XapiStatement[] = [];
  const step = q.ascending ? 1 : -1;
  for (let i = q.ascending ? lo : hi - 1; i >= lo && i < hi; i += step) {
    const s = store.at(i);
    if (store.storedMs(i) > vis.consistentThrough && !vis.early(s)) continue;
    if (!matches(s, q)) continue;
    if (page.length === q.limit) {
      const last = page[page.length - 1]!;
      return { page, next: { ms: Date.parse(last.stored), id: last.id } };
    }
    page.push(s);
  }
  return { page, next: null };
}
