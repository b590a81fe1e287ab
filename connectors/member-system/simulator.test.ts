// Protocol faithfulness of the simulator, spoken to with plain fetch: token auth, body error
// codes, page-size limit, cursor and modified-since paging, later edits, quota and faults.
import { afterEach, describe, expect, it } from 'vitest';
import { createMemberSystemSimulator, DEFAULT_APP_KEY, DEFAULT_APP_SECRET, MAX_PAGE_SIZE, type MemberSystemSimulator } from './index.ts';
import type { ChangeItem } from './fields.ts';
import { population } from './test-fixtures.ts';

const pop = population(1500);
const rows = pop.systems.memberSystem.rows;
const open: MemberSystemSimulator[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
});

type Body<T = unknown> = { code: number; msg: string; data: T };
type Page = Body<{ items: ChangeItem[]; nextCursor: string | null; hasMore: boolean }>;

async function start(options: Partial<Parameters<typeof createMemberSystemSimulator>[0]> = {}) {
  const sim = createMemberSystemSimulator({ population: pop, ...options });
  open.push(sim);
  const base = await sim.start();
  const token = async (secret = DEFAULT_APP_SECRET) => {
    const res = await fetch(`${base}/api/v1/auth/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ appKey: DEFAULT_APP_KEY, appSecret: secret }) });
    return (await res.json()) as Body<{ token: string; expiresIn: number } | null>;
  };
  const changes = async (query: string, bearer: string) => {
    const res = await fetch(`${base}/api/v1/members/changes?${query}`, { headers: { authorization: `Bearer ${bearer}` } });
    return { res, body: (await res.json()) as Page };
  };
  return { sim, base, token, changes };
}

async function scan(s: Awaited<ReturnType<typeof start>>, bearer: string, first: string, size = 200) {
  const items: ChangeItem[] = [];
  let query = first;
  for (;;) {
    const { body } = await s.changes(query, bearer);
    expect(body.code).toBe(0);
    expect(body.data.items.length).toBeLessThanOrEqual(size);
    items.push(...body.data.items);
    const last = body.data.nextCursor;
    if (!body.data.hasMore) return { items, last };
    query = `cursor=${encodeURIComponent(last ?? '')}&pageSize=${size}`;
  }
}

describe('member-system simulator', () => {
  it('issues tokens for the right app key only and refuses missing, unknown and expired tokens with code 401', async () => {
    const s = await start({ tokenTtlSeconds: 900 });
    expect((await s.token('wrong')).code).toBe(403);
    const ok = await s.token();
    expect(ok.code).toBe(0);
    expect(ok.data?.expiresIn).toBe(900);
    const bearer = ok.data!.token;
    expect((await s.changes('pageSize=1', 'nope')).body.code).toBe(401);
    const good = await s.changes('pageSize=1', bearer);
    expect(good.body.code).toBe(0);
    expect(good.res.headers.get('x-request-id')).toMatch(/^sim-\d+$/u);
    s.sim.expireTokens();
    const expired = await s.changes('pageSize=1', bearer);
    expect([expired.res.status, expired.body.code]).toEqual([200, 401]);
  });

  it('caps pages at 500, rejects bad page sizes, cursors and times with code 400', async () => {
    const s = await start();
    const bearer = (await s.token()).data!.token;
    const big = await s.changes('pageSize=10000', bearer);
    expect(big.body.data.items).toHaveLength(Math.min(MAX_PAGE_SIZE, rows.length));
    expect(big.body.data.hasMore).toBe(rows.length > MAX_PAGE_SIZE);
    for (const q of ['pageSize=0', 'pageSize=abc', 'cursor=%25%25%25', 'modifiedSince=yesterday']) expect((await s.changes(q, bearer)).body.code, q).toBe(400);
  });

  it('pages every row exactly once in (修改时间, 记录ID) order, and modifiedSince returns the rows changed from then on', async () => {
    const s = await start();
    const bearer = (await s.token()).data!.token;
    const { items } = await scan(s, bearer, 'pageSize=200');
    expect(items.map((i) => i.记录ID).sort()).toEqual(rows.map((r) => r.记录ID).sort());
    for (let i = 1; i < items.length; i++) {
      const [a, b] = [items[i - 1]!, items[i]!];
      expect(a.修改时间 < b.修改时间 || (a.修改时间 === b.修改时间 && a.记录ID < b.记录ID)).toBe(true);
    }
    expect(items.every((i) => /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/u.test(i.修改时间) && i.操作类型 === '新增')).toBe(true);
    const pivot = items[Math.floor(items.length / 3)]!.修改时间;
    const since = await scan(s, bearer, `modifiedSince=${encodeURIComponent(pivot)}&pageSize=200`);
    expect(since.items.map((i) => i.记录ID)).toEqual(items.filter((i) => i.修改时间 >= pivot).map((i) => i.记录ID));
    const iso = `${pivot.replace(' ', 'T')}+08:00`;
    expect((await scan(s, bearer, `modifiedSince=${encodeURIComponent(iso)}&pageSize=200`)).items).toHaveLength(since.items.length);
  });

  it('serves rows edited later after the old cursor, with a later time, 操作类型 修改 and the edit', async () => {
    const s = await start();
    const bearer = (await s.token()).data!.token;
    const first = await scan(s, bearer, 'pageSize=500', 500);
    const touched = s.sim.touch(0.05);
    expect(touched.length).toBeGreaterThan(0);
    const again = await scan(s, bearer, `cursor=${first.last}&pageSize=500`, 500);
    expect(again.items.map((i) => i.记录ID).sort()).toEqual([...touched].sort());
    const before = new Map(first.items.map((i) => [i.记录ID, i]));
    for (const item of again.items) {
      expect(item.操作类型).toBe('修改');
      expect(item.修改时间 > first.items.at(-1)!.修改时间).toBe(true);
      expect(item.联系电话).not.toBe(before.get(item.记录ID)!.联系电话);
    }
    const empty = await s.changes(`cursor=${again.last}&pageSize=10`, bearer);
    expect([empty.body.data.items.length, empty.body.data.nextCursor, empty.body.data.hasMore]).toEqual([0, again.last, false]);
  });

  it('answers code 429 with retryAfter and Retry-After once the quota window is used up', async () => {
    const s = await start({ quota: { limit: 2, windowSeconds: 60 } });
    const bearer = (await s.token()).data!.token;
    expect((await s.changes('pageSize=1', bearer)).body.code).toBe(0);
    expect((await s.changes('pageSize=1', bearer)).body.code).toBe(0);
    const limited = await s.changes('pageSize=1', bearer);
    const data = limited.body.data as unknown as { retryAfter: number };
    expect(limited.body.code).toBe(429);
    expect(data.retryAfter).toBeGreaterThan(50);
    expect(Number(limited.res.headers.get('retry-after'))).toBe(data.retryAfter);
    expect(s.sim.stats.rateLimited).toBe(1);
  });

  it('injects server faults at the configured rate, the same ones for the same seed', async () => {
    const statuses = async () => {
      const s = await start({ errorRate: 0.3, seed: 'faults' });
      const seen: string[] = [];
      for (let i = 0; i < 60; i++) {
        const res = await fetch(`${s.base}/api/v1/members/changes?pageSize=1`);
        const body = (await res.json()) as Body;
        seen.push(`${res.status}/${body.code}`);
      }
      return { seen, faults: s.sim.stats.faults };
    };
    const [a, b] = [await statuses(), await statuses()];
    expect(a.seen).toEqual(b.seen);
    expect(a.faults).toBeGreaterThan(6);
    expect(a.faults).toBeLessThan(32);
    expect(a.seen.filter((x) => x !== '200/401').every((x) => ['503/503', '500/500', '200/503'].includes(x))).toBe(true);
  });
});
