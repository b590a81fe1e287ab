// Crash-and-restart and replay on real Kafka and PostgreSQL. All events go to ONE partition (one
// key), so every run sees the same total order; across partitions the interleaving differs from
// run to run on any bus, and incremental clustering with stable ids depends on arrival order.
// The reference is an uninterrupted in-process run; the crash run is `yibiao reconcile --drain`
// in a child process killed with SIGKILL mid-way and started again.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { count } from 'drizzle-orm';
import { loadConfig } from '../../../schemas/config.ts';
import { reconcilerLinks } from '../../../schemas/db/reconciler.ts';
import { openHub, type Hub } from '../../../services/hub/hub.ts';
import { drainReconciler, MEMBER_TOPIC } from '../../../services/reconciler/stream/consumer.ts';
import { lineage, qualityOf } from '../../../services/reconciler/stream/read-model.ts';
import { createTestDatabase, kafkaBrokers, uniqueName, type TestDatabase } from '../../support/isolation.ts';
import { testLogger } from '../../support/logger.ts';
import { messagesOf, populationEvents } from '../../../services/reconciler/stream/population-events.ts';
import { publishWhenReady } from './publish-ready.ts';
import { snapshot } from './snapshot.ts';

const CLI = resolve(import.meta.dirname, '..', '..', '..', 'services', 'cli', 'main.ts');
const fx = populationEvents(300, 'reconciler-crash-1');

