// Over-full blocking keys on PostgreSQL. With a small maxBlockSize, a seeded population's common
// name keys overflow: such a key is stored as over-full the moment a member has more than
// maxBlockSize others, is not read again and gets no more rows; the decisions do not depend on
// where batches start and end, and equal the in-memory decider's over the same events.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { DEFAULT_MODEL_CONFIG } from '../../../services/reconciler/model-config.ts';
import { matchBatch } from '../../../services/reconciler/pipeline.ts';
import { decideBatch } from '../../../services/reconciler/stream/batch-decide.ts';
import { emptyBatch } from '../../../services/reconciler/stream/batch-state.ts';
import { modelVersion } from '../../../services/reconciler/stream/model-store.ts';
import { populationEvents } from '../../../services/reconciler/stream/population-events.ts';
import { prepareEvent, reconcileBatch } from '../../../services/reconciler/stream/reconcile-batch.ts';
import { recordKey } from '../../../services/reconciler/stream/record-key.ts';
import { rows } from '../../../services/reconciler/stream/sql.ts';
import { createTestDatabase, type TestDatabase } from '../../support/isolation.ts';
import { snapshot } from './snapshot.ts';

const MAX = 3;
const fx = populationEvents(400, 'overfull-blocks-1');
const config = { ...DEFAULT_MODEL_CONFIG, blocking: { maxBlockSize: MAX } };
const model = matchBatch(fx.events.map((e) => ({ ref: recordKey(e.source), payload: e.payload })), config).model;
const active = { version: modelVersion(model), model };

async function drainInBatches(tdb: TestDatabase, size: number): Promise<void> {
  for (let i = 0; i < fx.events.length; i += size) await reconcileBatch(tdb.database.db, active, fx.events.slice(i, i + size));
}

describe('over-full blocking keys [postgres]', () => {
  let big: TestDatabase;
  let small: TestDatabase;
  beforeAll(async () => {
    [big, small] = await Promise.all([createTestDatabase(), createTestDatabase()]);
    await drainInBatches(big, 1000);
    await drainInBatches(small, 7);
  });
  afterAll(async () => {
    await big?.drop();
    await small?.drop();
  });

  it('marks keys over-full and gives them no rows beyond the limit; every other key stays within it', async () => {
    const overfull = await rows<{ key: string }>(big.database.db, sql`select key from reconciler_overfull_keys`);
    expect(overfull.length).toBeGreaterThan(0);
    // A key is marked once a member has more than MAX others (MAX + 2 members): it holds at most MAX + 1 rows.
    const sizes = await rows<{ key: string; n: number }>(big.database.db, sql`select key, count(*)::int as n from reconciler_blocks group by key`);
    expect(Math.max(...sizes.map((s) => s.n))).toBeLessThanOrEqual(MAX + 1);
    // Every key the population holds more than MAX + 1 times is marked.
    const counts = new Map<string, number>();
    for (const e of fx.events) for (const k of prepareEvent(e).blockingKeys) counts.set(k, (counts.get(k) ?? 0) + 1);
    const marked = new Set(overfull.map((o) => o.key));
    const crowded = [...counts].filter(([, n]) => n > MAX + 1).map(([k]) => k);
    expect(crowded.length).toBeGreaterThan(0);
    expect(crowded.filter((k) => !marked.has(k))).toEqual([]);
  });

  it('batches of 7 decide exactly what batches of 1,000 do', async () => {
    expect(await snapshot(small.database.db)).toEqual(await snapshot(big.database.db));
    expect(await rows(small.database.db, sql`select key from reconciler_overfull_keys order by key`)).toEqual(await rows(big.database.db, sql`select key from reconciler_overfull_keys order by key`));
  });

  it('links every record as the in-memory decider does over the same events', async () => {
    const items = fx.events.map((e) => prepareEvent(e));
    const d = decideBatch(emptyBatch(items.flatMap((i) => i.blockingKeys)), model, items);
    const stored = await rows<{ recordKey: string; masterId: string }>(big.database.db, sql`select record_key as "recordKey", master_id as "masterId" from reconciler_links`);
    expect(stored.length).toBe(new Set(items.map((i) => i.key)).size);
    expect(new Map(stored.map((s) => [s.recordKey, s.masterId]))).toEqual(new Map(stored.map((s) => [s.recordKey, d.masterOf(s.recordKey)])));
  });
});
