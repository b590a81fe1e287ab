// The party mini-program's binding feed: our own backend, not WeChat's, so a plain keyed,
// cursor-paged JSON endpoint. Bindings are ordered by (boundAt, id); `since` is the opaque
// position after the last item a client has seen.
import type { FastifyInstance } from 'fastify';
import type { WechatBinding } from '../../population/index.ts';
import { BINDINGS_LIMIT } from '../protocol.ts';

interface BindingsDeps {
  readonly bindings: readonly WechatBinding[];
  readonly bindingsKey: string;
}

const keyOf = (b: WechatBinding) => `${b.boundAt}|${b.id}`;

export function registerBindingsRoute(app: FastifyInstance, deps: BindingsDeps): void {
  const sorted = [...deps.bindings].sort((a, b) => (keyOf(a) < keyOf(b) ? -1 : keyOf(a) > keyOf(b) ? 1 : 0));
  const keys = sorted.map(keyOf);

  app.get('/miniprogram/bindings', async (req, reply) => {
    if (req.headers['x-api-key'] !== deps.bindingsKey) return reply.code(401).send({ errcode: 401, errmsg: 'invalid api key' });
    const q = req.query as Record<string, string | undefined>;
    const limit = q.limit === undefined ? 100 : Number(q.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > BINDINGS_LIMIT) return reply.code(400).send({ errcode: 400, errmsg: `limit must be 1–${BINDINGS_LIMIT}` });
    let after = '';
    if (q.since !== undefined && q.since !== '') {
      after = Buffer.from(q.since, 'base64url').toString('utf8');
      if (!after.includes('|')) return reply.code(400).send({ errcode: 400, errmsg: 'invalid since' });
    }
    const start = after === '' ? 0 : upperBound(keys, after);
    const items = sorted.slice(start, start + limit);
    const last = items[items.length - 1];
    const nextSince = last === undefined ? (q.since ?? '') : Buffer.from(keyOf(last), 'utf8').toString('base64url');
    return { errcode: 0, items, next_since: nextSince, has_more: start + items.length < sorted.length };
  });
}

/** First index whose key sorts after `key`. */
function upperBound(keys: readonly string[], key: string): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((keys[mid] ?? '') <= key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
