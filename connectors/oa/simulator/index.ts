// A simulated 泛微 e-cology OA over the synthetic population: dev-auth tokens, the HRM directory,
// the 统一待办 list and ProcessDone, and each notice's workflow form. Every ProcessDone it
// receives is kept in `writes`, so tests can count deliveries.
import Fastify, { type FastifyInstance } from 'fastify';
import type { Population } from '../../population/index.ts';
import { DevAuth } from './auth.ts';
import { OaData, type ProcessDoneWrite } from './data.ts';
import { faultHook, type Quota } from './faults.ts';
import { registerRoutes } from './routes.ts';

export type { ProcessDoneWrite, Quota };

export interface OaSimulatorOptions {
  readonly population: Population;
  readonly latencyMs?: number;
  /** Fraction of requests answered with a 5xx; which ones depends only on `seed`. */
  readonly errorRate?: number;
  readonly quota?: Quota;
  /** Caps every token's life (the `time` header asks for seconds; e-cology's default is 1800). */
  readonly tokenLifetimeMs?: number;
  readonly seed?: string;
  /** Registered dev-auth app ids. Default ['yibiao']. */
  readonly appids?: readonly string[];
  /** Registered 异构系统 codes for the 统一待办 REST. Default ['YBDJ'], the population's. */
  readonly syscodes?: readonly string[];
}

export interface OaSimulator {
  readonly app: FastifyInstance;
  start(): Promise<string>;
  close(): Promise<void>;
  readonly writes: ProcessDoneWrite[];
  readonly stats: { requests: number; faults: number; throttled: number; tokensIssued: number };
}

export function createOaSimulator(options: OaSimulatorOptions): OaSimulator {
  const app = Fastify({ logger: false });
  const auth = new DevAuth(options.appids ?? ['yibiao'], options.tokenLifetimeMs);
  const counters = { requests: 0, faults: 0, throttled: 0 };
  const writes: ProcessDoneWrite[] = [];
  app.addHook('onRequest', faultHook({ ...options, seed: options.seed ?? options.population.settings.seed }, counters));
  registerRoutes(app, { auth, data: new OaData(options.population), syscodes: new Set(options.syscodes ?? ['YBDJ']), writes });
  const stats = {
    get requests() { return counters.requests; },
    get faults() { return counters.faults; },
    get throttled() { return counters.throttled; },
    get tokensIssued() { return auth.tokensIssued; },
  };
  return {
    app,
    writes,
    stats,
    async start() {
      return app.listen({ host: '127.0.0.1', port: 0 });
    },
    async close() {
      await app.close();
    },
  };
}
