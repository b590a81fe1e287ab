// The simulator speaks WeChat's protocol: token semantics, user/get paging at 10,000,
// batchget at 100, errcodes as HTTP 200 JSON, quota errcodes, seeded faults, the binding feed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { population, startSimulator, type Running } from './testing.ts';
import { createWechatSimulator } from './simulator/server.ts';

const json = async (res: Response) => ({ status: res.status, type: res.headers.get('content-type') ?? '', body: (await res.json()) as Record<string, unknown> });

describe('wechat simulator: tokens', () => {
  let now = Date.parse('2025-06-30T02:00:00Z');
  let r: Running;
  beforeAll(async () => {
    r = await startSimulator({ population: population(300, 'sim-tokens'), now: () => now });
  });
  afterAll(() => r.sim.close());
  const token = (q: Record<string, string>) => fetch(`${r.baseUrl}/cgi-bin/token?${new URLSearchParams(q).toString()}`).then(json);
  const stable = (body: unknown) => fetch(`${r.baseUrl}/cgi-bin/stable_token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }).then(json);
  const tags = (t: string) => fetch(`${r.baseUrl}/cgi-bin/tags/get?access_token=${t}`).then(json);
  const good = () => ({ grant_type: 'client_credential', appid: r.sim.appid, secret: r.sim.secret });

  it('refuses bad credentials with errcodes on HTTP 200', async () => {
    expect(await token({ ...good(), appid: 'wxnope' })).toMatchObject({ status: 200, body: { errcode: 40013 } });
    expect(await token({ ...good(), secret: 'nope' })).toMatchObject({ status: 200, body: { errcode: 40125 } });
    expect(await token({ ...good(), grant_type: 'password' })).toMatchObject({ body: { errcode: 40002 } });
    const res = await token({ ...good(), secret: 'nope' });
    expect(res.type).toContain('application/json');
    expect(String(res.body.errmsg)).toMatch(/^invalid appsecret rid: /);
  });

  it('a new token invalidates the previous one; expiry gives 42001', async () => {
    const first = (await token(good())).body;
    expect(first.expires_in).toBe(7200);
    expect((await tags(String(first.access_token))).body.tags).toBeInstanceOf(Array);
    const second = (await token(good())).body;
    expect(second.access_token).not.toBe(first.access_token);
    expect((await tags(String(first.access_token))).body.errcode).toBe(40001);
    expect((await tags(String(second.access_token))).body.errcode).toBeUndefined();
    expect((await fetch(`${r.baseUrl}/cgi-bin/tags/get`).then(json)).body.errcode).toBe(41001);
    now += 7201_000;
    expect((await tags(String(second.access_token))).body.errcode).toBe(42001);
  });

  it('stable_token returns the same token until force_refresh, separately from token', async () => {
    const a = (await stable(good())).body;
    const b = (await stable(good())).body;
    expect(b.access_token).toBe(a.access_token);
    await token(good());
    expect((await tags(String(a.access_token))).body.errcode).toBeUndefined();
    const c = (await stable({ ...good(), force_refresh: true })).body;
    expect(c.access_token).not.toBe(a.access_token);
    expect((await tags(String(a.access_token))).body.errcode).toBe(40001);
    expect((await stable({ ...good(), secret: 'x' })).body.errcode).toBe(40125);
  });
});

describe('wechat simulator: user/get and batchget', () => {
  const pop = population(13_000, 'sim-paging');
  const followers = pop.systems.wechat.followers;
  let r: Running;
  let access = '';
  beforeAll(async () => {
    r = await startSimulator({ population: pop });
    access = String((await fetch(`${r.baseUrl}/cgi-bin/token?grant_type=client_credential&appid=${r.sim.appid}&secret=${r.sim.secret}`).then(json)).body.access_token);
  });
  afterAll(() => r.sim.close());
  const userGet = (next: string) => fetch(`${r.baseUrl}/cgi-bin/user/get?access_token=${access}&next_openid=${encodeURIComponent(next)}`).then(json);
  const batchget = (body: unknown) =>
    fetch(`${r.baseUrl}/cgi-bin/user/info/batchget?access_token=${access}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: typeof body === 'string' ? body : JSON.stringify(body) }).then(json);

  it('pages openids 10,000 at a time in subscription order, ending with count 0 and next_openid ""', async () => {
    expect(followers.length).toBeGreaterThan(10_000);
    const seen: string[] = [];
    let next = '';
    const counts: number[] = [];
    for (;;) {
      const { body } = await userGet(next);
      expect(body.total).toBe(followers.length);
      counts.push(Number(body.count));
      if (body.count === 0) {
        expect(body.next_openid).toBe('');
        break;
      }
      const ids = (body.data as { openid: string[] }).openid;
      expect(ids.length).toBe(body.count);
      expect(body.next_openid).toBe(ids.at(-1));
      seen.push(...ids);
      next = String(body.next_openid);
    }
    expect(counts).toEqual([10_000, followers.length - 10_000, 0]);
    expect(seen).toEqual(followers.map((f) => f.openid));
    expect((await userGet('oX3mTnot-a-follower')).body.errcode).toBe(40003);
  });

  it('batchget returns the population records, at most 100 per call', async () => {
    const ids = followers.slice(500, 600).map((f) => f.openid);
    const { body } = await batchget({ user_list: ids.map((openid) => ({ openid, lang: 'zh_CN' })) });
    expect(body.user_info_list).toEqual(followers.slice(500, 600));
    const tooMany = followers.slice(0, 101).map((f) => ({ openid: f.openid, lang: 'zh_CN' }));
    expect((await batchget({ user_list: tooMany })).body.errcode).toBe(40035);
    expect((await batchget({ user_list: [{ openid: 'nobody' }] })).body.errcode).toBe(40003);
    expect((await batchget('{"user_list": [')).body.errcode).toBe(47001);
    expect((await batchget('')).body.errcode).toBe(44002);
  });

  it('tags/get lists the account tags with follower counts', async () => {
    const { body } = await fetch(`${r.baseUrl}/cgi-bin/tags/get?access_token=${access}`).then(json);
    expect(body.tags).toEqual(pop.systems.wechat.tags);
    const member = (body.tags as { id: number; count: number }[]).find((t) => t.id === 100);
    expect(member?.count).toBe(followers.filter((f) => f.tagid_list.includes(100)).length);
  });
});

