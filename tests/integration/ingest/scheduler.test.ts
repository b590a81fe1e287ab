// The scheduler and its API on a real PostgreSQL (runs, cursors) and the embedded log in it:
// cron ticks start syncs, a connector never runs twice at once, and the API answers 202, 409,
// 404 and 400 as a client would expect.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Connector, Cursor, ReadBatch } from '../../../connectors/contract.ts';
import { generatePopulation } from '../../../connectors/population/index.ts';
import { loadConfig } from '../../../schemas/config.ts';
import { buildApp, type App } from '../../../services/api/app.ts';
import { openHub, type Hub } from '../../../services/hub/hub.ts';
import { runDeps } from '../../../services/ingest/ingest.ts';
import { AlreadyRunningError, IngestScheduler } from '../../../services/ingest/scheduler.ts';
import { API_TOKENS, bearer } from '../../support/api-auth.ts';
import { createTestDatabase, type TestDatabase } from '../../support/isolation.ts';
import { testLogger } from '../../support/logger.ts';
import { populationSource } from '../../support/population-source.ts';

/** Wraps a source so each batch waits for the test's go-ahead: a run that stays "running". */
function gated(inner: Connector): Connector & { release(): void } {
  let open: () => void = () => undefined;
  let gate = new Promise<void>((r) => (open = r));
  return {
    ...inner,
    release: () => {
      open();
      gate = Promise.resolve();
    },
    async *read(stream: string, cursor: Cursor | null): AsyncIterable<ReadBatch> {
      for await (const b of inner.read(stream, cursor)) {
        await gate;
        yield b;
      }
    },
  };
}

describe('ingest scheduler and /api/connectors [postgres]', () => {
  let tdb: TestDatabase;
  let hub: Hub;
  let app: App;
  let scheduler: IngestScheduler;
  const rows = generatePopulation({ persons: 200, seed: `sched-${Date.now() % 101}` }).systems.memberSystem.rows;

  beforeAll(async () => {
    tdb = await createTestDatabase();
    hub = await openHub(loadConfig({ DATABASE_URL: tdb.url, YIBIAO_API_TOKENS: API_TOKENS }), testLogger);
    scheduler = new IngestScheduler(runDeps(hub, testLogger));
    app = await buildApp(hub, scheduler);
  });
  afterAll(async () => {
    await scheduler.stop();
    await app.close();
    await hub.close();
    await tdb.drop();
  });

  it('refuses an invalid cron expression with the connector named', () => {
    const s = new IngestScheduler(runDeps(hub, testLogger));
    expect(() => s.add({ connector: populationSource({ rows, batchSize: 50 }), streams: ['members'], cron: 'every minute' })).toThrow(/population-source: invalid cron expression "every minute"/);
  });

  it('never runs one connector twice at once; the API says 409 meanwhile and 202 after', async () => {
    const slow = gated({ ...populationSource({ rows, batchSize: 50 }), name: 'slow' });
    scheduler.add({ connector: slow, streams: ['members'] });
    const first = scheduler.trigger('slow');
    try {
    await expect(scheduler.trigger('slow')).rejects.toBeInstanceOf(AlreadyRunningError);
    const busy = await app.inject({ method: 'POST', url: '/api/connectors/slow/sync', headers: bearer() });
    expect(busy.statusCode).toBe(409);
    expect(busy.json()).toMatchObject({ error: 'already_running' });
    expect((await app.inject({ method: 'GET', url: '/api/connectors', headers: bearer() })).json()).toMatchObject({ connectors: [{ name: 'slow', running: true }] });
    } finally {
      slow.release(); // a failed expectation must not leave the run held for the teardown
    }
    const [result] = await first;
    expect(result).toMatchObject({ status: 'succeeded', recordsRead: rows.length });
    const again = await app.inject({ method: 'POST', url: '/api/connectors/slow/sync', headers: bearer() });
    expect(again.statusCode).toBe(202);
    const runs = await app.inject({ method: 'GET', url: '/api/connectors/slow/runs?limit=5', headers: bearer() });
    expect(runs.statusCode).toBe(200);
    expect(runs.json<{ runs: unknown[] }>().runs.length).toBeGreaterThanOrEqual(1);
  });

  it('syncs from the cursor, or from the start when asked (fromStart), and refuses a fromStart that is no boolean', async () => {
    const source = { ...populationSource({ rows, batchSize: 50 }), name: 'restart' };
    scheduler.add({ connector: source, streams: ['members'] });
    const runsOf = async () => (await app.inject({ method: 'GET', url: '/api/connectors/restart/runs?limit=10', headers: bearer() })).json<{ runs: Array<{ status: string; recordsRead: number }> }>().runs;
    const settle = async (n: number) => {
      const deadline = Date.now() + 10_000;
      while (Date.now() < deadline && ((await runsOf()).filter((r) => r.status !== 'running').length < n || scheduler.isRunning('restart'))) await new Promise((r) => setTimeout(r, 50));
    };
    for (const [i, body] of [undefined, {}, { fromStart: true }].entries()) {
      const res = await app.inject({ method: 'POST', url: '/api/connectors/restart/sync', headers: bearer(), ...(body === undefined ? {} : { payload: body }) });
      expect(res.statusCode).toBe(202);
      await settle(i + 1);
    }
    // Newest first: the run from the start read every row again; the one from the cursor, none.
    expect((await runsOf()).map((r) => r.recordsRead)).toEqual([rows.length, 0, rows.length]);
    const bad = await app.inject({ method: 'POST', url: '/api/connectors/restart/sync', headers: bearer(), payload: { fromStart: 'yes' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ error: 'invalid_input', issues: [{ field: 'fromStart', rule: '只能是 true 或 false' }] });
  });

  it('answers 404 for an unknown connector and 400 naming the field for bad input', async () => {
    const unknown = await app.inject({ method: 'POST', url: '/api/connectors/nope/sync', headers: bearer() });
    expect(unknown.statusCode).toBe(404);
    const badName = await app.inject({ method: 'POST', url: '/api/connectors/BAD!/sync', headers: bearer() });
    expect(badName.statusCode).toBe(400);
    expect(badName.json()).toMatchObject({ error: 'invalid_input', issues: [{ field: 'name' }] });
    const badLimit = await app.inject({ method: 'GET', url: '/api/connectors/slow/runs?limit=0', headers: bearer() });
    expect(badLimit.statusCode).toBe(400);
    expect(badLimit.json()).toMatchObject({ issues: [{ field: 'limit', rule: '至少为 1' }] });
  });

  it('syncs on its cron schedule and skips a tick while the previous run is still going', async () => {
    const s = new IngestScheduler(runDeps(hub, testLogger));
    const ticking = gated({ ...populationSource({ rows, batchSize: 50 }), name: 'ticking' });
    s.add({ connector: ticking, streams: ['members'], cron: '* * * * * *' });
    s.start();
    try {
      const deadline = Date.now() + 5_000;
      while (!s.status()[0]?.running && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      expect(s.status()[0]).toMatchObject({ running: true, cron: '* * * * * *' });
      await new Promise((r) => setTimeout(r, 2_500)); // at least two more ticks while it is held
      const runs = await runDeps(hub, testLogger).runs.recent('ticking');
      expect(runs).toHaveLength(1);
    } finally {
      ticking.release();
      await s.stop();
    }
  });
});
