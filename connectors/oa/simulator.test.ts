// The simulator speaks e-cology's protocol: dev-auth with RSA, token expiry, HRM paging limits,
// the 统一待办 list and ProcessDone semantics, notice forms, and seeded fault injection.
import { constants, createPublicKey, generateKeyPairSync, publicEncrypt } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OaClient } from './client.ts';
import { MAX_PAGE_SIZE, PATHS, type OaEmployee, type OaTodo } from './protocol.ts';
import { population, startSimulator, type Running } from './testing.ts';

const pop = population(3000);
let run: Running;
beforeAll(async () => {
  run = await startSimulator({ population: pop });
});
afterAll(() => run.sim.close());

const post = async (path: string, headers: Record<string, string>, body?: unknown) => {
  const res = await fetch(new URL(path, run.url), {
    method: 'POST', headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
};

async function login(appid = 'yibiao'): Promise<Record<string, string>> {
  const cpk = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
  const reg = (await post(PATHS.regist, { appid, cpk })).body as { secrit: string; spk: string };
  const spk = createPublicKey({ key: Buffer.from(reg.spk, 'base64'), format: 'der', type: 'spki' });
  const enc = (s: string) => publicEncrypt({ key: spk, padding: constants.RSA_PKCS1_PADDING }, Buffer.from(s)).toString('base64');
  const tok = (await post(PATHS.applyToken, { appid, secret: enc(reg.secrit) })).body as { status: boolean; token: string };
  expect(tok.status).toBe(true);
  return { appid, token: tok.token, userid: enc('1') };
}

describe('dev-auth', () => {
  it('refuses an unregistered appid and a secret not encrypted with the server key', async () => {
    expect((await post(PATHS.regist, { appid: 'intruder', cpk: 'x' })).body).toMatchObject({ status: false });
    const reg = (await post(PATHS.regist, { appid: 'yibiao', cpk: 'x' })).body as { secrit: string };
    const plain = await post(PATHS.applyToken, { appid: 'yibiao', secret: reg.secrit });
    expect(plain.body).toMatchObject({ status: false });
    expect(plain.body.token).toBeUndefined();
  });

  it('answers a missing or unknown token with code -1 before any API', async () => {
    const r = await post(PATHS.employees, { appid: 'yibiao', token: 'nope', userid: 'x' }, { params: { curpage: 1, pagesize: 10 } });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ code: '-1', status: false });
    expect(String(r.body.msg)).toContain('token');
  });

  it('expires tokens; the client applies for a new one once and carries on', async () => {
    // Long enough that a loaded machine cannot expire the first token between issue and use.
    const short = await startSimulator({ population: pop, tokenLifetimeMs: 1_000 });
    try {
      const client = new OaClient({ baseUrl: short.url, appid: 'yibiao', syscode: 'YBDJ' });
      await client.employeesPage(1, 5);
      await new Promise((r) => setTimeout(r, 1_200));
      const page = await client.employeesPage(2, 5);
      expect(page.dataList.map((e) => e.id)).toEqual(pop.systems.oa.employees.slice(5, 10).map((e) => e.id));
      expect(client.tokensApplied).toBe(2);
      expect(short.sim.stats.tokensIssued).toBe(2);
    } finally {
      await short.sim.close();
    }
  });
});

describe('HRM directory (getHrmUserInfoWithPage)', () => {
  it('pages the whole directory in id order and clamps the page size', async () => {
    const h = await login();
    const seen: OaEmployee[] = [];
    for (let page = 1; ; page++) {
      const r = await post(PATHS.employees, h, { params: { curpage: page, pagesize: 5000 } });
      const data = r.body.data as { totalSize: number; pageSize: number; dataList: OaEmployee[] };
      expect(r.body.code).toBe('1');
      expect(data.pageSize).toBe(MAX_PAGE_SIZE);
      expect(data.totalSize).toBe(pop.systems.oa.employees.length);
      expect(data.dataList.length).toBeLessThanOrEqual(MAX_PAGE_SIZE);
      if (data.dataList.length === 0) break;
      seen.push(...data.dataList);
    }
    const truthIds = pop.truth.records.filter((t) => t.system === 'oa' && t.kind === 'employee').map((t) => Number(t.id));
    expect(seen.map((e) => e.id)).toEqual([...truthIds].sort((a, b) => a - b));
  });

  it('answers bad paging with a non-1 code and errmsg', async () => {
    const r = await post(PATHS.employees, await login(), { params: { curpage: 0, pagesize: 10 } });
    expect(r.body.code).not.toBe('1');
    expect(r.body.errmsg).toMatch(/curpage/);
  });
});

