// The periodic repair scan on real Kafka + PostgreSQL: on demand and through the API it scans
// every stored record once at a time; on its schedule it rejoins a record a steward split off
// once the never-links are retracted; shutdown stops a running scan between pages; without a
// stored model there is nothing to scan and the API says so.
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../schemas/config.ts';
import { buildApp } from '../../../services/api/app.ts';
import { openHub } from '../../../services/hub/hub.ts';
import { NoModelError, RepairScan, ScanAlreadyRunningError } from '../../../services/reconciler/repair-schedule.ts';
import { recordScanStart, SCAN_STALE_MS } from '../../../services/reconciler/scan-runs.ts';
import { populationEvents } from '../../../services/reconciler/stream/population-events.ts';
import { API_TOKENS, bearer, READER, STEWARD } from '../../support/api-auth.ts';
import { createTestDatabase, kafkaBrokers, uniqueName } from '../../support/isolation.ts';
import { testLogger } from '../../support/logger.ts';
import { useDrainedHub } from './drained-hub.ts';
import { master, masterOf as masterOfRecord, retractNeverLinksOf, splitLinkedRecord } from './steward-fixtures.ts';

const fx = populationEvents(300, 'reconciler-repair-schedule-1');

async function until<T>(what: string, probe: () => T | null | undefined, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = probe();
    if (v !== null && v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('reconciler repair scan on a schedule [kafka] [postgres]', () => {
  const ctx = useDrainedHub(fx.events, 'rsc');
  const db = () => ctx.hub.database.db;
  const masterOf = (key: string) => masterOfRecord(db(), key);

  it('scans every stored record on demand, one scan at a time, and reports it through the API', async () => {
    const repair = new RepairScan({ db: db(), bus: ctx.hub.bus, logger: testLogger, cron: null, pageSize: 50 });
    const app = await buildApp(ctx.hub, undefined, repair);
    try {
      expect((await app.inject({ method: 'GET', url: '/api/reconciler/repair-scan', headers: bearer() })).json()).toEqual({ cron: null, reestimateGrowth: 2, running: false, nextRun: null, last: null });
      const first = repair.trigger();
      // Claimed before its first await: a second start is refused at once, by the API too.
      expect(repair.isRunning()).toBe(true);
      await expect(repair.trigger()).rejects.toBeInstanceOf(ScanAlreadyRunningError);
      const busy = await app.inject({ method: 'POST', url: '/api/reconciler/repair-scan', headers: bearer() });
      expect(busy.statusCode).toBe(409);
      expect(busy.json()).toMatchObject({ error: 'already_running', issues: [{ field: 'scan', rule: 'one-at-a-time' }] });
      const run = await first;
      expect(run).toMatchObject({ trigger: 'manual', complete: true, error: null, stats: { scanned: fx.events.length, merges: 0, relinked: 0 } });
      expect(Date.parse(run.finishedAt!)).toBeGreaterThanOrEqual(Date.parse(run.startedAt));

      const started = await app.inject({ method: 'POST', url: '/api/reconciler/repair-scan', headers: bearer() });
      expect(started.statusCode).toBe(202);
      expect(started.json()).toMatchObject({ status: 'started', progress: '/api/reconciler/repair-scan' });
      const last = await until('the API-started scan', () => {
        const s = repair.status();
        return !s.running && s.last !== null && s.last.startedAt !== run.startedAt ? s.last : null;
      });
      expect(last).toMatchObject({ trigger: 'manual', complete: true, stats: { scanned: fx.events.length } });
      const status = (await app.inject({ method: 'GET', url: '/api/reconciler/repair-scan', headers: bearer() })).json<{ running: boolean; last: { startedAt: string } }>();
      expect(status).toMatchObject({ running: false, last: { startedAt: last.startedAt } });
    } finally {
      await repair.stop();
      await app.close();
    }
  });

  it('on its schedule, rejoins a split record once the steward retracts the never-links', async () => {
    const pick = await splitLinkedRecord(db());
    const { newMasterId } = pick;
    await retractNeverLinksOf(db(), pick.key);
    expect(await masterOf(pick.key)).toBe(newMasterId);

    // Every second (node-cron's six-field form), so the test need not wait for 03:30.
    const repair = new RepairScan({ db: db(), bus: ctx.hub.bus, logger: testLogger, cron: '* * * * * *' });
    repair.start();
    try {
      expect(repair.status().nextRun).not.toBeNull();
      const run = await until('a scheduled scan', () => {
        const l = repair.status().last;
        return l !== null && l.finishedAt !== null ? l : null;
      });
      expect(run).toMatchObject({ trigger: 'schedule', complete: true, stats: { merges: 1 } });
      expect(await masterOf(pick.key)).toBe(pick.master);
      expect(await master(db(), newMasterId)).toMatchObject({ status: 'merged', mergedInto: pick.master });
    } finally {
      await repair.stop();
    }
  });

  it('stops a running scan between pages when the hub closes', async () => {
    const repair = new RepairScan({ db: db(), bus: null, logger: testLogger, cron: null, pageSize: 5 });
    const running = repair.trigger();
    await until('the first page', () => (repair.status().last?.stats.scanned ?? 0) > 0 || null);
    await repair.stop();
    const run = await running;
    expect(run.complete).toBe(false);
    expect(run.stats.scanned).toBeGreaterThan(0);
    expect(run.stats.scanned).toBeLessThan(fx.events.length);
    expect(run.stats.scanned % 5).toBe(0);
    expect(repair.isRunning()).toBe(false);
  });

  it('keeps every scan in a history that outlives the process: who started it, how far it got, how it ended', async () => {
    // A process killed mid-scan leaves its row running and no longer updated.
    const dead = await recordScanStart(db(), { trigger: 'schedule', triggeredBy: null, startedAt: new Date(Date.now() - 2 * SCAN_STALE_MS).toISOString() });
    // A new RepairScan is what a restarted hub has: nothing in memory.
    const repair = new RepairScan({ db: db(), bus: null, logger: testLogger, cron: null });
    const app = await buildApp(ctx.hub, undefined, repair);
    try {
      expect(repair.status().last).toBeNull();
      const scans = await repair.history(50);
      const started = scans.map((x) => Date.parse(x.startedAt));
      expect(started).toEqual([...started].sort((a, b) => b - a));
      // The tests above, newest first: the stopped scan, the scheduled one that rejoined the split
      // record, the API's (a steward's) and the first on-demand scan.
      const stopped = scans[0]!;
      expect(stopped).toMatchObject({ trigger: 'manual', triggeredBy: null, status: 'stopped', error: null });
      expect(stopped.stats.scanned % 5).toBe(0);
      expect(stopped.stats.scanned).toBeLessThan(fx.events.length);
      expect(scans.some((x) => x.trigger === 'schedule' && x.status === 'finished' && x.stats.merges === 1)).toBe(true);
      const bySteward = scans.filter((x) => x.triggeredBy === STEWARD.person);
      expect(bySteward).toHaveLength(1);
      expect(bySteward[0]).toMatchObject({ trigger: 'manual', status: 'finished', stats: { scanned: fx.events.length, merges: 0 } });
      expect(scans.find((x) => x.id === dead)).toMatchObject({ status: 'interrupted', finishedAt: null });
      for (const x of scans.filter((y) => y.status !== 'interrupted')) expect(Date.parse(x.finishedAt!)).toBeGreaterThanOrEqual(Date.parse(x.startedAt));

      const res = await app.inject({ method: 'GET', url: '/api/reconciler/repair-scans?limit=2', headers: bearer(READER) });
      expect(res.statusCode).toBe(200);
      expect(res.json<{ scans: Array<{ id: string }> }>().scans.map((x) => x.id)).toEqual(scans.slice(0, 2).map((x) => x.id));
      const bad = await app.inject({ method: 'GET', url: '/api/reconciler/repair-scans?limit=0', headers: bearer() });
      expect(bad.statusCode).toBe(400);
      expect(bad.json()).toMatchObject({ error: 'invalid_input', issues: [{ field: 'limit', rule: '至少为 1' }] });
      expect((await app.inject({ method: 'GET', url: '/api/reconciler/repair-scans' })).statusCode).toBe(401);
    } finally {
      await app.close();
    }
  });
});

describe('reconciler repair scan before anything is reconciled [kafka] [postgres]', () => {
  it('has nothing to scan: the trigger says so and the API answers 409 no_model', async () => {
    const tdb = await createTestDatabase();
    const hub = await openHub(loadConfig({ KAFKA_BROKERS: kafkaBrokers().join(','), DATABASE_URL: tdb.url, YIBIAO_TOPIC_PREFIX: `${uniqueName('rsn0')}.`, LOG_LEVEL: 'warn', YIBIAO_API_TOKENS: API_TOKENS }), testLogger);
    const repair = new RepairScan({ db: hub.database.db, bus: hub.bus, logger: testLogger, cron: null });
    const app = await buildApp(hub, undefined, repair);
    try {
      await expect(repair.trigger()).rejects.toBeInstanceOf(NoModelError);
      expect(repair.isRunning()).toBe(false);
      const res = await app.inject({ method: 'POST', url: '/api/reconciler/repair-scan', headers: bearer() });
      expect(res.statusCode).toBe(409);
      expect(res.json()).toMatchObject({ error: 'no_model', issues: [{ field: 'scan', rule: 'model-required' }] });
      expect(repair.status().last).toBeNull();
      // A scan that never started leaves no history.
      expect(await repair.history()).toEqual([]);
      // Shutdown while a start is still checking for the model returns; the start is refused.
      const starting = repair.trigger();
      const stopping = repair.stop();
      await expect(starting).rejects.toBeInstanceOf(NoModelError);
      await stopping;
      expect(repair.isRunning()).toBe(false);
    } finally {
      await app.close();
      await hub.close();
      await tdb.drop();
    }
  }, 60_000);
});
