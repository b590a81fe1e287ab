// Source faults: 5xx and latency are retried to the same events; a long quota wait surfaces as
// RetryAfterError, a short one is waited out; a stalled OA times out as a retriable error.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RetriableError, RetryAfterError } from '../../schemas/errors.ts';
import { events, population, readAll, startSimulator, type Running } from './testing.ts';

const pop = population(3000);
let clean: Running;
const ids = new Map<string, string[]>();
beforeAll(async () => {
  clean = await startSimulator({ population: pop });
  for (const stream of ['employees', 'todos']) ids.set(stream, events(await readAll(clean.connector().read(stream, null))).map((e) => e.id).sort());
});
afterAll(() => clean.sim.close());

describe('faults', () => {
  it.each(['employees', 'todos'])('reads %s through 5xx errors and latency to the same events', async (stream) => {
    const faulty = await startSimulator({ population: pop, errorRate: 0.25, latencyMs: 3, seed: `faults-${stream}` });
    try {
      const got = events(await readAll(faulty.connector({ http: { backoffMs: 1, maxBackoffMs: 10, retries: 8 } }).read(stream, null)));
      expect(faulty.sim.stats.faults).toBeGreaterThan(0);
      expect(got.map((e) => e.id).sort()).toEqual(ids.get(stream));
    } finally {
      await faulty.sim.close();
    }
  });

  it('delivers each ProcessDone exactly once through 5xx errors', async () => {
    const faulty = await startSimulator({ population: pop, errorRate: 0.3, seed: 'faults-close' });
    try {
      const client = faulty.connector({ http: { backoffMs: 1, maxBackoffMs: 10, retries: 8 } }).client;
      const todos = pop.systems.oa.todos.slice(0, 20);
      for (const t of todos) await client.closeTodo(t.flowid, t.receiver, { requestname: t.requestname, workflowname: t.workflowname, nodename: t.nodename });
      expect(faulty.sim.stats.faults).toBeGreaterThan(0);
      expect(faulty.sim.writes.map((w) => [w.flowid, w.duplicate])).toEqual(todos.map((t) => [t.flowid, false]));
    } finally {
      await faulty.sim.close();
    }
  });

  it('surfaces an exhausted quota with a long reset as RetryAfterError', async () => {
    const limited = await startSimulator({ population: pop, quota: { limit: 4, windowMs: 60_000 } });
    try {
      const err = await readAll(limited.connector({ pageSize: 100 }).read('employees', null)).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(RetryAfterError);
      expect((err as RetryAfterError).retryAfterMs).toBeGreaterThan(50_000);
      expect(limited.sim.stats.throttled).toBe(1);
    } finally {
      await limited.sim.close();
    }
  });

  it('waits out a short rate-limit window and completes', async () => {
    const limited = await startSimulator({ population: pop, quota: { limit: 4, windowMs: 1000 } });
    try {
      const got = events(await readAll(limited.connector({ pageSize: 1000 }).read('employees', null)));
      expect(limited.sim.stats.throttled).toBeGreaterThan(0);
      expect(got.map((e) => e.id).sort()).toEqual(ids.get('employees'));
    } finally {
      await limited.sim.close();
    }
  });

  it('gives up on a stalled OA with a RetriableError after bounded attempts', async () => {
    const slow = await startSimulator({ population: pop, latencyMs: 400 });
    try {
      const c = slow.connector({ http: { timeoutMs: 100, retries: 2, backoffMs: 1 } });
      const err = await readAll(c.read('todos', null)).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(RetriableError);
      expect((err as Error).message).toMatch(/3 attempts.*timed out/);
    } finally {
      await slow.sim.close();
    }
  });

  it('stops at once when the caller aborts', async () => {
    const slow = await startSimulator({ population: pop, latencyMs: 300 });
    try {
      const ac = new AbortController();
      setTimeout(() => ac.abort(new Error('stop requested')), 50);
      const started = Date.now();
      await expect(readAll(slow.connector().read('employees', null, ac.signal))).rejects.toThrow('stop requested');
      expect(Date.now() - started).toBeLessThan(250);
    } finally {
      await slow.sim.close();
    }
  });
});
