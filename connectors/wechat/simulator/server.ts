// A fastify server that speaks the WeChat official-account API (token, stable_token, user/get,
// user/info/batchget, tags/get, user/info/updateremark) and the party mini-program's binding
// feed over a seeded population, with knobs for latency, faults, quota and token lifetime.
import Fastify, { type FastifyInstance } from 'fastify';
import type { Population } from '../../population/index.ts';
import { TOKEN_LIFETIME_S, USER_GET_LIMIT } from '../protocol.ts';
import { FaultInjector, Quota, type QuotaOptions } from './faults.ts';
import { registerBindingsRoute } from './bindings-route.ts';
import { registerCgiRoutes } from './cgi-routes.ts';
import { TokenStore } from './tokens.ts';

export interface WechatSimulatorOptions {
  readonly population: Population;
  readonly appid?: string;
  readonly secret?: string;
  /** API key of the mini-program backend's binding feed (header `x-api-key`). */
  readonly bindingsKey?: string;
  readonly latencyMs?: number;
  /** Fraction of requests answered with errcode -1 or HTTP 502/503, drawn from the seed. */
  readonly errorRate?: number;
  readonly quota?: QuotaOptions;
  readonly tokenLifetimeS?: number;
  /** Page size of user/get; 10,000 as WeChat unless a test wants more pages from fewer people. */
  readonly userGetPageSize?: number;
  readonly seed?: string;
  readonly now?: () => number;
}

export interface WechatRemarkWrite {
  readonly openid: string;
  readonly remark: string;
}

export interface WechatSimulator {
  readonly app: FastifyInstance;
  readonly appid: string;
  readonly secret: string;
  readonly bindingsKey: string;
  readonly tokens: TokenStore;
  start(): Promise<string>;
  close(): Promise<void>;
  readonly writes: WechatRemarkWrite[];
  readonly stats: { requests: number; faults: number; quotaRefusals: number; byPath: Record<string, number> };
}

export const SIM_APPID = 'wx5d3c7f0a1b2e4d6c';
export const SIM_SECRET = 'sim-secret-0123456789abcdef0123456';
export const SIM_BINDINGS_KEY = 'sim-bindings-key';

export function createWechatSimulator(options: WechatSimulatorOptions): WechatSimulator {
  const now = options.now ?? Date.now;
  const seed = options.seed ?? options.population.settings.seed;
  const appid = options.appid ?? SIM_APPID;
  const secret = options.secret ?? SIM_SECRET;
  const bindingsKey = options.bindingsKey ?? SIM_BINDINGS_KEY;
  const tokens = new TokenStore(seed, options.tokenLifetimeS ?? TOKEN_LIFETIME_S, now);
  const faults = new FaultInjector(seed, options.errorRate ?? 0);
  const quota = new Quota(options.quota ?? {}, now);
  const latencyMs = options.latencyMs ?? 0;
  const writes: WechatRemarkWrite[] = [];
  const stats = { requests: 0, faults: 0, quotaRefusals: 0, byPath: {} as Record<string, number> };

  const app = Fastify({ logger: false });
  // WeChat answers a malformed body with errcode 47001, not HTTP 400: parse bodies in the routes.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => done(null, body));

  app.addHook('onRequest', async (req, reply) => {
    stats.requests++;
    const path = req.url.split('?')[0] ?? req.url;
    stats.byPath[path] = (stats.byPath[path] ?? 0) + 1;
    if (latencyMs > 0) await new Promise((r) => setTimeout(r, latencyMs));
    const fault = faults.next();
    if (fault === null) return;
    stats.faults++;
    if (fault.kind === 'busy') return reply.send({ errcode: -1, errmsg: 'system error' });
    return reply.code(fault.status).type('text/html').send(`<html><body><h1>${fault.status}</h1></body></html>`);
  });

  registerCgiRoutes(app, {
    appid, secret, tokens, quota, writes, stats,
    population: options.population,
    pageSize: options.userGetPageSize ?? USER_GET_LIMIT,
  });
  registerBindingsRoute(app, { bindings: options.population.systems.wechat.bindings, bindingsKey });

  return {
    app, appid, secret, bindingsKey, tokens, writes, stats,
    async start() {
      return app.listen({ host: '127.0.0.1', port: 0 });
    },
    async close() {
      await app.close();
    },
  };
}
