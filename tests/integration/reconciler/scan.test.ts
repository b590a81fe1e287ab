// The repair pass on real Kafka + PostgreSQL: after a steward splits a record off and then
// retracts the never-links, nothing joins them again until evidence is looked at again; the scan
// does, with history; a second scan writes nothing.
import { describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { loadModel } from '../../../services/reconciler/stream/model-store.ts';
import { populationEvents } from '../../../services/reconciler/stream/population-events.ts';
import { scanForDuplicates } from '../../../services/reconciler/stream/scan.ts';
import { rows } from '../../../services/reconciler/stream/sql.ts';
import { useDrainedHub } from './drained-hub.ts';
import { snapshot } from './snapshot.ts';
import { master, masterOf as masterOfRecord, retractNeverLinksOf, splitLinkedRecord } from './steward-fixtures.ts';

const fx = populationEvents(300, 'reconciler-scan-1');

describe('reconciler repair scan [kafka] [postgres]', () => {
  const ctx = useDrainedHub(fx.events, 'rsn');
  const db = () => ctx.hub.database.db;
  const masterOf = (key: string) => masterOfRecord(db(), key);
  const revisionOf = async (id: string) => (await master(db(), id)).revision;

  it('a scan over a freshly drained population changes nothing, and neither does a second one', async () => {
    const model = (await loadModel(db()))!;
    const before = await snapshot(db());
    const first = await scanForDuplicates(db(), null, model, { pageSize: 200 });
    expect(first.scanned).toBe(fx.events.length);
    const second = await scanForDuplicates(db(), null, model);
    expect(second).toMatchObject({ merges: 0, relinked: 0, changedMasters: 0 });
    if (first.changedMasters === 0) expect(await snapshot(db())).toEqual(before);
  });

  it('rejoins a split record once the steward retracts the never-links, with history', async () => {
    const model = (await loadModel(db()))!;
    const pick = await splitLinkedRecord(db());
    const { newMasterId } = pick;
    expect(await masterOf(pick.key)).toBe(newMasterId);

    // Evidence alone does not undo the split …
    const held = await scanForDuplicates(db(), null, model);
    expect(held.merges).toBe(0);
    expect(await masterOf(pick.key)).toBe(newMasterId);

    // … until the steward takes the never-links back; then the scan rejoins the older master.
    await retractNeverLinksOf(db(), pick.key);
    const revisionBefore = await revisionOf(pick.master);
    const repaired = await scanForDuplicates(db(), null, model);
    expect(repaired.merges).toBe(1);
    expect(await masterOf(pick.key)).toBe(pick.master);
    expect(await revisionOf(pick.master)).toBeGreaterThan(revisionBefore);
    expect(await master(db(), newMasterId)).toMatchObject({ status: 'merged', mergedInto: pick.master });
    const [last] = await rows<{ master: string; previous: string }>(db(), sql`
      select master_id as master, previous_master_id as previous from reconciler_link_history where record_key = ${pick.key} order by id desc limit 1`);
    expect(last).toEqual({ master: pick.master, previous: newMasterId });
  });
});
