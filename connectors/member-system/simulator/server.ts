// A simulator of the 党员管理信息系统 open API: app-key token auth, an incremental change feed
// (modified-since + opaque cursor) and the paged 党组织 list, answering errors the way the system does — a business
// code in a 200 body ({code, msg, data}), HTTP 5xx when the server itself fails.
import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { MemberSystemRow, Population } from '../../population/index.ts';
import { orgRowsOf, type OrgRow } from '../org-fields.ts';
import { ChangeLog, type Position } from './change-log.ts';
import { faultFor, QuotaWindow, type Quota } from './faults.ts';

export const MAX_PAGE_SIZE = 500;
export const DEFAULT_PAGE_SIZE = 100;

export interface MemberSystemSimulatorOptions {
  readonly population: Population;
  /** The rows the system holds; default the population's (tests pass rows with legacy damage). */
  readonly rows?: readonly MemberSystemRow[];
  /** The 党组织 list it holds; default the population's org tree. */
  readonly orgRows?: readonly OrgRow[];
  readonly appKey?: string;
  readonly appSecret?: string;
  readonly latencyMs?: number;
  /** Fraction of requests answered with a server fault (HTTP 500/503, or 200 with code 503). */
  readonly errorRate?: number;
  readonly quota?: Quota;
  readonly tokenTtlSeconds?: number;
  readonly seed?: string;
}

export interface MemberSystemSimulator {
  readonly app: FastifyInstance;
  start(): Promise<string>;
  close(): Promise<void>;
  /** The feed is read-only: no write calls exist, so this stays empty. */
  readonly writes: Array<{ path: string; body: unknown }>;
  readonly stats: { requests: number; tokensIssued: number; faults: number; rateLimited: number };
  readonly log: ChangeLog;
  /** Edits a deterministic fraction of rows later in time; returns their 记录ID. */
  touch(fraction: number, op?: '修改' | '删除'): string[];
  /** Makes every issued token expire now, as a server restart or a key rotation would. */
  expireTokens(): void;
}

export const DEFAULT_APP_KEY = 'yibiao-sim';
export const DEFAULT_APP_SECRET = 'sim-secret';

const SYSTEM_TIME = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2})$/u;
const ISO_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/u;

function parseSince(text: string): number | null {
  const m = SYSTEM_TIME.exec(text);
  const ms = m ? Date.parse(`${m[1]}T${m[2]}+08:00`) : ISO_WITH_OFFSET.test(text) ? Date.parse(text) : NaN;
  return Number.isNaN(ms) ? null : Math.ceil(ms / 1000);
}

export function encodeCursor(p: Position): string {
  return Buffer.from(`${p.time}.${p.id}`).toString('base64url');
}

function decodeCursor(text: string): Position | null {
  const m = /^(\d{1,12})\.([0-9A-Za-z]{1,64})$/u.exec(Buffer.from(text, 'base64url').toString());
  return m ? { time: Number(m[1]), id: m[2]! } : null;
}

function fail(reply: FastifyReply, code: number, msg: string, data: unknown = null) {
  return reply.code(200).send({ code, msg, data });
}

