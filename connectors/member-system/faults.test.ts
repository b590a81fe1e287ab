// Faults: server errors and latency change nothing in what is read; token expiry is survived by
// one refresh; a long rate-limit wait surfaces as RetryAfterError, a short one is slept through;
// bad credentials and aborts stop the read with a typed error.
import { afterEach, describe, expect, it } from 'vitest';
import { NonRetriableError, RetriableError, RetryAfterError } from '../../schemas/errors.ts';
import { createMemberSystemConnector, createMemberSystemSimulator, DEFAULT_APP_KEY, DEFAULT_APP_SECRET, MemberSystemApiError, type MemberSystemSimulator } from './index.ts';
import { drain, population } from './test-fixtures.ts';

const pop = population(2000);
const open: MemberSystemSimulator[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
});

async function setup(options: Partial<Parameters<typeof createMemberSystemSimulator>[0]> = {}) {
  const sim = createMemberSystemSimulator({ population: pop, seed: 'faults', ...options });
  open.push(sim);
  const baseUrl = await sim.start();
  const connector = (extra: Partial<Parameters<typeof createMemberSystemConnector>[0]> = {}) =>
    createMemberSystemConnector({ baseUrl, instance: 'jx', appKey: DEFAULT_APP_KEY, appSecret: DEFAULT_APP_SECRET, backoffMs: 2, pageSize: 200, ...extra });
  return { sim, connector };
}

const ids = (items: Awaited<ReturnType<typeof drain>>['items']) => items.map((i) => (i.kind === 'event' ? (i.event as { id: string }).id : i.recordId));

describe('member-system connector: faults', () => {
  it('reads the same events through 30 % server faults and latency as from a healthy server', async () => {
    const clean = await setup();
    const expected = ids((await drain(clean.connector().read('members', null))).items);
    const flaky = await setup({ errorRate: 0.3, latencyMs: 3 });
    const got = ids((await drain(flaky.connector({ attempts: 12 }).read('members', null))).items);
    expect(got).toEqual(expected);
    expect(got).toHaveLength(pop.systems.memberSystem.rows.length);
    expect(flaky.sim.stats.faults).toBeGreaterThan(0);
  });

  it('gives up after the bounded attempts with a RetriableError when the server keeps failing', async () => {
    const s = await setup({ errorRate: 1 });
    const err = await drain(s.connector({ attempts: 3 }).read('members', null)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RetriableError);
    expect(s.sim.stats.requests).toBe(3);
  });

  it('times a hanging request out and retries it, within the bounded attempts', async () => {
    const s = await setup({ latencyMs: 400 });
    const started = Date.now();
    const err = await drain(s.connector({ timeoutMs: 100, attempts: 2 }).read('members', null)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RetriableError);
    expect((err as Error).message).toContain('timed out after 100 ms');
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('refreshes an expired token once and goes on', async () => {
    const s = await setup();
    let batches = 0;
    for await (const b of s.connector().read('members', null)) {
      batches += b.items.length > 0 ? 1 : 0;
      s.sim.expireTokens();
    }
    expect(batches).toBe(Math.ceil(pop.systems.memberSystem.rows.length / 200));
    expect(s.sim.stats.tokensIssued).toBe(batches);
  });

  it('surfaces a long quota wait as RetryAfterError and sleeps through a short one', async () => {
    const long = await setup({ quota: { limit: 3, windowSeconds: 120 } });
    const read = drain(long.connector().read('members', null));
    const err = await read.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RetryAfterError);
    expect((err as RetryAfterError).retryAfterMs).toBeGreaterThan(100_000);
    const short = await setup({ quota: { limit: 2, windowSeconds: 1 } });
    const all = await drain(short.connector().read('members', null));
    expect(all.items).toHaveLength(pop.systems.memberSystem.rows.length);
    expect(short.sim.stats.rateLimited).toBeGreaterThan(0);
  });

  it('fails with the system code on bad credentials and stops on abort', async () => {
    const s = await setup();
    const err = await drain(s.connector({ appSecret: 'wrong' }).read('members', null)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NonRetriableError);
    expect(err).toBeInstanceOf(MemberSystemApiError);
    expect((err as MemberSystemApiError).code).toBe(403);
    const slow = await setup({ latencyMs: 200 });
    const abort = new AbortController();
    setTimeout(() => abort.abort(new Error('stopped by the runner')), 50);
    const aborted = await drain(slow.connector().read('members', null, abort.signal)).catch((e: unknown) => e);
    expect((aborted as Error).message).toBe('stopped by the runner');
  });
});
