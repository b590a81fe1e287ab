// Deterministic fault injection and quota for the simulator: the n-th request fails or not by a
// hash of (seed, n), so a test run with a given seed meets the same faults every time.
import { createHash } from 'node:crypto';

export type InjectedFault = { status: 500 | 503 | 200; code: 500 | 503; msg: string };

const FAULTS: readonly InjectedFault[] = [
  { status: 503, code: 503, msg: '系统繁忙，请稍后再试' },
  { status: 500, code: 500, msg: '服务器内部错误' },
  // The gateway answers 200 with a busy code when the database pool is exhausted.
  { status: 200, code: 503, msg: '数据库连接繁忙' },
];

export function faultFor(seed: string, request: number, errorRate: number): InjectedFault | null {
  if (errorRate <= 0) return null;
  const h = createHash('sha256').update(`${seed}\u0000fault\u0000${request}`).digest();
  if (h.readUInt32BE(0) / 2 ** 32 >= errorRate) return null;
  return FAULTS[h.readUInt32BE(4) % FAULTS.length]!;
}

export interface Quota {
  /** Data requests allowed per window (token requests do not count). */
  readonly limit: number;
  readonly windowSeconds: number;
}

/** A fixed-window counter: answers how many seconds to wait when the window is used up. */
export class QuotaWindow {
  readonly #quota: Quota;
  #start = 0;
  #used = 0;

  constructor(quota: Quota) {
    this.#quota = quota;
  }

  /** null when the request may go ahead, else seconds until the window resets. */
  take(now: number): number | null {
    const span = this.#quota.windowSeconds * 1000;
    if (now - this.#start >= span) {
      this.#start = now;
      this.#used = 0;
    }
    if (this.#used >= this.#quota.limit) return Math.max(1, Math.ceil((this.#start + span - now) / 1000));
    this.#used++;
    return null;
  }
}
