// A simulated 远程教育 LRS: the xAPI 1.0.3 statements resource (GET with since/until/limit/
// ascending/format and `more` continuations, statementId, POST), /about, and the platform's own
// paged learner list, behind HTTP Basic auth and the version header, over a seeded population.
import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { Population, XapiLearner, XapiStatement } from '../../population/index.ts';
import { Faults, unit, type QuotaOptions } from './faults.ts';
import { formatStatement, preferredLanguages } from './format.ts';
import { StatementStore } from './statement-store.ts';
import { decodeMore, encodeMore, parseQuery, QueryError, selectPage, type Visibility } from './statements-query.ts';

export interface XapiSimulatorOptions {
  readonly population: Population;
  readonly latencyMs?: number;
  readonly errorRate?: number;
  readonly quota?: QuotaOptions;
  readonly seed?: string;
  readonly key?: string;
  readonly secret?: string;
  /** Most statements one page returns (limit=0 or larger limits get this many). */
  readonly maxLimit?: number;
  /** How long a `more` continuation stays valid (the spec asks for at least 24 h). */
  readonly moreTtlMs?: number;
  /** The LRS clock (ms): statements stored after it do not exist yet. */
  readonly clock?: () => number;
  /** Consistent-Through trails the clock by this much; statements in between are visible or not. */
  readonly consistencyLagMs?: number;
}

export interface XapiWrite {
  readonly method: string;
  readonly url: string;
  readonly body: unknown;
}

export interface XapiSimulator {
  readonly app: FastifyInstance;
  start(): Promise<string>;
  close(): Promise<void>;
  readonly writes: XapiWrite[];
  readonly stats: { requests: number };
  readonly store: StatementStore;
}

export const XAPI_VERSION = '1.0.3';
const SUPPORTED_VERSION = /^1\.0(\.\d+)?$/;

