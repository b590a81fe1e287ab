// Latency, injected server errors and the gateway's rate limit, applied before any route. Which
// request fails depends only on the seed and the request's number, so a run is reproducible.
import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';

export interface Quota {
  /** Requests allowed per window (all endpoints together, as the API gateway counts them). */
  readonly limit: number;
  readonly windowMs: number;
}

export interface FaultOptions {
  readonly latencyMs?: number;
  /** Fraction of requests answered with a 5xx (500 JSON or a 502 from the proxy in front). */
  readonly errorRate?: number;
  readonly quota?: Quota;
  readonly seed?: string;
}

function fraction(seed: string, n: number): number {
  return createHash('sha256').update(`${seed}\u0000fault\u0000${n}`).digest().readUInt32BE(0) / 2 ** 32;
}

export function faultHook(options: FaultOptions, stats: { requests: number; faults: number; throttled: number }) {
  const seed = options.seed ?? 'oa';
  let windowStart = 0;
  let used = 0;
  return async (_req: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> => {
    const n = ++stats.requests;
    if (options.latencyMs) await new Promise((r) => setTimeout(r, options.latencyMs));
    const q = options.quota;
    if (q) {
      const now = Date.now();
      if (now - windowStart >= q.windowMs) {
        windowStart = now;
        used = 0;
      }
      if (++used > q.limit) {
        stats.throttled++;
        const seconds = Math.max(1, Math.ceil((windowStart + q.windowMs - now) / 1000));
        return reply.code(429).header('retry-after', String(seconds)).send({ code: '429', errmsg: `接口调用频率超过限制，请${seconds}秒后重试` });
      }
    }
    if (options.errorRate && fraction(seed, n) < options.errorRate) {
      stats.faults++;
      if (n % 2 === 0) {
        return reply.code(502).type('text/html').send('<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center></body></html>');
      }
      return reply.code(500).send({ code: 'SYSTEM_INNER_ERROR', errMsg: { message: '系统内部错误' } });
    }
    return undefined;
  };
}
