// The knobs that make the simulator behave like a busy production LRS: latency, a deterministic
// share of 5xx answers (same seed → the same requests fail), and a request quota per window
// answered with 429 + Retry-After, as LRS gateways do.
import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';

export interface QuotaOptions {
  /** Requests allowed per window; the next one gets 429 until the window ends. */
  readonly requests: number;
  readonly windowMs: number;
}

export interface FaultOptions {
  readonly latencyMs?: number;
  /** Fraction of requests answered 500/502/503 (decided per request number and seed). */
  readonly errorRate?: number;
  readonly quota?: QuotaOptions;
  readonly seed?: string;
}

export type Fault =
  | { readonly kind: 'error'; readonly status: 500 | 502 | 503 }
  | { readonly kind: 'quota'; readonly retryAfterSeconds: number }
  | null;

/** A uniform number in [0, 1) from a string, stable across runs and machines. */
export function unit(text: string): number {
  return createHash('sha256').update(text).digest().readUInt32BE(0) / 2 ** 32;
}

const STATUSES = [500, 502, 503] as const;

export class Faults {
  private readonly options: FaultOptions;
  private windowStart = -Infinity;
  private inWindow = 0;

  constructor(options: FaultOptions) {
    this.options = options;
  }

  async delay(): Promise<void> {
    if (this.options.latencyMs) await sleep(this.options.latencyMs);
  }

  /** Decides the fault, if any, for the n-th request at time `now`. */
  decide(n: number, now: number): Fault {
    const { quota, errorRate = 0, seed = 'xapi' } = this.options;
    if (quota) {
      if (now - this.windowStart >= quota.windowMs) {
        this.windowStart = now;
        this.inWindow = 0;
      }
      if (++this.inWindow > quota.requests) {
        return { kind: 'quota', retryAfterSeconds: Math.max(1, Math.ceil((this.windowStart + quota.windowMs - now) / 1000)) };
      }
    }
    if (errorRate > 0) {
      const u = unit(`${seed}\u0000${n}`);
      if (u < errorRate) return { kind: 'error', status: STATUSES[Math.floor((u / errorRate) * STATUSES.length)] ?? 503 };
    }
    return null;
  }
}