describe('reconciler crash, restart and replay [kafka] [postgres]', () => {
  const prefix = `${uniqueName('rcr')}.`;
  const refGroup = uniqueName('reconciler-ref');
  const dbs: TestDatabase[] = [];
  let hub: Hub;
  let reference: Awaited<ReturnType<typeof snapshot>>;
  const newDb = async () => {
    const d = await createTestDatabase();
    dbs.push(d);
    return d;
  };

  beforeAll(async () => {
    const a = await newDb();
    hub = await openHub(loadConfig({ KAFKA_BROKERS: kafkaBrokers().join(','), DATABASE_URL: a.url, YIBIAO_TOPIC_PREFIX: prefix, LOG_LEVEL: 'warn' }), testLogger);
    await publishWhenReady(hub.bus, MEMBER_TOPIC, messagesOf(fx.events, 'one-partition'));
    await drainReconciler({ db: hub.database.db, bus: hub.bus, logger: testLogger, groupId: refGroup });
    reference = await snapshot(hub.database.db);
  });
  afterAll(async () => {
    await hub?.close();
    for (const d of dbs) await d.drop();
  });

  it('a `yibiao reconcile --drain` killed with SIGKILL and restarted ends equal to the uninterrupted run', async () => {
    expect(reference.links.length).toBe(fx.events.length);
    const b = await newDb();
    const env = { ...process.env, KAFKA_BROKERS: kafkaBrokers().join(','), DATABASE_URL: b.url, YIBIAO_TOPIC_PREFIX: prefix, LOG_LEVEL: 'warn' };
    const group = uniqueName('reconciler-crash');
    // Small batches (the reference ran with the default) put many transactions before the kill,
    // and show that batch boundaries leave no trace in the result.
    const run = () => spawn(process.execPath, [CLI, 'reconcile', '--drain', '--group', group, '--batch', '40'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const linked = async () => (await b.database.db.select({ n: count() }).from(reconcilerLinks))[0]?.n ?? 0;

    const first = run();
    let err = '';
    first.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const deadline = Date.now() + 90_000;
    while ((await linked()) < fx.events.length / 3) {
      if (Date.now() > deadline || first.exitCode !== null) throw new Error(`the first run did not get a third of the way: ${err}`);
      await new Promise((r) => setTimeout(r, 25));
    }
    first.kill('SIGKILL');
    await new Promise((r) => first.on('exit', r));
    const atKill = await linked();
    expect(atKill).toBeLessThan(fx.events.length);

    const second = run();
    let out = '';
    second.stdout.on('data', (d: Buffer) => (out += d.toString()));
    second.stderr.on('data', (d: Buffer) => (err += d.toString()));
    expect(await new Promise<number | null>((r) => second.on('exit', r)), err).toBe(0);
    expect(out).toMatch(/reconciled \d+ events/u);
    expect(await snapshot(b.database.db)).toEqual(reference);
  }, 240_000);

  it('replay from offset 0: the same database does not change; an empty one gets identical masters', async () => {
    const zero = (await hub.bus.fetchTopicEnds(MEMBER_TOPIC)).map((p) => ({ partition: p.partition, offset: '0' }));
    await hub.bus.setGroupOffsets(refGroup, MEMBER_TOPIC, zero);
    const again = await drainReconciler({ db: hub.database.db, bus: hub.bus, logger: testLogger, groupId: refGroup });
    expect(again.stats.duplicates).toBe(fx.events.length);
    expect(again.stats.applied).toBe(0);
    expect(await snapshot(hub.database.db)).toEqual(reference);

    const c = await newDb();
    await hub.bus.setGroupOffsets(refGroup, MEMBER_TOPIC, zero);
    const fresh = await drainReconciler({ db: c.database.db, bus: hub.bus, logger: testLogger, groupId: refGroup });
    expect(fresh.stats.applied).toBe(fx.events.length);
    expect(await snapshot(c.database.db)).toEqual(reference);
  }, 180_000);

  it('the CLI exports lineage and masters as CSV, evaluates against a truth file and explains', async () => {
    const env = { ...process.env, KAFKA_BROKERS: kafkaBrokers().join(','), DATABASE_URL: dbs[0]!.url, YIBIAO_TOPIC_PREFIX: prefix, LOG_LEVEL: 'warn' };
    const cli = (...args: string[]) => {
      const r = spawnSync(process.execPath, [CLI, ...args], { env, encoding: 'utf8', timeout: 60_000 });
      expect(r.status, r.stderr).toBe(0);
      return r.stdout;
    };
    const stored = await lineage(hub.database.db);
    const csv = cli('export', 'lineage').trimEnd().split('\n');
    expect(csv[0]).toBe('source_system,source_record_id,master_id');
    expect(csv.slice(1).sort()).toEqual(stored.map((r) => `${r.system},${r.recordId},${r.masterId}`).sort());
    const masters = cli('export', 'masters').trimEnd().split('\n');
    expect(masters.length - 1).toBe(new Set(stored.map((r) => r.masterId)).size);

    const dir = mkdtempSync(join(tmpdir(), 'yibiao-eval-'));
    writeFileSync(join(dir, 'truth.ndjson'), fx.truth.map((t) => JSON.stringify(t)).join('\n'));
    const q = JSON.parse(cli('eval', '--truth', join(dir, 'truth.ndjson'), '--json')) as { precision: number; recall: number; clusters: number };
    const expected = qualityOf(stored, fx.truth);
    expect(q.precision).toBeCloseTo(expected.precision, 10);
    expect(q.recall).toBeCloseTo(expected.recall, 10);
    expect(q.clusters).toBe(expected.clusters);
    // The same truth as a CSV in the lineage export's layout gives the same figures.
    writeFileSync(join(dir, 'truth.csv'), `source_system,source_record_id,person_id\n${fx.truth.map((t) => `${t.system},${t.id},${t.personId ?? ''}`).join('\n')}\n`);
    expect(JSON.parse(cli('eval', '--truth', join(dir, 'truth.csv'), '--json'))).toEqual(q);
    // A truth that names the systems otherwise is said to be one.
    writeFileSync(join(dir, 'renamed.ndjson'), fx.truth.map((t) => JSON.stringify({ ...t, system: `${t.system}-export` })).join('\n'));
    const renamed = spawnSync(process.execPath, [CLI, 'eval', '--truth', join(dir, 'renamed.ndjson')], { env, encoding: 'utf8', timeout: 60_000 });
    expect(renamed.status).toBe(0);
    expect(renamed.stderr).toContain(`${stored.length} of ${stored.length} stored records are not in the truth`);

    // A master with several records: its explanation names every record and a weight per comparison.
    const sizes = new Map<string, string[]>();
    for (const r of stored) sizes.set(r.masterId, [...(sizes.get(r.masterId) ?? []), `${r.system}:${r.recordId}`]);
    const [masterId, records] = [...sizes].find(([, rs]) => rs.length >= 3)!;
    const text = cli('explain', masterId);
    for (const r of records) expect(text).toContain(r.replace(':', '/default/'));
    expect(text).toMatch(/name\s+\S+.*m=.*u=/u);
    const pair = cli('explain', records[0]!, records[1]!);
    expect(pair).toMatch(/· (match|possible|non-match)$/mu);
    expect(pair).toContain(`→ ${masterId}`);

    // The repair scan reads every stored record; run twice, the second finds nothing to change.
    expect(cli('reconcile', '--scan')).toMatch(new RegExp(`scanned ${stored.length} records`, 'u'));
    expect(cli('reconcile', '--scan')).toMatch(/merges 0 · re-linked 0 · masters changed 0/u);
    // Estimating again over the topic it was estimated on gives the same model, and the scan after it changes nothing.
    const again = cli('reconcile', '--reestimate');
    expect(again).toMatch(/^model fs-\d+:[0-9a-f]{12} unchanged \(\d+ events/mu);
    expect(again).toMatch(/merges 0 · re-linked 0 · masters changed 0/u);
  }, 240_000); // eight CLI processes, each starting Node and loading the stored model
});
