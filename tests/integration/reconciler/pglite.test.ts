// The embedded way of running: PGlite (one connection) holding both the event log and the master
// data. The same reconciler drains the same kind of population and keeps the deterministic rules;
// advisory locks and transactions behave as on PostgreSQL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { ALL_TOPICS } from '../../../schemas/topics.ts';
import { createBus } from '../../../services/bus/create-bus.ts';
import type { EventBus } from '../../../services/bus/port.ts';
import { openPglite, type Database } from '../../../services/db/database.ts';
import { drainReconciler, MEMBER_TOPIC, startReconciler } from '../../../services/reconciler/stream/consumer.ts';
import { lineage, qualityOf } from '../../../services/reconciler/stream/read-model.ts';
import { rows } from '../../../services/reconciler/stream/sql.ts';
import { testLogger } from '../../support/logger.ts';
import { messagesOf, populationEvents } from '../../../services/reconciler/stream/population-events.ts';
import { snapshot } from './snapshot.ts';

const fx = populationEvents(150, 'reconciler-pglite-1');

describe('streaming reconciler on embedded PGlite and the log bus [pglite]', () => {
  let database: Database;
  let bus: EventBus;

  beforeAll(async () => {
    database = await openPglite(undefined);
    await database.migrate();
    bus = createBus({ db: database.db, logger: testLogger, pollMs: 10 });
    await bus.ensureTopics(ALL_TOPICS);
    await bus.publish(MEMBER_TOPIC, messagesOf(fx.events));
  });
  afterAll(async () => {
    await bus.close();
    await database.close();
  });

  it('drains every event into masters, precise and without two valid IDs in one master; a second drain is a no-op', async () => {
    const { stats } = await drainReconciler({ db: database.db, bus, logger: testLogger, groupId: 'reconciler' });
    expect(stats.applied).toBe(fx.events.length);
    const stored = await lineage(database.db);
    expect(stored.length).toBe(fx.events.length);
    const q = qualityOf(stored, fx.truth);
    expect(q.precision).toBeGreaterThanOrEqual(0.99);
    expect(q.recall).toBeGreaterThan(0.7);
    const bad = await rows(database.db, sql`
      select l.master_id from reconciler_links l join reconciler_source_records r on r.record_key = l.record_key
      where r.normalised->>'idNumber' is not null group by l.master_id having count(distinct r.normalised->>'idNumber') > 1`);
    expect(bad).toEqual([]);

    const before = await snapshot(database.db);
    await bus.setGroupOffsets('reconciler', MEMBER_TOPIC, (await bus.fetchTopicEnds(MEMBER_TOPIC)).map((p) => ({ partition: p.partition, offset: '0' })));
    const again = await drainReconciler({ db: database.db, bus, logger: testLogger, groupId: 'reconciler' });
    expect(again.stats.duplicates).toBe(fx.events.length);
    expect(await snapshot(database.db)).toEqual(before);
  });

  it('the continuous consumer waits for events, then follows the topic as they arrive', async () => {
    // Record ids of another population may repeat this one's: name them apart.
    const more = populationEvents(40, 'reconciler-pglite-follow').events.map((e) => ({ ...e, id: `${e.id}-f`, source: { ...e.source, recordId: `follow-${e.source.recordId}` } }));
    const running = startReconciler({ db: database.db, bus, logger: testLogger, groupId: 'follower', pollMs: 50 });
    try {
      await bus.publish(MEMBER_TOPIC, messagesOf(more));
      const deadline = Date.now() + 60_000;
      // Its own group starts at offset 0: the earlier events are duplicates, the new ones applied.
      while (running.stats.applied < more.length) {
        if (Date.now() > deadline) throw new Error(`applied ${running.stats.applied} of ${more.length}`);
        await new Promise((r) => setTimeout(r, 50));
      }
      expect(running.stats.duplicates).toBe(fx.events.length);
      expect((await lineage(database.db)).length).toBe(fx.events.length + more.length);
    } finally {
      await running.close();
    }
  });
});
