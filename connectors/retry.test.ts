// The shared retry loop on its own, under fake timers: how many tries it makes, how long it
// waits between them, what it throws when it stops, and that an abort ends it at once.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { NonRetriableError, RetriableError, RetryAfterError } from '../schemas/errors.ts';
import { retry, retryAfterHeaderMs, type RetryOptions } from './retry.ts';

const options: RetryOptions = { attempts: 4, backoffMs: 100, maxBackoffMs: 300, jitter: [0, 1], maxWaitMs: 1000, maxWaits: 2 };

/** A call that throws the given errors in turn and then answers 'ok'; it notes when each try began and what it was told. */
function script(...errors: Error[]) {
  const startedAt: number[] = [];
  const told: number[] = [];
  const attempt = (failures: number): Promise<string> => {
    startedAt.push(Date.now());
    told.push(failures);
    const err = errors.shift();
    return err === undefined ? Promise.resolve('ok') : Promise.reject(err);
  };
  const gaps = () => startedAt.slice(1).map((t, i) => t - startedAt[i]!);
  return { attempt, startedAt, told, gaps };
}

/** Lets retry() run to its end on the fake clock; its answer or what it threw. */
async function outcome<T>(p: Promise<T>): Promise<{ value?: T; error?: unknown }> {
  const settled = p.then((value) => ({ value }), (error: unknown) => ({ error }));
  await vi.runAllTimersAsync();
  return settled;
}

const fault = (n: number) => new RetriableError(`fault ${n}`);
const wait = (ms: number) => new RetryAfterError(`rate limited for ${ms} ms`, ms);

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('retry: transient faults', () => {
  it('tries again after RetriableError and returns the first answer', async () => {
    const s = script(fault(1), fault(2));
    expect(await outcome(retry(s.attempt, options))).toEqual({ value: 'ok' });
    expect(s.told).toEqual([0, 1, 2]);
  });

  it('stops after `attempts` tries and throws the last fault', async () => {
    const errors = [fault(1), fault(2), fault(3), fault(4), fault(5)];
    const s = script(...errors);
    expect(await outcome(retry(s.attempt, options))).toEqual({ error: errors[3] });
    expect(s.startedAt).toHaveLength(4);
  });

  it('hands the last fault and the number of tries to `exhausted` for the error it throws', async () => {
    const s = script(fault(1), fault(2), fault(3));
    const exhausted = vi.fn((last: Error, attempts: number) => new RetriableError(`still failing after ${attempts} attempts (${last.message})`));
    const { error } = await outcome(retry(s.attempt, { ...options, attempts: 3, exhausted }));
    expect((error as Error).message).toBe('still failing after 3 attempts (fault 3)');
    expect(exhausted).toHaveBeenCalledTimes(1);
  });

  it('throws any other error at once', async () => {
    for (const final of [new NonRetriableError('bad request'), new Error('a bug')]) {
      const s = script(final);
      expect(await outcome(retry(s.attempt, options))).toEqual({ error: final });
      expect(s.startedAt).toHaveLength(1);
    }
  });

  it('does not try again what an inner retry() already gave up on', async () => {
    const inner = script(fault(1), fault(2), fault(3), fault(4));
    const outer = script();
    const call = (failures: number) => outer.attempt(failures).then(() => retry(inner.attempt, { ...options, attempts: 2 }));
    const { error } = await outcome(retry(call, { ...options, attempts: 3 }));
    expect((error as Error).message).toBe('fault 2');
    expect(outer.startedAt).toHaveLength(1);
    expect(inner.startedAt).toHaveLength(2);
  });
});

describe('retry: backoff', () => {
  it('doubles from backoffMs up to maxBackoffMs, and draws within the jitter band of that ceiling', async () => {
    const band = { ...options, attempts: 5, jitter: [0.5, 1.5] as const };
    const low = script(fault(1), fault(2), fault(3), fault(4));
    await outcome(retry(low.attempt, { ...band, random: () => 0 }));
    expect(low.gaps()).toEqual([50, 100, 150, 150]);
    const high = script(fault(1), fault(2), fault(3), fault(4));
    await outcome(retry(high.attempt, { ...band, random: () => 1 }));
    expect(high.gaps()).toEqual([150, 300, 450, 450]);
  });

  it('keeps doubling without maxBackoffMs', async () => {
    const s = script(fault(1), fault(2), fault(3), fault(4));
    await outcome(retry(s.attempt, { ...options, attempts: 5, maxBackoffMs: undefined, jitter: [1, 1] }));
    expect(s.gaps()).toEqual([100, 200, 400, 800]);
  });

  it('with full jitter waits between nothing and the ceiling', async () => {
    for (let run = 0; run < 20; run++) {
      const s = script(fault(1), fault(2), fault(3));
      await outcome(retry(s.attempt, options));
      s.gaps().forEach((gap, i) => {
        expect(gap).toBeGreaterThanOrEqual(0);
        expect(gap).toBeLessThanOrEqual([100, 200, 300][i]!);
      });
    }
  });
});

