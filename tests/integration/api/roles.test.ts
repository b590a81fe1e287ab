// Roles on a reconciled population (real Kafka + PostgreSQL): a committee member's reader token
// sees the masters, explanations, review queue, orgs, connector status and repair scan, and is
// refused (403) every steward action with nothing done; a steward makes the same action; who
// asked for a sync shows in the connector's run history, who asked for a repair scan in its
// status, and the schedule's runs name no one.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generatePopulation } from '../../../connectors/population/index.ts';
import { buildApp, type App } from '../../../services/api/app.ts';
import type { ApiErrorBody } from '../../../services/api/plugins/errors.ts';
import { runDeps } from '../../../services/ingest/ingest.ts';
import { IngestScheduler } from '../../../services/ingest/scheduler.ts';
import { RepairScan, type RepairScanStatus } from '../../../services/reconciler/repair-schedule.ts';
import type { MasterSummary, Page } from '../../../services/reconciler/stream/master-view.ts';
import { populationEvents } from '../../../services/reconciler/stream/population-events.ts';
import { rows } from '../../../services/reconciler/stream/sql.ts';
import { bearer, OTHER_STEWARD, READER, STEWARD } from '../../support/api-auth.ts';
import { testLogger } from '../../support/logger.ts';
import { populationSource } from '../../support/population-source.ts';
import { useDrainedHub } from '../reconciler/drained-hub.ts';
import { master, masterOf } from '../reconciler/steward-fixtures.ts';

const fx = populationEvents(80, 'api-roles-1');
const SOURCE = 'population-source';
const sourceRows = generatePopulation({ persons: 20, seed: 'api-roles-source' }).systems.memberSystem.rows;

interface RunView { status: string; triggeredBy: string | null; recordsRead: number }

