// Deterministic fault injection and API quota, the two ways the simulator says "not now".
import { Rng } from '../../population/rng.ts';
import { ERR } from '../protocol.ts';

export type Fault = { readonly kind: 'busy' } | { readonly kind: 'http'; readonly status: 502 | 503 } | null;

/** The n-th request fails or not by the seed alone, so a run with the same seed sees the same faults. */
export class FaultInjector {
  private n = 0;
  private readonly seed: string;
  private readonly rate: number;

  constructor(seed: string, rate: number) {
    if (!(rate >= 0 && rate < 1)) throw new Error(`errorRate must be in [0, 1), got ${rate}`);
    this.seed = seed;
    this.rate = rate;
  }

  next(): Fault {
    if (this.rate === 0) return null;
    const rng = Rng.of(this.seed, 'wechat-fault', this.n++);
    if (rng.next() >= this.rate) return null;
    const r = rng.next();
    return r < 0.6 ? { kind: 'busy' } : { kind: 'http', status: r < 0.8 ? 502 : 503 };
  }
}

export interface QuotaOptions {
  /** Calls per clock minute across the data APIs (45011 past it). */
  readonly perMinute?: number;
  /** Calls per day, reset at 00:00 China Standard Time (45009 past it). */
  readonly daily?: number;
}

const MINUTE = 60_000;
const DAY = 86_400_000;
const CST = 8 * 3_600_000;

/** Counts data-API calls per minute and per CST day; token calls do not count (as in WeChat). */
export class Quota {
  private minuteKey = -1;
  private minuteCount = 0;
  private dayKey = -1;
  private dayCount = 0;
  private readonly options: QuotaOptions;
  private readonly now: () => number;

  constructor(options: QuotaOptions, now: () => number) {
    this.options = options;
    this.now = now;
  }

  /** Takes one call from the quota, or returns the errcode that refuses it. */
  take(): number | null {
    const t = this.now();
    const day = Math.floor((t + CST) / DAY);
    const minute = Math.floor(t / MINUTE);
    if (day !== this.dayKey) [this.dayKey, this.dayCount] = [day, 0];
    if (minute !== this.minuteKey) [this.minuteKey, this.minuteCount] = [minute, 0];
    if (this.options.daily !== undefined && this.dayCount >= this.options.daily) return ERR.dailyQuota;
    if (this.options.perMinute !== undefined && this.minuteCount >= this.options.perMinute) return ERR.minuteQuota;
    this.dayCount++;
    this.minuteCount++;
    return null;
  }
}