export function createXapiSimulator(options: XapiSimulatorOptions): XapiSimulator {
  const key = options.key ?? 'lrs-key';
  const secret = options.secret ?? 'lrs-secret';
  const maxLimit = options.maxLimit ?? 500;
  const ttl = options.moreTtlMs ?? 24 * 3600_000;
  const clock = options.clock ?? Date.now;
  const lag = options.consistencyLagMs ?? 0;
  const seed = options.seed ?? 'xapi';
  const store = new StatementStore(options.population.systems.xapi.statements);
  const learners: readonly XapiLearner[] = options.population.systems.xapi.learners;
  const faults = new Faults({ latencyMs: options.latencyMs, errorRate: options.errorRate, quota: options.quota, seed });
  const writes: XapiWrite[] = [];
  const stats = { requests: 0 };
  let errors = 0;
  const app = Fastify({ logger: false });

  const visibility = (): Visibility => {
    const now = clock();
    return { now, consistentThrough: now - lag, early: (s) => unit(`${seed}\u0001${s.id}`) < 0.5 };
  };
  const fail = (reply: FastifyReply, status: number, message: string) =>
    reply.code(status).send({ errorId: `e${String(++errors).padStart(8, '0')}`, warnings: [], message });

  app.addHook('onRequest', async (req: FastifyRequest, reply: FastifyReply) => {
    const n = ++stats.requests;
    const isXapi = req.url.startsWith('/xapi/');
    if (isXapi) {
      reply.header('X-Experience-API-Version', XAPI_VERSION);
      reply.header('X-Experience-API-Consistent-Through', new Date(visibility().consistentThrough).toISOString());
    }
    await faults.delay();
    const fault = faults.decide(n, clock());
    if (fault?.kind === 'quota') {
      reply.header('Retry-After', String(fault.retryAfterSeconds));
      return fail(reply, 429, 'Too many requests: rate limit exceeded');
    }
    if (fault?.kind === 'error') return fail(reply, fault.status, 'The LRS is temporarily unavailable');
    // The About resource is open to anyone and to any version (spec: it tells clients what to send).
    if (req.url.startsWith('/xapi/about')) return;
    if (isXapi) {
      const v = req.headers['x-experience-api-version'];
      if (typeof v !== 'string') return fail(reply, 400, 'X-Experience-API-Version header is required');
      if (!SUPPORTED_VERSION.test(v)) return fail(reply, 400, `X-Experience-API-Version ${v} is not supported; use 1.0.3`);
    }
    const expected = `Basic ${Buffer.from(`${key}:${secret}`).toString('base64')}`;
    if (req.headers.authorization !== expected) {
      reply.header('WWW-Authenticate', 'Basic realm="LRS"');
      return fail(reply, 401, 'Unauthorized: bad or missing credentials');
    }
  });

  app.get('/xapi/about', () => ({ version: [XAPI_VERSION] }));

  app.get('/xapi/statements', (req, reply) => {
    const raw = req.query as Record<string, unknown>;
    const q: Record<string, string> = {};
    for (const [k, v] of Object.entries(raw)) {
      if (typeof v !== 'string') return fail(reply, 400, `parameter "${k}" given more than once`);
      q[k] = v;
    }
    try {
      const languages = preferredLanguages(req.headers['accept-language']);
      if (q.statementId !== undefined || q.voidedStatementId !== undefined) {
        const extra = Object.keys(q).filter((k) => !['statementId', 'voidedStatementId', 'format', 'attachments'].includes(k));
        if (extra.length > 0) return fail(reply, 400, `statementId cannot be combined with ${extra.join(', ')}`);
        const s = q.statementId === undefined ? undefined : store.get(q.statementId);
        if (!s) return fail(reply, 404, 'No statement with that id');
        return formatStatement(s, parseQuery({ format: q.format ?? 'exact' }, maxLimit, 0).format, languages);
      }
      const vis = visibility();
      let query;
      if (q.more !== undefined) {
        if (Object.keys(q).length > 1) return fail(reply, 400, 'more cannot be combined with other parameters');
        query = decodeMore(q.more, vis.now, ttl);
      } else {
        query = parseQuery(q, maxLimit, vis.now);
      }
      const { page, next } = selectPage(store, query, vis);
      const more = next ? `/xapi/statements?more=${encodeMore({ ...query, after: next })}` : '';
      return { statements: page.map((s) => formatStatement(s, query.format, languages)), more };
    } catch (err) {
      if (err instanceof QueryError) return fail(reply, 400, err.message);
      throw err;
    }
  });

  app.post('/xapi/statements', (req, reply) => {
    writes.push({ method: 'POST', url: req.url, body: req.body });
    const list = (Array.isArray(req.body) ? req.body : [req.body]) as Array<Partial<XapiStatement>>;
    if (list.some((s) => typeof s !== 'object' || s === null || !s.actor || !s.verb || !s.object)) {
      return fail(reply, 400, 'a statement needs actor, verb and object');
    }
    const stored = new Date(clock()).toISOString();
    return list.map((s) => {
      const id = typeof s.id === 'string' ? s.id : randomUUID();
      store.append({ ...s, id, stored, timestamp: s.timestamp ?? stored, version: XAPI_VERSION } as XapiStatement);
      return id;
    });
  });

  app.get('/api/learners', (req, reply) => {
    const { page = '1', size = '100' } = req.query as Record<string, string | undefined>;
    if (!/^[1-9]\d*$/.test(page) || !/^[1-9]\d*$/.test(size) || Number(size) > 1000) {
      return fail(reply, 400, 'page must be ≥ 1 and size between 1 and 1000');
    }
    const p = Number(page);
    const n = Number(size);
    return { total: learners.length, page: p, size: n, items: learners.slice((p - 1) * n, p * n) };
  });

  return {
    app,
    writes,
    stats,
    store,
    async start() {
      return app.listen({ host: '127.0.0.1', port: 0 });
    },
    async close() {
      await app.close();
    },
  };
}
