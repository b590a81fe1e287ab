// Faults: a flaky, slow LRS still gives the same events; quotas, persistent failures, bad
// credentials, timeouts and cancellation surface as the right typed errors.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NonRetriableError, RetriableError, RetryAfterError } from '../../schemas/errors.ts';
import type { Population } from '../population/index.ts';
import { XapiError } from './http.ts';
import { connector, drain, eventIdOf, population, startSimulator } from './test-fixtures.ts';
import type { XapiSimulator } from './simulator/index.ts';

let pop: Population;
let clean: { sim: XapiSimulator; url: string };
let expected: Record<'statements' | 'learners', Array<string | undefined>>;

beforeAll(async () => {
  pop = population(2500);
  clean = await startSimulator({ population: pop });
  expected = {
    statements: (await drain(connector(clean.url).read('statements', null))).items.map(eventIdOf),
    learners: (await drain(connector(clean.url).read('learners', null))).items.map(eventIdOf),
  };
});
afterAll(() => clean.sim.close());

describe('xapi connector: faults', () => {
  it('completes with the same events through 25 % 5xx answers and latency', async () => {
    const { sim, url } = await startSimulator({ population: pop, errorRate: 0.25, latencyMs: 5, seed: 'flaky' });
    try {
      for (const stream of ['statements', 'learners'] as const) {
        const { items } = await drain(connector(url, { pageSize: 200 }).read(stream, null));
        expect(items.map(eventIdOf)).toEqual(expected[stream]);
      }
      const pages = Math.ceil(pop.systems.xapi.statements.length / 200) + Math.ceil(pop.systems.xapi.learners.length / 200);
      expect(sim.stats.requests).toBeGreaterThan(pages + 3);
    } finally {
      await sim.close();
    }
  });

  it('waits out a short Retry-After in place and finishes', async () => {
    const { sim, url } = await startSimulator({ population: pop, quota: { requests: 6, windowMs: 1_000 } });
    try {
      const { items } = await drain(connector(url).read('statements', null));
      expect(items.map(eventIdOf)).toEqual(expected.statements);
    } finally {
      await sim.close();
    }
  });

  it('surfaces a long quota wait as RetryAfterError, keeping the batches read before it', async () => {
    const { sim, url } = await startSimulator({ population: pop, quota: { requests: 2, windowMs: 3_600_000 } });
    try {
      const got: unknown[] = [];
      const err = await (async () => {
        for await (const b of connector(url).read('statements', null)) got.push(b);
      })().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(RetryAfterError);
      expect((err as RetryAfterError).retryAfterMs).toBeGreaterThan(3_000_000);
      expect(got).toHaveLength(2);
    } finally {
      await sim.close();
    }
  });

  it('gives up on a persistently failing LRS after bounded retries with a RetriableError', async () => {
    const { sim, url } = await startSimulator({ population: pop, errorRate: 1 });
    try {
      await expect(drain(connector(url, { retry: { maxRetries: 3, baseDelayMs: 1, maxDelayMs: 5 } }).read('statements', null))).rejects.toBeInstanceOf(RetriableError);
      expect(sim.stats.requests).toBe(4);
    } finally {
      await sim.close();
    }
  });

  it('refuses wrong credentials as a non-retriable XapiError 401, once, and check() says so', async () => {
    const before = clean.sim.stats.requests;
    const bad = connector(clean.url, { secret: 'wrong' });
    const err = await drain(bad.read('statements', null)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NonRetriableError);
    expect(err).toBeInstanceOf(XapiError);
    expect((err as XapiError).status).toBe(401);
    expect((err as Error).message).toMatch(/401.*credentials/);
    expect(clean.sim.stats.requests - before).toBe(1);
    expect(await bad.check()).toMatchObject({ ok: false });
  });

  it('times out a slow LRS and retries, then fails as retriable', async () => {
    const { sim, url } = await startSimulator({ population: pop, latencyMs: 300 });
    try {
      const err = await drain(connector(url, { retry: { timeoutMs: 50, maxRetries: 1, baseDelayMs: 1 } }).read('learners', null)).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(RetriableError);
      expect((err as Error).message).toMatch(/no answer within 50 ms/);
    } finally {
      await sim.close();
    }
  });

  it('stops when its signal is aborted', async () => {
    const { sim, url } = await startSimulator({ population: pop, latencyMs: 20 });
    try {
      const ac = new AbortController();
      let batches = 0;
      const err = await (async () => {
        for await (const _ of connector(url, { pageSize: 100 }).read('statements', null, ac.signal)) {
          if (++batches === 2) ac.abort(new Error('operator stopped the run'));
        }
      })().catch((e: unknown) => e);
      expect((err as Error).message).toBe('operator stopped the run');
      expect(batches).toBe(2);
    } finally {
      await sim.close();
    }
  });
});
