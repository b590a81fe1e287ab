// Term frequencies counted over the masters (stream/tf-recount.ts) on real Kafka + PostgreSQL: the
// stored records, grouped by the master each is linked to, give the very tables the core counts
// over records with their master as the person; they are not the drain's first count, where each
// ID number or account was a person; and with YIBIAO_TF_OVER_MASTERS on (off by default) the first
// repair scan after a drain makes them the model's.
import { describe, expect, it } from 'vitest';
import type { MemberObserved } from '../../../schemas/events/member-observed.ts';
import { DEFAULT_MODEL_CONFIG } from '../../../services/reconciler/model-config.ts';
import { normaliseObservation } from '../../../services/reconciler/normalise/index.ts';
import { RepairScan } from '../../../services/reconciler/repair-schedule.ts';
import { loadModel } from '../../../services/reconciler/stream/model-store.ts';
import { populationEvents } from '../../../services/reconciler/stream/population-events.ts';
import { lineage } from '../../../services/reconciler/stream/read-model.ts';
import { recordKey } from '../../../services/reconciler/stream/record-key.ts';
import { countOverMasters, hasLinkedRecords } from '../../../services/reconciler/stream/tf-recount.ts';
import { tfTables } from '../../../services/reconciler/term-frequencies.ts';
import { testLogger } from '../../support/logger.ts';
import { useDrainedHub } from './drained-hub.ts';

const fx = populationEvents(400, 'reconciler-tf-recount-1');
const sorted = (t: Record<string, ReadonlyMap<string, number>>) => Object.fromEntries(Object.entries(t).map(([k, m]) => [k, [...m].sort(([a], [b]) => (a < b ? -1 : 1))]));

describe('term frequencies over the masters [kafka] [postgres]', () => {
  const ctx = useDrainedHub(fx.events, 'tfr');
  const db = () => ctx.hub.database.db;

  it('counts each master as one person, page by page, and, when asked, the first scan after the drain makes them the model\'s', async () => {
    const drained = (await loadModel(db()))!;
    expect(drained.model.tfOverMasters).toBeUndefined();
    expect(await hasLinkedRecords(db())).toBe(true);

    // Off by default (YIBIAO_TF_OVER_MASTERS): a scan leaves the drain's model as it is.
    const plain = await new RepairScan({ db: db(), bus: ctx.hub.bus, logger: testLogger, cron: null }).trigger();
    expect(plain).toMatchObject({ complete: true, model: null });
    expect((await loadModel(db()))!.version).toBe(drained.version);

    const masterOf = new Map((await lineage(db())).map((l) => [recordKey({ system: l.system as MemberObserved['source']['system'], instance: l.instance, recordId: l.recordId }), l.masterId]));
    const records = fx.events.map((e) => normaliseObservation(e.payload, recordKey(e.source)));
    const overMasters = tfTables(DEFAULT_MODEL_CONFIG, records, (i) => masterOf.get(records[i]!.ref)!);
    const overEntities = tfTables(DEFAULT_MODEL_CONFIG, records);

    // A page of 37 records at a time: the pages together count every linked record once.
    const pages: number[] = [];
    const counted = (await countOverMasters(db(), DEFAULT_MODEL_CONFIG, { pageSize: 37, onProgress: (n) => pages.push(n) }))!;
    expect(pages).toHaveLength(Math.ceil(fx.events.length / 37));
    expect(pages.at(-1)).toBe(fx.events.length);
    expect(counted.records).toBe(fx.events.length);
    expect(sorted(counted.tf)).toEqual(sorted(overMasters));
    // One person's register row, follower and login are one master: fewer holders than entities.
    expect(sorted(counted.tf)).not.toEqual(sorted(overEntities));
    expect(new Set(masterOf.values()).size).toBeLessThan(new Set(records.map((r) => r.idNumber ?? r.accounts[0] ?? r.ref)).size);

    const repair = new RepairScan({ db: db(), bus: ctx.hub.bus, logger: testLogger, cron: null, tfOverMasters: true });
    const run = await repair.trigger();
    expect(run).toMatchObject({ complete: true, error: null, model: { previous: drained.version, changed: true } });
    const active = (await loadModel(db()))!;
    expect(active.version).toBe(run.model!.current);
    expect(active.model.tfOverMasters).toBe(fx.events.length);
    // Only the tables moved: m, u and the priors are the topic's, estimated as before.
    expect(active.model.comparisons).toEqual(drained.model.comparisons);
    expect(active.model.prior).toBe(drained.model.prior);
    expect(sorted(active.model.tf)).toEqual(sorted(counted.tf));
    // A hub shutting down stops a count between pages.
    const stop = new AbortController();
    stop.abort(new Error('hub closing'));
    await expect(countOverMasters(db(), DEFAULT_MODEL_CONFIG, { signal: stop.signal })).rejects.toThrow('hub closing');
    // Counted now: the next scan estimates nothing again.
    expect((await repair.trigger()).model).toBeNull();
  }, 180_000);
});
