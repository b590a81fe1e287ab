// The connector's live read against the simulator, judged by the population's truth: every
// member-system record arrives exactly once, as an event with the row's raw values or, for a
// damaged row, as an InvalidRecord naming the broken column; resume and incremental reads.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemberSystemConnector, createMemberSystemSimulator, DEFAULT_APP_KEY, DEFAULT_APP_SECRET, type MemberSystemSimulator } from './index.ts';
import type { Cursor } from '../contract.ts';
import { damage, drain, events, invalids, population } from './test-fixtures.ts';

const pop = population(3000);
const truth = pop.truth.records.filter((r) => r.system === 'member-system');
const { rows, broken } = damage(pop.systems.memberSystem.rows);
const rowById = new Map(rows.map((r) => [r.记录ID, r]));
let sim: MemberSystemSimulator;
let baseUrl = '';

beforeAll(async () => {
  sim = createMemberSystemSimulator({ population: pop, rows });
  baseUrl = await sim.start();
});
afterAll(async () => {
  await sim.close();
});

const connector = (extra: Partial<Parameters<typeof createMemberSystemConnector>[0]> = {}) =>
  createMemberSystemConnector({ baseUrl, instance: 'jx', appKey: DEFAULT_APP_KEY, appSecret: DEFAULT_APP_SECRET, backoffMs: 5, ...extra });

describe('member-system connector: live read', () => {
  it('checks credentials and lists the members and orgs streams', async () => {
    expect((await connector().check()).ok).toBe(true);
    const bad = await connector({ appSecret: 'wrong' }).check();
    expect(bad.ok).toBe(false);
    expect(bad.message).toContain('403');
    expect((await connector().discover()).map((s) => [s.name, s.topics])).toEqual([['members', ['member.observed']], ['orgs', ['org.observed']]]);
  });

  it('turns every truth record into exactly one event or, when damaged, one InvalidRecord with its rule', async () => {
    const { batches, items } = await drain(connector().read('members', null));
    expect(batches.every((b) => b.items.length > 0 && b.items.length <= 500 && b.recordsRead === b.items.length)).toBe(true);
    const evs = events(items);
    const bad = invalids(items);
    expect(broken.size).toBeGreaterThan(20);
    expect(bad.map((b) => b.recordId).sort()).toEqual([...broken.keys()].sort());
    for (const b of bad) expect(b.rule.startsWith(`${broken.get(b.recordId)!.column}:`), b.rule).toBe(true);
    for (const b of bad) expect((b.raw as Record<string, unknown>)['记录ID']).toBe(b.recordId);
    const seen = evs.map((e) => e.source.recordId);
    expect(new Set(seen).size).toBe(seen.length);
    expect([...seen, ...bad.map((b) => b.recordId)].sort()).toEqual(truth.map((t) => t.id).sort());
    for (const e of evs) {
      const row = rowById.get(e.source.recordId)!;
      expect(e.source).toEqual({ system: 'member-system', instance: 'jx', recordId: row.记录ID });
      // Raw values: full-width digits, lowercase x and 15-digit numbers come through untouched.
      expect([e.payload.name, e.payload.idNumber, e.payload.phone ?? '', e.payload.orgName]).toEqual([row.姓名, row.公民身份证号码, row.联系电话, row.所在党支部]);
      expect([e.payload.category, e.payload.joinedAt, e.payload.fullMemberAt ?? '', e.payload.birthDate ?? '']).toEqual([row.人员类别, row.入党日期, row.转正日期, row.出生日期]);
      expect([e.payload.lostContact, e.payload.floating, e.payload.status, e.payload.deleted]).toEqual([row.是否失联党员 === '是', row.是否流动党员 === '是', row.党籍状态, false]);
      expect(e.occurredAt).toMatch(/\+08:00$/u);
    }
    const noisy = truth.filter((t) => t.noise.some((n) => n === 'idLegacy15' || n === 'fullWidth' || n === 'idLowercaseX') && !broken.has(t.id));
    expect(noisy.length).toBeGreaterThan(0);
    for (const t of noisy) expect(evs.find((e) => e.source.recordId === t.id)!.payload.idNumber).toBe(rowById.get(t.id)!.公民身份证号码);
  });

  it('resumes from the last yielded cursor with nothing lost and the same event ids', async () => {
    const full = await drain(connector({ pageSize: 300 }).read('members', null));
    let cursor: Cursor | null = null;
    const firstPart: string[] = [];
    let k = 0;
    for await (const b of connector({ pageSize: 300 }).read('members', null)) {
      firstPart.push(...b.items.map((i) => (i.kind === 'event' ? (i.event as { id: string }).id : `invalid:${i.recordId}`)));
      cursor = b.cursor;
      if (++k === 4) break;
    }
    expect(firstPart.length).toBe(1200);
    const rest = await drain(connector({ pageSize: 300 }).read('members', cursor));
    const restIds = rest.items.map((i) => (i.kind === 'event' ? (i.event as { id: string }).id : `invalid:${i.recordId}`));
    const fullIds = full.items.map((i) => (i.kind === 'event' ? (i.event as { id: string }).id : `invalid:${i.recordId}`));
    expect([...firstPart, ...restIds]).toEqual(fullIds);
  });

  it('reads only what changed since the last cursor: edits as new events, deletions flagged', async () => {
    const own = createMemberSystemSimulator({ population: pop, rows, seed: 'incremental' });
    const url = await own.start();
    try {
      const c = connector({ baseUrl: url });
      const first = await drain(c.read('members', null));
      const before = new Map(events(first.items).map((e) => [e.source.recordId, e]));
      const edited = own.touch(0.03).filter((id) => !broken.has(id));
      const deleted = own.touch(0.01, '删除').filter((id) => !broken.has(id));
      const second = await drain(c.read('members', first.batches.at(-1)!.cursor));
      const evs = events(second.items);
      const latest = new Map(evs.map((e) => [e.source.recordId, e]));
      expect(new Set([...latest.keys()])).toEqual(new Set([...edited, ...deleted]));
      for (const id of edited.filter((x) => !deleted.includes(x))) {
        expect(latest.get(id)!.id).not.toBe(before.get(id)!.id);
        expect(latest.get(id)!.payload.deleted).toBe(false);
      }
      for (const id of deleted) expect(latest.get(id)!.payload.deleted).toBe(true);
      expect((await drain(c.read('members', second.batches.at(-1)!.cursor))).items).toHaveLength(0);
    } finally {
      await own.close();
    }
  });
});