export function createMemberSystemSimulator(options: MemberSystemSimulatorOptions): MemberSystemSimulator {
  const seed = options.seed ?? options.population.settings.seed;
  const appKey = options.appKey ?? DEFAULT_APP_KEY;
  const appSecret = options.appSecret ?? DEFAULT_APP_SECRET;
  const ttl = options.tokenTtlSeconds ?? 7200;
  const log = new ChangeLog(options.rows ?? options.population.systems.memberSystem.rows, seed, options.population.settings.asOf);
  const quota = options.quota ? new QuotaWindow(options.quota) : null;
  const tokens = new Map<string, number>();
  const stats = { requests: 0, tokensIssued: 0, faults: 0, rateLimited: 0 };
  const app = Fastify({ logger: false });

  app.addHook('onRequest', async (_req, reply) => {
    const n = ++stats.requests;
    reply.header('X-Request-Id', `sim-${n}`);
    if (options.latencyMs) await sleep(options.latencyMs);
    const fault = faultFor(seed, n, options.errorRate ?? 0);
    if (fault) {
      stats.faults++;
      return reply.code(fault.status).send({ code: fault.code, msg: fault.msg, data: null });
    }
  });

  app.post('/api/v1/auth/token', async (req, reply) => {
    const body = (req.body ?? {}) as { appKey?: unknown; appSecret?: unknown };
    if (body.appKey !== appKey || body.appSecret !== appSecret) return fail(reply, 403, '应用凭证无效');
    const token = createHash('sha256').update(`${seed}\u0000token\u0000${++stats.tokensIssued}`).digest('hex');
    tokens.set(token, Date.now() + ttl * 1000);
    return { code: 0, msg: 'success', data: { token, expiresIn: ttl } };
  });

  /** Token and quota checks every data call makes; a reply when the call may not go ahead. */
  function refuse(req: FastifyRequest, reply: FastifyReply): FastifyReply | null {
    const auth = /^Bearer (\S+)$/u.exec(req.headers.authorization ?? '');
    const expires = auth ? tokens.get(auth[1]!) : undefined;
    if (expires === undefined || expires <= Date.now()) return fail(reply, 401, '令牌无效或已过期');
    const wait = quota?.take(Date.now()) ?? null;
    if (wait !== null) {
      stats.rateLimited++;
      reply.header('Retry-After', String(wait));
      return fail(reply, 429, '请求过于频繁，请稍后再试', { retryAfter: wait });
    }
    return null;
  }

  // The 党组织 list is not a change feed: the system pages through the whole list by pageNo, in
  // code order (parents before their children), with the total so a client knows where it ends.
  const orgs = options.orgRows ?? orgRowsOf(options.population);
  app.get('/api/v1/orgs', async (req, reply) => {
    const refused = refuse(req, reply);
    if (refused) return refused;
    const q = req.query as { pageNo?: string; pageSize?: string };
    const pageNo = q.pageNo === undefined ? 1 : Number(q.pageNo);
    const size = q.pageSize === undefined ? DEFAULT_PAGE_SIZE : Number(q.pageSize);
    if (!Number.isInteger(pageNo) || pageNo < 1) return fail(reply, 400, 'pageNo 必须为正整数');
    if (!Number.isInteger(size) || size < 1) return fail(reply, 400, 'pageSize 必须为正整数');
    const capped = Math.min(size, MAX_PAGE_SIZE);
    const items = orgs.slice((pageNo - 1) * capped, pageNo * capped);
    return { code: 0, msg: 'success', data: { items, total: orgs.length, pageNo, pageSize: capped } };
  });

  app.get('/api/v1/members/changes', async (req, reply) => {
    const refused = refuse(req, reply);
    if (refused) return refused;
    const q = req.query as { modifiedSince?: string; cursor?: string; pageSize?: string };
    const size = q.pageSize === undefined ? DEFAULT_PAGE_SIZE : Number(q.pageSize);
    if (!Number.isInteger(size) || size < 1) return fail(reply, 400, 'pageSize 必须为正整数');
    let from: { after?: Position; since?: number } = {};
    if (q.cursor) {
      const after = decodeCursor(q.cursor);
      if (!after) return fail(reply, 400, '无效的游标');
      from = { after };
    } else if (q.modifiedSince) {
      const since = parseSince(q.modifiedSince);
      if (since === null) return fail(reply, 400, 'modifiedSince 格式错误');
      from = { since };
    }
    const page = log.page(from, Math.min(size, MAX_PAGE_SIZE));
    // With nothing new the cursor stays where it was, so a poller can keep it.
    const next = page.last ? encodeCursor(page.last) : (q.cursor ?? null);
    return { code: 0, msg: 'success', data: { items: page.items, nextCursor: next, hasMore: page.hasMore } };
  });

  return {
    app,
    writes: [],
    stats,
    log,
    touch: (fraction, op) => log.touch(fraction, op),
    expireTokens: () => {
      for (const t of tokens.keys()) tokens.set(t, 0);
    },
    async start() {
      return app.listen({ host: '127.0.0.1', port: 0 });
    },
    async close() {
      await app.close();
    },
  };
}
