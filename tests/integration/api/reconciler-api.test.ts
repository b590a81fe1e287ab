// The reconciler's HTTP API through fastify inject, on a drained seeded population (real Kafka +
// PostgreSQL): reads (masters paged and filtered, one master with provenance, explanations, the
// review queue) and steward actions, recorded under the person whose token made the request, with
// their answers for bad input (400, field and rule), unknown ids (404), stale revisions (409) and
// merges the rules forbid (422).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { loadConfig } from '../../../schemas/config.ts';
import { buildApp, type App } from '../../../services/api/app.ts';
import { openHub, type Hub } from '../../../services/hub/hub.ts';
import { drainReconciler, MEMBER_TOPIC } from '../../../services/reconciler/stream/consumer.ts';
import type { MasterDetail, MasterSummary, Page, ReviewItemView } from '../../../services/reconciler/stream/master-view.ts';
import { messagesOf, populationEvents } from '../../../services/reconciler/stream/population-events.ts';
import { rows } from '../../../services/reconciler/stream/sql.ts';
import { API_TOKENS, bearer, OTHER_STEWARD, STEWARD } from '../../support/api-auth.ts';
import { createTestDatabase, kafkaBrokers, uniqueName, type TestDatabase } from '../../support/isolation.ts';
import { testLogger } from '../../support/logger.ts';
import { publishWhenReady } from '../reconciler/publish-ready.ts';
import { master, masterOf, mergeableItem, splitPerson, twoIdMasters } from '../reconciler/steward-fixtures.ts';

const fx = populationEvents(250, 'reconciler-api-1');
const sig = { reason: '电话核实' };

interface ErrorBody { error: string; message: string; issues?: Array<{ field: string; rule: string }> }
type ActiveDetail = Extract<MasterDetail, { status: 'active' }>;