describe('统一待办 (getTodoList, ProcessDoneRequestByJson) and notice forms', () => {
  it('lists todos by creation time with time and receiver filters', async () => {
    const all = (await post(PATHS.todoList, {}, { syscode: 'YBDJ', pageNo: 1, pageSize: 1000 })).body.data as { dataList: OaTodo[]; totalSize: number };
    expect(all.totalSize).toBe(pop.systems.oa.todos.length);
    const times = all.dataList.map((t) => t.createdatetime);
    expect(times).toEqual([...times].sort());
    const mid = times[Math.floor(times.length / 2)] ?? '';
    const later = (await post(PATHS.todoList, {}, { syscode: 'YBDJ', pageNo: 1, pageSize: 1000, createdatetimeFrom: mid })).body.data as { dataList: OaTodo[] };
    expect(later.dataList.length).toBe(times.filter((t) => t >= mid).length);
    const receiver = pop.systems.oa.todos[0]?.receiver ?? '';
    const mine = (await post(PATHS.todoList, {}, { syscode: 'YBDJ', pageNo: 1, pageSize: 1000, receiver })).body.data as { dataList: OaTodo[] };
    expect(mine.dataList.length).toBe(pop.systems.oa.todos.filter((t) => t.receiver === receiver).length);
    expect((await post(PATHS.todoList, {}, { syscode: 'OTHER', pageNo: 1, pageSize: 10 })).body.code).not.toBe('1');
  });

  it('serves each notice form with the linked task\'s branch, period, deadline and items', async () => {
    const client = new OaClient({ baseUrl: run.url, appid: 'yibiao', syscode: 'YBDJ' });
    for (const task of pop.tasks.filter((t) => t.system === 'oa').slice(0, 20)) {
      const form = await client.todoForm(task.sourceRecordId);
      expect(form?.get('tbzb')).toBe(task.branchCode);
      expect(form?.get('tbqj')).toBe(task.period);
      expect(form?.get('jzsj')).toBe(task.dueAt);
      expect(form?.get('tbxm')?.split(',')).toEqual(task.fields);
    }
    expect(await client.todoForm('999999999')).toBeUndefined();
  });

  it('closes a todo once, records every delivery and marks repeats as duplicates', async () => {
    const client = new OaClient({ baseUrl: run.url, appid: 'yibiao', syscode: 'YBDJ' });
    const todo = pop.systems.oa.todos[3] as OaTodo;
    const before = run.sim.writes.length;
    expect((await client.closeTodo(todo.flowid, todo.receiver)).message).toBe('处理成功');
    expect((await client.closeTodo(todo.flowid, todo.receiver)).operResult).toBe('1');
    const mine = run.sim.writes.slice(before);
    expect(mine.map((w) => [w.flowid, w.receiver, w.duplicate])).toEqual([[todo.flowid, todo.receiver, false], [todo.flowid, todo.receiver, true]]);
    const done = (await post(PATHS.todoList, {}, { syscode: 'YBDJ', pageNo: 1, pageSize: 1000, isremark: '2' })).body.data as { dataList: OaTodo[] };
    expect(done.dataList.map((t) => t.flowid)).toContain(todo.flowid);
    await expect(client.closeTodo(todo.flowid, 'someone-else')).rejects.toMatchObject({ code: 'operResult:0' });
    expect(run.sim.writes.length).toBe(before + 2);
  });
});

describe('faults', () => {
  it('fails the same requests for the same seed', async () => {
    const outcomes = async () => {
      const s = await startSimulator({ population: pop, errorRate: 0.3, seed: 'faults' });
      try {
        const codes: number[] = [];
        for (let i = 0; i < 30; i++) codes.push((await fetch(new URL(PATHS.todoList, s.url), { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"syscode":"YBDJ"}' })).status);
        return codes;
      } finally {
        await s.sim.close();
      }
    };
    const a = await outcomes();
    expect(a.filter((c) => c >= 500).length).toBeGreaterThan(0);
    expect(a.filter((c) => c === 200).length).toBeGreaterThan(0);
    expect(await outcomes()).toEqual(a);
  });

  it('throttles past the quota with 429 and Retry-After', async () => {
    const s = await startSimulator({ population: pop, quota: { limit: 2, windowMs: 30_000 } });
    try {
      const statuses: Array<[number, string | null]> = [];
      for (let i = 0; i < 3; i++) {
        const res = await fetch(new URL(PATHS.todoList, s.url), { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"syscode":"YBDJ"}' });
        statuses.push([res.status, res.headers.get('retry-after')]);
      }
      expect(statuses.slice(0, 2).map(([c]) => c)).toEqual([200, 200]);
      expect(statuses[2]?.[0]).toBe(429);
      expect(Number(statuses[2]?.[1])).toBeGreaterThan(20);
    } finally {
      await s.sim.close();
    }
  });
});