async function until<T>(what: string, probe: () => Promise<T | null>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== null) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('API roles [kafka] [postgres]', () => {
  const ctx = useDrainedHub(fx.events, 'roles');
  const db = () => ctx.hub.database.db;
  let app: App;
  let scheduler: IngestScheduler;
  let repair: RepairScan;
  const get = (url: string, who: { token: string } = READER) => app.inject({ method: 'GET', url, headers: bearer(who) });
  const post = (url: string, who: { token: string }, payload: Record<string, unknown> = {}) => app.inject({ method: 'POST', url, headers: bearer(who), payload });
  const runs = async () => (await get(`/api/connectors/${SOURCE}/runs`)).json<{ runs: RunView[] }>().runs;
  const scanStatus = async () => (await get('/api/reconciler/repair-scan')).json<RepairScanStatus>();

  beforeAll(async () => {
    scheduler = new IngestScheduler(runDeps(ctx.hub, testLogger));
    scheduler.add({ connector: populationSource({ rows: sourceRows, batchSize: 10 }), streams: ['members'] });
    repair = new RepairScan({ db: db(), bus: ctx.hub.bus, logger: testLogger, cron: null });
    app = await buildApp(ctx.hub, scheduler, repair);
  });
  afterAll(async () => {
    await repair?.stop();
    await scheduler?.stop();
    await app?.close();
  });

  const forbidden = (res: Awaited<ReturnType<typeof get>>) => {
    expect(res.statusCode, res.body).toBe(403);
    expect(res.json<ApiErrorBody>()).toMatchObject({ error: 'forbidden', issues: [{ field: 'authorization', rule: 'steward-role-required' }] });
  };

  it('shows a reader the unified data: masters, one master, its explanation, the review queue, orgs, connectors and the repair scan', async () => {
    expect((await get('/api/me')).json()).toEqual({ person: READER.person, role: 'reader' });
    const list = await get('/api/masters?pageSize=5');
    expect(list.statusCode).toBe(200);
    const page = list.json<Page<MasterSummary>>();
    expect(page.total).toBeGreaterThan(0);
    const id = page.items[0]!.masterId;
    const one = await get(`/api/masters/${id}`);
    expect(one.statusCode).toBe(200);
    expect(one.json<{ masterId: string; records: unknown[] }>()).toMatchObject({ masterId: id });
    expect((await get(`/api/masters/${id}/explain`)).json<{ lines: unknown[] }>().lines.length).toBeGreaterThan(0);
    for (const url of ['/api/review-items', '/api/orgs', '/api/orgs/suggestions', `/api/connectors/${SOURCE}/runs`]) expect((await get(url)).statusCode, url).toBe(200);
    expect((await get('/api/connectors')).json()).toMatchObject({ connectors: [{ name: SOURCE, running: false }] });
    expect(await scanStatus()).toMatchObject({ running: false, last: null });
  });

  it('refuses a reader each steward action with nothing done, and a steward makes the same split', async () => {
    const [pick] = await rows<{ m: string; k: string }>(db(), sql`
      select master_id as m, min(record_key) as k from reconciler_links group by master_id having count(*) >= 2 order by master_id limit 1`);
    const before = await master(db(), pick!.m);
    const split = { recordKey: pick!.k, expectedRevision: before.revision, reason: '委员不能拆分' };
    const [other] = await rows<{ m: string }>(db(), sql`select master_id as m from reconciler_masters where status = 'active' and master_id <> ${pick!.m} order by master_id limit 1`);
    const merge = { masters: [{ masterId: pick!.m, expectedRevision: before.revision }, { masterId: other!.m, expectedRevision: (await master(db(), other!.m)).revision }], reason: '委员不能合并' };

    forbidden(await post(`/api/masters/${pick!.m}/split`, READER, split));
    forbidden(await post('/api/masters/merge', READER, merge));
    forbidden(await post('/api/review-items/decision', READER, { recordA: pick!.k, recordB: pick!.k, decision: 'same', expectedRevisions: { [pick!.m]: before.revision }, reason: 'x' }));
    forbidden(await post('/api/never-links/retract', READER, { recordA: pick!.k, recordB: pick!.k, expectedRevisions: { [pick!.m]: before.revision }, reason: 'x' }));
    forbidden(await post('/api/orgs/suggestions/decision', READER, { name: '某支部', reject: true }));
    forbidden(await post(`/api/connectors/${SOURCE}/sync`, READER));
    forbidden(await post('/api/reconciler/repair-scan', READER));

    // Nothing was done: the masters as they were, no sync run, no scan.
    expect((await master(db(), pick!.m)).revision).toBe(before.revision);
    expect(await masterOf(db(), pick!.k)).toBe(pick!.m);
    expect(await master(db(), other!.m)).toMatchObject({ status: 'active' });
    expect(scheduler.isRunning(SOURCE)).toBe(false);
    expect(await runs()).toEqual([]);
    expect(repair.isRunning()).toBe(false);
    expect((await scanStatus()).last).toBeNull();

    const done = await post(`/api/masters/${pick!.m}/split`, STEWARD, split);
    expect(done.statusCode, done.body).toBe(200);
    const { newMasterId } = done.json<{ newMasterId: string }>();
    expect(await masterOf(db(), pick!.k)).toBe(newMasterId);
    expect(newMasterId).not.toBe(pick!.m);
  });

  it("records who asked for a sync in the connector's run history; the schedule's run names no one", async () => {
    const started = await post(`/api/connectors/${SOURCE}/sync`, STEWARD);
    expect(started.statusCode).toBe(202);
    const [manual] = await until('the requested sync', async () => {
      const rs = await runs();
      return rs.length === 1 && rs[0]!.status !== 'running' ? rs : null;
    });
    expect(manual).toMatchObject({ status: 'succeeded', triggeredBy: STEWARD.person, recordsRead: sourceRows.length });

    await scheduler.trigger(SOURCE); // what a cron tick (or the start-up sync) calls
    const [scheduled, first] = await runs();
    expect(scheduled).toMatchObject({ status: 'succeeded', triggeredBy: null });
    expect(first).toMatchObject({ triggeredBy: STEWARD.person });
  });

  it("shows who asked for a repair scan in its status, the token's person; the schedule's scan names no one", async () => {
    const started = await post('/api/reconciler/repair-scan', OTHER_STEWARD);
    expect(started.statusCode).toBe(202);
    // Named from the start, while it runs, and kept once it is done.
    expect((await scanStatus()).last).toMatchObject({ trigger: 'manual', triggeredBy: OTHER_STEWARD.person });
    const done = await until('the requested scan', async () => {
      const s = await scanStatus();
      return !s.running && s.last?.finishedAt ? s.last : null;
    });
    expect(done).toMatchObject({ trigger: 'manual', triggeredBy: OTHER_STEWARD.person, complete: true, error: null });

    await repair.trigger('schedule'); // what the cron tick calls
    expect((await scanStatus()).last).toMatchObject({ trigger: 'schedule', triggeredBy: null, complete: true });
  });
});
