// Faults: injected errcode -1 and 5xx with latency still give the same events; token loss is
// repaired once; quota errcodes wait or surface as RetryAfterError; other errcodes fail the run.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NonRetriableError, RetriableError, RetryAfterError } from '../../schemas/errors.ts';
import { WechatClient } from './client.ts';
import { WechatApiError } from './errors.ts';
import { drain, eventsOf, population, startSimulator, type Running } from './testing.ts';

const pop = population(1500, 'faults');

describe('wechat connector under faults', () => {
  let clean: Running;
  let fullIds: string[];
  beforeAll(async () => {
    clean = await startSimulator({ population: pop, userGetPageSize: 500 });
    fullIds = eventsOf((await drain(clean.connector(), 'followers')).items).map((e) => e.id);
  });
  afterAll(() => clean.sim.close());

  it('completes with the same events at a 20 % error rate and latency', async () => {
    const r = await startSimulator({ population: pop, userGetPageSize: 500, errorRate: 0.2, latencyMs: 2, seed: 'noisy' });
    const c = r.connector({ maxRetries: 8 });
    const followers = await drain(c, 'followers');
    const bindings = await drain(c, 'bindings');
    expect(r.sim.stats.faults).toBeGreaterThan(5);
    await r.sim.close();
    expect(eventsOf(followers.items).map((e) => e.id)).toEqual(fullIds);
    expect(bindings.recordsRead).toBe(pop.systems.wechat.bindings.length);
  });

  it('refreshes the token once when another client took a new one mid-read', async () => {
    const c = clean.connector({ tokenMode: 'token', batchSize: 200 });
    const ids: string[] = [];
    let stolen = false;
    for await (const batch of c.read('followers', null)) {
      ids.push(...eventsOf(batch.items).map((e) => e.id));
      if (!stolen) {
        stolen = true;
        await fetch(`${clean.baseUrl}/cgi-bin/token?grant_type=client_credential&appid=${clean.sim.appid}&secret=${clean.sim.secret}`);
      }
    }
    expect(ids).toEqual(fullIds);
  });

  it('surfaces quota exhaustion as RetryAfterError with the wait until the reset', async () => {
    for (const [quota, max] of [[{ perMinute: 4 }, 61_000], [{ daily: 4 }, 86_401_000]] as const) {
      const r = await startSimulator({ population: pop, quota });
      const err = await drain(r.connector({ maxQuotaWaitMs: 0 }), 'followers').catch((e: unknown) => e);
      await r.sim.close();
      expect(err).toBeInstanceOf(RetryAfterError);
      expect((err as RetryAfterError).retryAfterMs).toBeGreaterThan(1000);
      expect((err as RetryAfterError).retryAfterMs).toBeLessThanOrEqual(max);
      expect((err as Error).message).toMatch('perMinute' in quota ? /errcode 45011/ : /errcode 45009/);
    }
  });

  it('sleeps through a minute quota that resets within maxQuotaWaitMs', async () => {
    // One clock for both sides, a second before a minute turns.
    const offset = Date.parse('2025-06-30T03:00:59.000Z') - Date.now();
    const now = () => Date.now() + offset;
    const r = await startSimulator({ population: pop, quota: { perMinute: 3 }, now });
    const client = new WechatClient({ baseUrl: r.baseUrl, appid: r.sim.appid, secret: r.sim.secret, now, maxQuotaWaitMs: 3000, backoffBaseMs: 1 });
    const started = Date.now();
    for (let i = 0; i < 5; i++) expect((await client.tags()).tags.length).toBe(pop.systems.wechat.tags.length);
    await r.sim.close();
    expect(r.sim.stats.quotaRefusals).toBe(1);
    expect(Date.now() - started).toBeGreaterThan(1000);
  });

  it('fails the run with WeChat errcode and errmsg for a bad secret', async () => {
    const err = await drain(clean.connector({ secret: 'wrong' }), 'followers').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WechatApiError);
    expect(err).toBeInstanceOf(NonRetriableError);
    expect(err).toMatchObject({ errcode: 40125, rule: 'wechat errcode 40125' });
    expect((err as Error).message).toMatch(/invalid appsecret/);
    expect(await clean.connector({ appid: 'wxbad' }).check()).toMatchObject({ ok: false, message: expect.stringMatching(/40013/) as unknown });
    expect(await clean.connector().check()).toMatchObject({ ok: true });
  });

  it('gives up with RetriableError after bounded retries, and on timeouts', async () => {
    const busy = await startSimulator({ population: pop, errorRate: 0.97, seed: 'always' });
    const err = await drain(busy.connector({ maxRetries: 2 }), 'followers').catch((e: unknown) => e);
    await busy.sim.close();
    expect(err).toBeInstanceOf(RetriableError);
    const slow = await startSimulator({ population: pop, latencyMs: 300 });
    const timeout = await drain(slow.connector({ maxRetries: 1, timeoutMs: 50 }), 'followers').catch((e: unknown) => e);
    await slow.sim.close();
    expect(timeout).toBeInstanceOf(RetriableError);
    expect((timeout as Error).message).toMatch(/timeout after 50 ms/);
  });

  it('stops when its AbortSignal fires', async () => {
    const slow = await startSimulator({ population: pop, latencyMs: 200 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('stop requested')), 50);
    const err = await drain(slow.connector({ signal: controller.signal }), 'followers').catch((e: unknown) => e);
    await slow.sim.close();
    expect((err as Error).message).toBe('stop requested');
  });
});