describe('reconciler API [kafka] [postgres]', () => {
  let tdb: TestDatabase;
  let hub: Hub;
  let app: App;
  const db = () => hub.database.db;
  const used = new Set<string>();
  const get = (url: string) => app.inject({ method: 'GET', url, headers: bearer() });
  const post = (url: string, payload: unknown, as: { token: string } = STEWARD) => app.inject({ method: 'POST', url, headers: bearer(as), payload: payload as Record<string, unknown> });

  beforeAll(async () => {
    tdb = await createTestDatabase();
    hub = await openHub(loadConfig({ KAFKA_BROKERS: kafkaBrokers().join(','), DATABASE_URL: tdb.url, YIBIAO_TOPIC_PREFIX: `${uniqueName('rapi')}.`, LOG_LEVEL: 'warn', YIBIAO_API_TOKENS: API_TOKENS }), testLogger);
    await publishWhenReady(hub.bus, MEMBER_TOPIC, messagesOf(fx.events));
    await drainReconciler({ db: db(), bus: hub.bus, logger: testLogger, groupId: uniqueName('reconciler') });
    app = await buildApp(hub);
  }, 240_000);
  afterAll(async () => {
    await app?.close();
    await hub?.close();
    await tdb?.drop();
  });

  it('lists active masters a page at a time, found by part of a name or by ID number', async () => {
    const [{ n }] = (await rows<{ n: number }>(db(), sql`select count(*)::int as n from reconciler_masters where status = 'active'`)) as [{ n: number }];
    const first = await get('/api/masters?pageSize=7');
    expect(first.statusCode).toBe(200);
    const p1 = first.json<Page<MasterSummary>>();
    expect(p1.total).toBe(n);
    expect(p1.items.length).toBe(7);
    const p2 = (await get('/api/masters?pageSize=7&page=2')).json<Page<MasterSummary>>();
    expect(p2.items[0]!.masterId > p1.items[6]!.masterId).toBe(true);

    const withId = p1.items.find((m) => m.idNumber !== null) ?? (await get('/api/masters?pageSize=200')).json<Page<MasterSummary>>().items.find((m) => m.idNumber !== null)!;
    const byId = (await get(`/api/masters?idNumber=${withId.idNumber!.toLowerCase()}`)).json<Page<MasterSummary>>();
    expect(byId.items.map((m) => m.masterId)).toEqual([withId.masterId]);
    const part = withId.name!.slice(-1);
    const byName = (await get(`/api/masters?pageSize=200&name=${encodeURIComponent(part)}`)).json<Page<MasterSummary>>();
    expect(byName.total).toBeGreaterThan(0);
    expect(byName.items.map((m) => m.masterId)).toContain(withId.masterId);
    for (const m of byName.items) expect(m.name).toContain(part);
  });

  it('answers 400 with the field and the rule for bad paging, bad ids and bad bodies', async () => {
    const paging = await get('/api/masters?pageSize=500');
    expect(paging.statusCode).toBe(400);
    expect(paging.json<ErrorBody>()).toMatchObject({ error: 'invalid_input', issues: [{ field: 'pageSize', rule: '最多 200' }] });
    const id = await get('/api/masters/not-a-master');
    expect(id.statusCode).toBe(400);
    expect(id.json<ErrorBody>().issues?.[0]?.field).toBe('id');
    const merge = await post('/api/masters/merge', { masters: [{ masterId: 'M0000000000000000000A', expectedRevision: 1 }], reason: 'x' });
    expect(merge.statusCode).toBe(400);
    expect(merge.json<ErrorBody>().issues).toEqual([{ field: 'masters', rule: '须正好两个主记录' }]);
    // Who acts is the token's person; a body still naming one is refused, not silently overruled.
    const named = await post('/api/masters/merge', { masters: [{ masterId: 'M0000000000000000000A', expectedRevision: 1 }, { masterId: 'M0000000000000000000B', expectedRevision: 1 }], steward: '王某', ...sig });
    expect(named.statusCode).toBe(400);
    expect(named.json<ErrorBody>().issues).toEqual([{ field: 'steward', rule: '操作人由身份令牌确定，请求体中不要填写 steward' }]);
    const revision = await post('/api/masters/merge', { masters: [{ masterId: 'M0000000000000000000A', expectedRevision: 1 }, { masterId: 'M0000000000000000000B', expectedRevision: 1.5 }], ...sig });
    expect(revision.statusCode).toBe(400);
    expect(revision.json<ErrorBody>().issues).toEqual([{ field: 'masters.1.expectedRevision', rule: '版本号必须是整数' }]);
    const decision = await post('/api/review-items/decision', { recordA: 'oa/default/1', recordB: 'oa/default/2', decision: 'maybe', expectedRevisions: { M0000000000000000000A: 1 }, ...sig });
    expect(decision.statusCode).toBe(400);
    expect(decision.json<ErrorBody>().issues).toEqual([{ field: 'decision', rule: '只能是 same（同一人）或 different（不同人）' }]);
  });

  it('shows a master with provenance, conflicts, records and history; unknown ids are 404', async () => {
    const [big] = await rows<{ m: string }>(db(), sql`select master_id as m from reconciler_links group by master_id having count(*) >= 2 order by master_id limit 1`);
    const res = await get(`/api/masters/${big!.m}`);
    expect(res.statusCode).toBe(200);
    const d = res.json<ActiveDetail>();
    expect(d.status).toBe('active');
    expect(d.records.length).toBeGreaterThanOrEqual(2);
    const keys = new Set(d.records.map((r) => `${r.system}:${r.recordId}`));
    for (const f of Object.values(d.fields) as Array<{ source: { system: string; recordId: string } }>) {
      if (f.source.system !== 'hub') expect(keys).toContain(`${f.source.system}:${f.source.recordId}`);
    }
    expect(d.history.length).toBeGreaterThanOrEqual(d.records.length);
    expect(Array.isArray(d.conflicts)).toBe(true);
    const explain = await get(`/api/masters/${big!.m}/explain`);
    expect(explain.statusCode).toBe(200);
    expect(explain.json<{ lines: string[] }>().lines.join('\n')).toContain(`master ${big!.m}`);
    const [a, b] = d.records;
    const pair = await get(`/api/explain?a=${encodeURIComponent(a!.recordKey)}&b=${encodeURIComponent(b!.recordKey)}`);
    expect(pair.statusCode).toBe(200);
    expect(pair.json<{ lines: string[] }>().lines[0]).toBe(`${a!.recordKey} → ${big!.m}`);

    const unknown = 'M0000000000000000000Z';
    for (const url of [`/api/masters/${unknown}`, `/api/masters/${unknown}/explain`]) {
      const r = await get(url);
      expect(r.statusCode, url).toBe(404);
      expect(r.json<ErrorBody>()).toMatchObject({ error: 'not_found', issues: [{ field: 'id' }] });
    }
    const noRecord = await get(`/api/explain?a=oa/default/nobody&b=${encodeURIComponent(a!.recordKey)}`);
    expect(noRecord.statusCode).toBe(404);
    expect(noRecord.json<ErrorBody>().issues?.[0]?.field).toBe('a');
  });

  it("merges two masters as the token's person (409 when stale, 422 on two ID numbers); the merged id says where it went", async () => {
    const [a, b] = await splitPerson(db(), fx.truth, used);
    const [ma, mb] = [await master(db(), a), await master(db(), b)];
    const stale = await post('/api/masters/merge', { masters: [{ masterId: a, expectedRevision: ma.revision + 1 }, { masterId: b, expectedRevision: mb.revision }], ...sig });
    expect(stale.statusCode).toBe(409);
    expect(stale.json<ErrorBody>()).toMatchObject({ error: 'stale', issues: [{ field: 'expectedRevision', rule: 'stale-revision' }] });
    expect(stale.json<ErrorBody>().message).toContain('请刷新后重试');

    const ok = await post('/api/masters/merge', { masters: [{ masterId: a, expectedRevision: ma.revision }, { masterId: b, expectedRevision: mb.revision }], ...sig }, OTHER_STEWARD);
    expect(ok.statusCode).toBe(200);
    used.add(a).add(b);
    const { survivorId, retiredId, revisions } = ok.json<{ survivorId: string; retiredId: string; revisions: Record<string, number> }>();
    expect(survivorId).toBe(ma.seq < mb.seq ? a : b);
    expect(revisions[survivorId]).toBe((await master(db(), survivorId)).revision);
    const moved = (await get(`/api/masters/${survivorId}`)).json<ActiveDetail>().history.filter((h) => h.origin === 'asserted');
    expect(moved.length).toBeGreaterThan(0);
    for (const h of moved) expect(h.reason).toBe(`merged ${retiredId} into ${survivorId} by steward ${OTHER_STEWARD.person}: ${sig.reason}`);
    const gone = await get(`/api/masters/${retiredId}`);
    expect(gone.statusCode).toBe(200);
    expect(gone.json()).toMatchObject({ masterId: retiredId, status: 'merged', mergedInto: survivorId, href: `/api/masters/${survivorId}` });

    const [x, y] = await twoIdMasters(db(), used);
    const [mx, my] = [await master(db(), x), await master(db(), y)];
    const refused = await post('/api/masters/merge', { masters: [{ masterId: x, expectedRevision: mx.revision }, { masterId: y, expectedRevision: my.revision }], ...sig });
    expect(refused.statusCode).toBe(422);
    expect(refused.json<ErrorBody>()).toMatchObject({ error: 'refused', issues: [{ field: 'masterId', rule: 'distinct-id-numbers' }] });
    expect((await master(db(), y)).status).toBe('active');
    const missing = await post('/api/masters/merge', { masters: [{ masterId: x, expectedRevision: mx.revision }, { masterId: 'M0000000000000000000Z', expectedRevision: 1 }], ...sig });
    expect(missing.statusCode).toBe(404);
  });

  it('splits a record off; merging it back is refused by the never-link (422)', async () => {
    const [big] = await rows<{ m: string; k: string }>(db(), sql`
      select master_id as m, min(record_key) as k from reconciler_links where master_id <> all(${`{${[...used].join(',')}}`}::text[])
      group by master_id having count(*) >= 2 order by master_id limit 1`);
    const m = await master(db(), big!.m);
    const split = await post(`/api/masters/${m.masterId}/split`, { recordKey: big!.k, expectedRevision: m.revision, ...sig });
    expect(split.statusCode).toBe(200);
    const { newMasterId, revisions } = split.json<{ newMasterId: string; revisions: Record<string, number> }>();
    used.add(m.masterId).add(newMasterId);
    const splitRows = (await get(`/api/masters/${newMasterId}`)).json<ActiveDetail>().history.filter((h) => h.origin === 'asserted');
    expect(splitRows.map((h) => h.reason)).toContain(`split from ${m.masterId} by ${STEWARD.person}: ${sig.reason}`);
    expect(await masterOf(db(), big!.k)).toBe(newMasterId);
    const back = await post('/api/masters/merge', { masters: [{ masterId: m.masterId, expectedRevision: revisions[m.masterId] }, { masterId: newMasterId, expectedRevision: revisions[newMasterId] }], ...sig });
    expect(back.statusCode).toBe(422);
    expect(back.json<ErrorBody>().issues).toEqual([{ field: 'masterId', rule: 'never-link' }]);
    const again = await post(`/api/masters/${m.masterId}/split`, { recordKey: big!.k, expectedRevision: m.revision, ...sig });
    expect(again.statusCode).toBe(409);
  });

  it("lists open review items with their masters' revisions, decides one 'different' and retracts it", async () => {
    const list = await get('/api/review-items?status=open&pageSize=200');
    expect(list.statusCode).toBe(200);
    const page = list.json<Page<ReviewItemView>>();
    expect(page.total).toBeGreaterThan(0);
    const item = await mergeableItem(db(), fx.truth, used);
    const shown = page.items.find((i) => i.recordA.recordKey === item.recordA && i.recordB.recordKey === item.recordB);
    expect(shown).toMatchObject({ recordA: { masterId: item.ma, masterRevision: item.ra }, recordB: { masterId: item.mb, masterRevision: item.rb } });
    // Why it is there, as the decision that sent it put it (review-reason.ts).
    expect(page.items.every((i) => typeof i.reason === 'string' && i.reason.length > 0)).toBe(true);
    used.add(item.ma).add(item.mb);
    const expectedRevisions = { [item.ma]: item.ra, [item.mb]: item.rb };
    const decided = await post('/api/review-items/decision', { recordA: item.recordA, recordB: item.recordB, decision: 'different', expectedRevisions, ...sig });
    expect(decided.statusCode).toBe(200);
    expect(decided.json()).toMatchObject({ decision: 'different', merged: null });
    expect((await get('/api/review-items?status=resolved&pageSize=200')).json<Page<ReviewItemView>>().items.some((i) => i.recordA.recordKey === item.recordA && i.recordB.recordKey === item.recordB)).toBe(true);
    const detail = (await get(`/api/masters/${item.ma}`)).json<ActiveDetail>();
    expect(detail.neverLinks).toContainEqual(expect.objectContaining({ recordA: item.recordA, recordB: item.recordB, assertedBy: STEWARD.person }));
    const twice = await post('/api/review-items/decision', { recordA: item.recordA, recordB: item.recordB, decision: 'different', expectedRevisions, ...sig });
    expect(twice.statusCode).toBe(409);
    expect(twice.json<ErrorBody>().issues?.[0]?.rule).toBe('already-resolved');

    const retract = { recordA: item.recordA, recordB: item.recordB, ...sig };
    const stale = await post('/api/never-links/retract', { ...retract, expectedRevisions: { [item.ma]: item.ra + 3, [item.mb]: item.rb } });
    expect(stale.statusCode).toBe(409);
    const ok = await post('/api/never-links/retract', { ...retract, expectedRevisions });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ retracted: { recordA: item.recordA, recordB: item.recordB }, reviewReopened: true });
    const none = await post('/api/never-links/retract', { ...retract, expectedRevisions });
    expect(none.statusCode).toBe(404);
    expect(none.json<ErrorBody>().issues?.[0]?.rule).toBe('never-link-not-found');
    // Reopened: it can now be decided 'same', which merges the two masters.
    const same = await post('/api/review-items/decision', { recordA: item.recordA, recordB: item.recordB, decision: 'same', expectedRevisions, ...sig });
    expect(same.statusCode).toBe(200);
    expect(await masterOf(db(), item.recordA)).toBe(await masterOf(db(), item.recordB));
  });
});
