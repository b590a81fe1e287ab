// A real third-party client, node-webot's co-wechat-api, pointed at the simulator through its
// `prefix`: if the simulator's paths, query names, bodies or errcode semantics drifted from
// WeChat's, this client would break the way it would against the real API.
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WechatTag, WechatUserInfo } from '../population/index.ts';
import { population, startSimulator, type Running } from './testing.ts';

interface CoWechatApi {
  prefix: string;
  getAccessToken(): Promise<{ accessToken: string }>;
  getFollowers(next?: string): Promise<{ total: number; count: number; data?: { openid: string[] }; next_openid: string }>;
  batchGetUsers(openids: string[]): Promise<{ user_info_list: WechatUserInfo[] }>;
  getTags(): Promise<{ tags: WechatTag[] }>;
}
type CoWechatApiClass = new (appid: string, secret: string) => CoWechatApi;

const API = createRequire(import.meta.url)('co-wechat-api') as CoWechatApiClass;

describe('co-wechat-api against the simulator', () => {
  const pop = population(2000, 'co-wechat-api');
  let r: Running;
  const client = () => {
    const api = new API(r.sim.appid, r.sim.secret);
    api.prefix = `${r.baseUrl}/cgi-bin/`;
    return api;
  };
  beforeAll(async () => {
    r = await startSimulator({ population: pop, userGetPageSize: 700 });
  });
  afterAll(() => r.sim.close());

  it('fetches a token, pages user/get and batchgets every follower', async () => {
    const api = client();
    expect((await api.getAccessToken()).accessToken).toMatch(/^87_/);
    const openids: string[] = [];
    let next = '';
    for (;;) {
      const page = await api.getFollowers(next);
      if (page.count === 0) break;
      openids.push(...(page.data?.openid ?? []));
      next = page.next_openid;
    }
    expect(openids).toEqual(pop.systems.wechat.followers.map((f) => f.openid));
    const users: WechatUserInfo[] = [];
    for (let i = 0; i < openids.length; i += 100) users.push(...(await api.batchGetUsers(openids.slice(i, i + 100))).user_info_list);
    expect(users).toEqual(pop.systems.wechat.followers);
    expect((await api.getTags()).tags.map((t) => t.name)).toContain('预备党员');
  });

  it('recovers through its own 40001 refresh when another client takes a new token', async () => {
    const a = client();
    const b = client();
    await a.getTags();
    const before = r.sim.tokens.issued;
    await b.getAccessToken();
    const tags = await a.getTags();
    expect(tags.tags.length).toBe(pop.systems.wechat.tags.length);
    expect(r.sim.tokens.issued).toBe(before + 2);
  });

  it('surfaces WeChat errcodes as its WeChatAPIError', async () => {
    const api = new API(r.sim.appid, 'wrong-secret');
    api.prefix = `${r.baseUrl}/cgi-bin/`;
    await expect(api.getTags()).rejects.toMatchObject({ name: 'WeChatAPIError', code: 40125 });
  });
});
