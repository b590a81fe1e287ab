// The repair pass on real Kafka + PostgreSQL: after a steward splits a record off and then
// retracts the never-links, nothing joins them again until evidence is looked at again; the scan
// does, with history; a second scan writes nothing.
import { describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import { reconcilerLinks, reconcilerMasters, reconcilerNeverLinks } from '../../../schemas/db/reconciler.ts';
import { loadModel } from '../../../services/reconciler/stream/model-store.ts';
import { populationEvents } from '../../../services/reconciler/stream/population-events.ts';
import { scanForDuplicates } from '../../../services/reconciler/stream/scan.ts';
import { rows } from '../../../services/reconciler/stream/sql.ts';
import { splitRecord } from '../../../services/reconciler/stream/steward.ts';
import { retractNeverLink } from '../../../services/reconciler/stream/steward-retract.ts';
import { useDrainedHub } from './drained-hub.ts';
import { snapshot } from './snapshot.ts';

const fx = populationEvents(300, 'reconciler-scan-1');

describe('reconciler repair scan [kafka] [postgres]', () => {
  const ctx = useDrainedHub(fx.events, 'rsn');
  const db = () => ctx.hub.database.db;
  const masterOf = async (key: string) => (await db().select({ m: reconcilerLinks.masterId }).from(reconcilerLinks).where(eq(reconcilerLinks.recordKey, key)))[0]?.m;
  const revisionOf = async (id: string) => (await db().select({ r: reconcilerMasters.revision }).from(reconcilerMasters).where(eq(reconcilerMasters.masterId, id)))[0]!.r;


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
    // A record linked by evidence (a match-band pair) to a record that is still on its master.
    const [pick] = await rows<{ key: string; via: string; master: string }>(db(), sql`
      select l.record_key as key, l.via_record_key as via, l.master_id as master from reconciler_links l
      join reconciler_links v on v.record_key = l.via_record_key and v.master_id = l.master_id
      where l.origin = 'inferred' order by l.record_key limit 1`);
    if (!pick) throw new Error('no record linked through another record of its master');
    const { newMasterId } = await splitRecord(db(), null, { recordKey: pick.key, masterId: pick.master, expectedRevision: await revisionOf(pick.master), steward: '张三', reason: '核对' });
    expect(await masterOf(pick.key)).toBe(newMasterId);

    // Evidence alone does not undo the split …
    const held = await scanForDuplicates(db(), null, model);
    expect(held.merges).toBe(0);
    expect(await masterOf(pick.key)).toBe(newMasterId);

    // … until the steward takes the never-links back; then the scan rejoins the older master.
    const nevers = await db().select().from(reconcilerNeverLinks);
    for (const n of nevers.filter((x) => x.recordA === pick.key || x.recordB === pick.key)) {
      const [ma, mb] = [(await masterOf(n.recordA))!, (await masterOf(n.recordB))!];
      await retractNeverLink(db(), { recordA: n.recordA, recordB: n.recordB, expectedRevisions: { [ma]: await revisionOf(ma), [mb]: await revisionOf(mb) }, steward: '张三', reason: '撤回' });
    }
    const revisionBefore = await revisionOf(pick.master);
    const repaired = await scanForDuplicates(db(), null, model);
    expect(repaired.merges).toBe(1);
    expect(await masterOf(pick.key)).toBe(pick.master);
    expect(await revisionOf(pick.master)).toBeGreaterThan(revisionBefore);
    const [tomb] = await db().select().from(reconcilerMasters).where(eq(reconcilerMasters.masterId, newMasterId));
    expect(tomb).toMatchObject({ status: 'merged', mergedInto: pick.master });
    const [last] = await rows<{ master: string; previous: string }>(db(), sql`
      select master_id as master, previous_master_id as previous from reconciler_link_history where record_key = ${pick.key} order by id desc limit 1`);
    expect(last).toEqual({ master: pick.master, previous: newMasterId });
  });
});