describe('retry: rate limits', () => {
  it('sleeps through a short wait without spending a try', async () => {
    const s = script(wait(500), fault(1), wait(1000), fault(2), fault(3));
    expect(await outcome(retry(s.attempt, { ...options, jitter: [1, 1] }))).toEqual({ value: 'ok' });
    expect(s.gaps()).toEqual([500, 100, 1000, 200, 300]);
    expect(s.told).toEqual([0, 0, 1, 1, 2, 3]);
  });

  it('throws a wait longer than maxWaitMs at once', async () => {
    const long = wait(1001);
    const s = script(long);
    const started = Date.now();
    const { error } = await outcome(retry(s.attempt, options));
    expect(error).toBe(long);
    expect((error as RetryAfterError).retryAfterMs).toBe(1001);
    expect(s.startedAt).toHaveLength(1);
    expect(Date.now() - started).toBe(0);
  });

  it('throws the wait that comes after maxWaits short ones', async () => {
    const third = wait(10);
    const s = script(wait(10), wait(10), third);
    expect(await outcome(retry(s.attempt, options))).toEqual({ error: third });
    expect(s.startedAt).toHaveLength(3);
  });

  it("with maxWaits 'as-failures' counts each wait as a failed try, backs off after it, and ends in RetriableError", async () => {
    const s = script(wait(200), wait(200), wait(200));
    const started = Date.now();
    const { error } = await outcome(retry(s.attempt, { ...options, attempts: 3, maxWaits: 'as-failures', jitter: [1, 1] }));
    expect(s.gaps()).toEqual([200 + 100, 200 + 200]);
    expect(error).toBeInstanceOf(RetriableError);
    expect(error).not.toBeInstanceOf(RetryAfterError);
    expect((error as Error).message).toBe('rate limited for 200 ms');
    // The last wait is slept too: the answer after it might have been the one.
    expect(Date.now() - started).toBe(300 + 400 + 200);
  });
});

describe('retry: token renewal', () => {
  const refused = () => new NonRetriableError('token refused');

  it('tries again at once after renewAuth dropped the token, once per call', async () => {
    const second = refused();
    const s = script(refused(), fault(1), second);
    const renewAuth = vi.fn((err: unknown) => err instanceof NonRetriableError && err.message === 'token refused');
    const { error } = await outcome(retry(s.attempt, { ...options, jitter: [1, 1], renewAuth }));
    expect(error).toBe(second);
    expect(s.gaps()).toEqual([0, 100]);
    expect(s.told).toEqual([0, 0, 1]);
    expect(renewAuth).toHaveBeenCalledTimes(1);
  });

  it('leaves errors renewAuth does not claim to the usual rules', async () => {
    const s = script(fault(1), fault(2));
    const renewAuth = vi.fn(() => false);
    expect(await outcome(retry(s.attempt, { ...options, renewAuth }))).toEqual({ value: 'ok' });
    expect(renewAuth).toHaveBeenCalledTimes(2);
  });
});

describe('retry: abort', () => {
  it('makes no try when the signal is already aborted', async () => {
    const reason = new Error('stopped before it began');
    const s = script();
    expect(await outcome(retry(s.attempt, { ...options, signal: AbortSignal.abort(reason) }))).toEqual({ error: reason });
    expect(s.startedAt).toHaveLength(0);
  });

  for (const [what, first] of [['a backoff', fault(1)], ['a rate-limit wait', wait(900)]] as const) {
    it(`ends ${what} at once with the signal's reason`, async () => {
      const reason = new Error('stop requested');
      const ac = new AbortController();
      const s = script(first, fault(2));
      setTimeout(() => ac.abort(reason), 10);
      const started = Date.now();
      expect(await outcome(retry(s.attempt, { ...options, backoffMs: 5000, maxBackoffMs: 5000, jitter: [1, 1], signal: ac.signal }))).toEqual({ error: reason });
      expect(Date.now() - started).toBe(10);
      expect(s.startedAt).toHaveLength(1);
    });
  }
});

describe('retryAfterHeaderMs', () => {
  it('reads seconds, an HTTP date, and falls back to one second', () => {
    expect(retryAfterHeaderMs('7')).toBe(7_000);
    expect(retryAfterHeaderMs(' 2.5 ')).toBe(2_500);
    const at = retryAfterHeaderMs(new Date(Date.now() + 30_000).toUTCString());
    expect(at).toBeGreaterThan(28_000);
    expect(at).toBeLessThanOrEqual(30_000);
    expect(retryAfterHeaderMs(new Date(Date.now() - 60_000).toUTCString())).toBe(0);
    expect(retryAfterHeaderMs(null)).toBe(1_000);
    expect(retryAfterHeaderMs('soon')).toBe(1_000);
  });
});
