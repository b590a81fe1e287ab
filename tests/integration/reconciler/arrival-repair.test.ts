// The stream's repair of an arrival-order decision on PostgreSQL (neighbourhood.ts): a weak link
// taken early gives way when the person's own records arrive in a later batch. The stored record
// moves to the event's master with a history row, and the result equals one batch of all four.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { modelVersion } from '../../../services/reconciler/stream/model-store.ts';
import { arrivalScenario, testModel } from '../../../services/reconciler/stream/neighbourhood.fixtures.ts';
import { reconcileBatch } from '../../../services/reconciler/stream/reconcile-batch.ts';
import { recordKey } from '../../../services/reconciler/stream/record-key.ts';
import { rows } from '../../../services/reconciler/stream/sql.ts';
import { createTestDatabase, type TestDatabase } from '../../support/isolation.ts';
import { snapshot } from './snapshot.ts';

const model = testModel();
const active = { version: modelVersion(model), model };
const events = arrivalScenario();
const [ka, kw, kw2, kb] = events.map((e) => recordKey(e.source)) as [string, string, string, string];

describe('arrival-order repair on PostgreSQL [postgres]', () => {
  let split: TestDatabase;
  let whole: TestDatabase;
  beforeAll(async () => {
    [split, whole] = await Promise.all([createTestDatabase(), createTestDatabase()]);
    await reconcileBatch(split.database.db, active, events.slice(0, 3));
    await reconcileBatch(split.database.db, active, events.slice(3));
    await reconcileBatch(whole.database.db, active, events);
  });
  afterAll(async () => {
    await split?.drop();
    await whole?.drop();
  });

  const masterOf = async (db: TestDatabase) =>
    new Map((await rows<{ k: string; m: string }>(db.database.db, sql`select record_key as k, master_id as m from reconciler_links`)).map((r) => [r.k, r.m]));

  it('moves the weakly linked record out of the stored master, to the person whose records arrived later', async () => {
    const m = await masterOf(split);
    expect(m.get(kw)).toBe(m.get(kb));
    expect(m.get(kw2)).toBe(m.get(kb));
    expect(m.get(ka)).not.toBe(m.get(kb));
    const history = await rows<{ masterId: string; previous: string | null; reason: string }>(split.database.db, sql`
      select master_id as "masterId", previous_master_id as previous, reason from reconciler_link_history where record_key = ${kw} order by id`);
    expect(history.map((h) => h.masterId)).toEqual([m.get(ka), m.get(kb)]);
    expect(history[1]!.previous).toBe(m.get(ka));
    expect(history[1]!.reason).toMatch(/^taken from /u);
    // The master it left keeps its id, its other record and a fresh survivorship without the follower.
    const left = await rows<{ status: string; fields: Record<string, unknown> }>(split.database.db, sql`select status, fields from reconciler_masters where master_id = ${m.get(ka)!}`);
    expect(left[0]!.status).toBe('active');
  });

  it('ends where one batch of all four events ends', async () => {
    const [s, w] = [await snapshot(split.database.db), await snapshot(whole.database.db)];
    expect(s.masters).toEqual(w.masters);
    expect(await masterOf(split)).toEqual(await masterOf(whole));
    expect(s.links).toHaveLength(4);
  });
});