describe('wechat simulator: quota, faults, bindings', () => {
  const pop = population(1500, 'sim-misc');

  it('answers 45011 past the minute quota and 45009 past the daily quota; token calls do not count', async () => {
    const now = Date.parse('2025-06-30T03:00:10Z');
    for (const [quota, code] of [[{ perMinute: 3 }, 45011], [{ daily: 2 }, 45009]] as const) {
      const r = await startSimulator({ population: pop, quota, now: () => now });
      const t = (await fetch(`${r.baseUrl}/cgi-bin/token?grant_type=client_credential&appid=${r.sim.appid}&secret=${r.sim.secret}`).then(json)).body.access_token;
      const codes: unknown[] = [];
      for (let i = 0; i < 5; i++) codes.push((await fetch(`${r.baseUrl}/cgi-bin/tags/get?access_token=${String(t)}`).then(json)).body.errcode);
      const allowed = 'perMinute' in quota ? quota.perMinute : quota.daily;
      expect(codes).toEqual([...Array<undefined>(allowed).fill(undefined), ...Array<number>(5 - allowed).fill(code)]);
      await r.sim.close();
    }
  });

  it('injects the same faults for the same seed, as errcode -1 or HTTP 5xx', async () => {
    const sequence = async () => {
      const sim = createWechatSimulator({ population: pop, errorRate: 0.3, seed: 'faults' });
      const base = await sim.start();
      const out: string[] = [];
      for (let i = 0; i < 60; i++) {
        const res = await fetch(`${base}/cgi-bin/token?grant_type=client_credential&appid=${sim.appid}&secret=${sim.secret}`);
        const text = await res.text();
        out.push(res.status !== 200 ? `http ${res.status}` : text.includes('"errcode":-1') ? 'busy' : 'ok');
      }
      await sim.close();
      return out;
    };
    const a = await sequence();
    expect(a).toEqual(await sequence());
    expect(a.filter((x) => x !== 'ok').length).toBeGreaterThan(6);
    expect(a).toContain('busy');
    expect(a.some((x) => x.startsWith('http 5'))).toBe(true);
  });

  it('serves every binding once through the since cursor, behind its API key', async () => {
    const r = await startSimulator({ population: pop });
    const get = (q: string, key = r.sim.bindingsKey) => fetch(`${r.baseUrl}/miniprogram/bindings?${q}`, { headers: { 'x-api-key': key } });
    expect((await get('limit=5', 'wrong')).status).toBe(401);
    expect((await get('limit=1001')).status).toBe(400);
    const seen: string[] = [];
    let since = '';
    for (;;) {
      const body = (await (await get(`since=${since}&limit=37`)).json()) as { items: { id: string }[]; next_since: string; has_more: boolean };
      seen.push(...body.items.map((b) => b.id));
      since = body.next_since;
      if (!body.has_more) break;
    }
    expect(seen.length).toBe(pop.systems.wechat.bindings.length);
    expect(new Set(seen)).toEqual(new Set(pop.systems.wechat.bindings.map((b) => b.id)));
    await r.sim.close();
  });
});
