// The 党组织 list stream against the simulator, judged by the population's org tree: every org
// arrives exactly once as org.observed under its code, with the system's names and parents; a
// re-read gives the same event ids; a resumed read loses nothing; rows that cannot be orgs are
// InvalidRecords naming the column.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Cursor, ReadItem } from '../contract.ts';
import type { OrgObserved } from '../../schemas/events/index.ts';
import { createMemberSystemConnector, createMemberSystemSimulator, DEFAULT_APP_KEY, DEFAULT_APP_SECRET, mapOrgRow, orgRowsOf, type MemberSystemSimulator } from './index.ts';
import { drain, invalids, population } from './test-fixtures.ts';

const pop = population(3000);
let sim: MemberSystemSimulator;
let baseUrl = '';

beforeAll(async () => {
  sim = createMemberSystemSimulator({ population: pop });
  baseUrl = await sim.start();
});
afterAll(async () => {
  await sim.close();
});

const connector = (pageSize = 40, url = baseUrl) => createMemberSystemConnector({ baseUrl: url, instance: 'jx', appKey: DEFAULT_APP_KEY, appSecret: DEFAULT_APP_SECRET, backoffMs: 5, pageSize });
const orgEvents = (items: readonly ReadItem[]) => items.flatMap((i) => (i.kind === 'event' && i.topic === 'org.observed' ? [i.event as OrgObserved] : []));

describe('member-system connector: the 党组织 list (orgs stream)', () => {
  it('emits every org of the tree exactly once, under its code, with its member-system name, kind and parent', async () => {
    const { batches, items } = await drain(connector().read('orgs', null));
    expect(batches.length).toBe(Math.ceil(pop.orgs.length / 40));
    expect(invalids(items)).toEqual([]);
    const evs = orgEvents(items);
    expect(evs.map((e) => e.source.recordId).sort()).toEqual(pop.orgs.map((o) => o.code).sort());
    const byCode = new Map(pop.orgs.map((o) => [o.code, o]));
    for (const e of evs) {
      const org = byCode.get(e.source.recordId)!;
      expect(e.orgCode).toBe(org.code);
      expect(e.source).toEqual({ system: 'member-system', instance: 'jx', recordId: org.code });
      expect([e.payload.name, e.payload.kind, e.payload.parentCode ?? null, e.payload.category]).toEqual([org.names['member-system'], org.level, org.parentCode, org.category]);
      if (org.parentCode !== null) expect(e.payload.parentName).toBe(byCode.get(org.parentCode)!.names['member-system']);
    }
    // Branches with a 书记 name them; the population gives each branch one.
    const branches = evs.filter((e) => e.payload.kind === '党支部');
    expect(branches.filter((e) => e.payload.secretary !== undefined).length).toBeGreaterThan(branches.length * 0.9);
    // A snapshot stream: the last cursor starts the next sync from the first page again.
    expect(batches.at(-1)!.cursor).toEqual({ pageNo: 1 });
  });

  it('gives the same event ids on a re-read and loses nothing when resumed from a mid-run cursor', async () => {
    const ids = (items: readonly ReadItem[]) => orgEvents(items).map((e) => e.id);
    const full = ids((await drain(connector(25).read('orgs', null))).items);
    expect(new Set(full).size).toBe(pop.orgs.length);
    const firstPart: string[] = [];
    let cursor: Cursor | null = null;
    let k = 0;
    for await (const b of connector(25).read('orgs', null)) {
      firstPart.push(...orgEvents(b.items).map((e) => e.id));
      cursor = b.cursor;
      if (++k === 2) break;
    }
    expect(cursor).toEqual({ pageNo: 3 });
    const rest = ids((await drain(connector(25).read('orgs', cursor))).items);
    expect([...firstPart, ...rest]).toEqual(full);
  });

  it('turns rows that cannot be orgs into InvalidRecords naming the column', async () => {
    const rows = orgRowsOf(pop);
    const damaged = [
      { ...rows[0]!, 党组织代码: '' },
      { ...rows[1]!, 党组织代码: '3601 02' },
      { ...rows[2]!, 党组织名称: '  ' },
      { ...rows[3]!, 党组织类别: '党小组' },
      ...rows.slice(4),
    ];
    const own = createMemberSystemSimulator({ population: pop, orgRows: damaged });
    try {
      const { items } = await drain(connector(40, await own.start()).read('orgs', null));
      const bad = invalids(items);
      expect(bad.map((b) => b.rule.split(':')[0])).toEqual(['党组织代码', '党组织代码', '党组织名称', '党组织类别']);
      expect(bad.every((b) => b.topic === 'org.observed')).toBe(true);
      expect(bad[1]!.recordId).toBe('3601 02');
      expect(orgEvents(items)).toHaveLength(rows.length - 4);
    } finally {
      await own.close();
    }
  });

  it('serves the list the way the system does: token required, business codes in a 200 body, pages capped', async () => {
    const anonymous = await fetch(`${baseUrl}/api/v1/orgs`);
    expect([anonymous.status, ((await anonymous.json()) as { code: number }).code]).toEqual([200, 401]);
    const { data } = (await (await fetch(`${baseUrl}/api/v1/auth/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ appKey: DEFAULT_APP_KEY, appSecret: DEFAULT_APP_SECRET }) })).json()) as { data: { token: string } };
    const get = async (q: string) => (await (await fetch(`${baseUrl}/api/v1/orgs?${q}`, { headers: { authorization: `Bearer ${data.token}` } })).json()) as { code: number; data: { items: unknown[]; total: number; pageSize: number } | null };
    expect((await get('pageNo=0')).code).toBe(400);
    expect((await get('pageSize=x')).code).toBe(400);
    const big = await get('pageNo=1&pageSize=100000');
    expect([big.code, big.data!.total, big.data!.pageSize, big.data!.items.length]).toEqual([0, pop.orgs.length, 500, Math.min(500, pop.orgs.length)]);
    expect((await get(`pageNo=${pop.orgs.length + 1}&pageSize=1`)).data!.items).toEqual([]);
  });

  it('maps one row the same way the stream does', () => {
    const row = orgRowsOf(pop)[0]!;
    const a = mapOrgRow(row, { instance: 'jx', observedAt: '2025-06-30T00:00:00.000Z', where: 'x' });
    const b = mapOrgRow(row, { instance: 'jx', observedAt: '2026-01-01T00:00:00.000Z', where: 'x' });
    expect(a.kind).toBe('event');
    // The id is of (type, source, payload): when it was read does not make a new event.
    expect((a as { event: { id: string } }).event.id).toBe((b as { event: { id: string } }).event.id);
  });
});
