// The streaming reconciler end to end on real Kafka and PostgreSQL: a seeded population's member
// observations on the catalog's 6-partition topic, drained into master records, checked against
// the generator's truth and against the core's own offline figure on the same records.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { loadConfig } from '../../../schemas/config.ts';
import { openHub, type Hub } from '../../../services/hub/hub.ts';
import { pairwiseQuality } from '../../../services/reconciler/evaluate.ts';
import { matchBatch } from '../../../services/reconciler/pipeline.ts';
import { drainReconciler } from '../../../services/reconciler/stream/consumer.ts';
import { loadModel } from '../../../services/reconciler/stream/model-store.ts';
import { normaliseObservation } from '../../../services/reconciler/normalise/index.ts';
import { recordKey } from '../../../services/reconciler/stream/record-key.ts';
import { lineage, qualityOf } from '../../../services/reconciler/stream/read-model.ts';
import { rows } from '../../../services/reconciler/stream/sql.ts';
import { createTestDatabase, kafkaBrokers, uniqueName, type TestDatabase } from '../../support/isolation.ts';
import { testLogger } from '../../support/logger.ts';
import { messagesOf, populationEvents } from '../../../services/reconciler/stream/population-events.ts';
import { publishWhenReady } from './publish-ready.ts';
import { snapshot } from './snapshot.ts';

const PERSONS = 600;
const SEED = 'reconciler-stream-1';

describe('streaming reconciler on a seeded population [kafka] [postgres]', () => {
  let tdb: TestDatabase;
  let hub: Hub;
  const group = uniqueName('reconciler');
  const fx = populationEvents(PERSONS, SEED);
  const modelProgress: Array<[number, number]> = [];

  beforeAll(async () => {
    tdb = await createTestDatabase();
    hub = await openHub(loadConfig({ KAFKA_BROKERS: kafkaBrokers().join(','), DATABASE_URL: tdb.url, YIBIAO_TOPIC_PREFIX: `${uniqueName('rec')}.`, LOG_LEVEL: 'warn' }), testLogger);
    await publishWhenReady(hub.bus, 'member.observed', messagesOf(fx.events));
    await drainReconciler({ db: hub.database.db, bus: hub.bus, logger: testLogger, groupId: group, onModelProgress: (read, total) => modelProgress.push([read, total]) });
  });
  afterAll(async () => {
    await hub?.close();
    await tdb?.drop();
  });

  it('links every record once, with precision no worse than the core offline on the same records', async () => {
    const stored = await lineage(hub.database.db);
    expect(stored.length).toBe(new Set(fx.events.map((e) => recordKey(e.source))).size);
    const q = qualityOf(stored, fx.truth);
    expect(q.unknown).toBe(0);
    const offline = matchBatch(fx.events.map((e) => ({ ref: recordKey(e.source), payload: e.payload })));
    const byRef = new Map(fx.truth.map((t) => [`${t.system}:${t.id}`, t.personId]));
    const oq = pairwiseQuality(offline.clustering.clusterOf, fx.events.map((e) => byRef.get(`${e.source.system}:${e.source.recordId}`) ?? null));
    testLogger.warn({ streaming: { p: q.precision, r: q.recall, clusters: q.clusters }, offline: { p: oq.precision, r: oq.recall, clusters: oq.clusters }, persons: q.persons }, 'quality');
    expect(q.precision).toBeGreaterThanOrEqual(oq.precision - 0.002);
    // Linking happens at all: most true pairs are found, far more than exact-ID matches alone.
    expect(q.recall).toBeGreaterThan(0.7);
    expect(q.clusters).toBeLessThan(stored.length * 0.6);
  });

  it('reports the model pass over the whole topic, and its term frequencies know every name in it', async () => {
    // Progress every 5,000 events and at the end, which is every event published.
    expect(modelProgress.at(-1)).toEqual([fx.events.length, fx.events.length]);
    expect(modelProgress.every(([read, total], i) => total === fx.events.length && read > (modelProgress[i - 1]?.[0] ?? 0))).toBe(true);
    const model = await loadModel(hub.database.db);
    const names = new Set(fx.events.filter((e) => !e.payload.deleted).map((e) => normaliseObservation(e.payload).name).filter((n) => n !== null));
    expect(new Set(model!.model.tf.name!.keys())).toEqual(names);
  });

  it('never puts two different valid ID numbers into one master', async () => {
    const bad = await rows<{ masterId: string; n: number }>(hub.database.db, sql`
      select l.master_id as "masterId", count(distinct r.normalised->>'idNumber')::int as n
      from reconciler_links l join reconciler_source_records r on r.record_key = l.record_key
      where r.normalised->>'idNumber' is not null group by l.master_id having count(distinct r.normalised->>'idNumber') > 1`);
    expect(bad).toEqual([]);
    // And every record with a valid ID shares its master with every other record of that ID.
    const split = await rows<{ id: string }>(hub.database.db, sql`
      select r.normalised->>'idNumber' as id from reconciler_links l join reconciler_source_records r on r.record_key = l.record_key
      where r.normalised->>'idNumber' is not null group by 1 having count(distinct l.master_id) > 1`);
    expect(split).toEqual([]);
  });

  it('survivorship takes the member system for the ID number and derives birth date and gender from it', async () => {
    const ms = await rows<{ fields: Record<string, { value: unknown; source: { system: string } }> }>(hub.database.db, sql`
      select fields from reconciler_masters where status = 'active' and fields->'idNumber' is not null`);
    expect(ms.length).toBeGreaterThan(PERSONS / 2);
    for (const { fields } of ms) {
      const id = String(fields.idNumber!.value);
      expect(fields.birthDate?.value).toBe(`${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`);
      expect(fields.gender?.value).toBe(Number(id[16]) % 2 === 1 ? '男' : '女');
    }
  });

  it('re-publishing the same events changes no master, link or revision', async () => {
    const before = await snapshot(hub.database.db);
    await hub.bus.publish('member.observed', messagesOf(fx.events.slice(0, 500)));
    const { stats } = await drainReconciler({ db: hub.database.db, bus: hub.bus, logger: testLogger, groupId: group });
    expect(stats.duplicates).toBe(500);
    expect(stats.applied).toBe(0);
    expect(await snapshot(hub.database.db)).toEqual(before);
  });
});
