// Model re-estimation on real Kafka + PostgreSQL, as a hub meets it: the 党员管理信息系统 is wired
// first and the model is estimated on its records alone; the other systems follow. The repair
// scan sees the topic has grown, estimates the model again from the topic as it is now and makes
// it active; a running consumer scores with it from its next batch, new links name it, older
// links keep the version that decided them; estimating again over an unchanged topic changes
// nothing.
import { describe, expect, it } from 'vitest';
import { inArray } from 'drizzle-orm';
import { reconcilerLinks } from '../../../schemas/db/reconciler.ts';
import { RepairScan } from '../../../services/reconciler/repair-schedule.ts';
import { MEMBER_TOPIC, startReconciler } from '../../../services/reconciler/stream/consumer.ts';
import { activeModelInfo, loadModel, reestimateModel } from '../../../services/reconciler/stream/model-store.ts';
import { messagesOf, populationEvents } from '../../../services/reconciler/stream/population-events.ts';
import { recordKey } from '../../../services/reconciler/stream/record-key.ts';
import { uniqueName } from '../../support/isolation.ts';
import { testLogger } from '../../support/logger.ts';
import { useDrainedHub } from './drained-hub.ts';

const fx = populationEvents(300, 'reconciler-reestimate-1');
const register = fx.events.filter((e) => e.source.system === 'member-system');
const others = fx.events.filter((e) => e.source.system !== 'member-system');
// The last few of the other systems' records arrive after the re-estimate.
const later = others.slice(-25);
const rest = others.slice(0, -25);

describe('reconciler model re-estimation [kafka] [postgres]', () => {
  const ctx = useDrainedHub(register, 'rre');
  const db = () => ctx.hub.database.db;
  const versionsOf = async (events: typeof fx.events) => new Set((await db().select({ v: reconcilerLinks.modelVersion }).from(reconcilerLinks)
    .where(inArray(reconcilerLinks.recordKey, events.map((e) => recordKey(e.source))))).map((l) => l.v));

  it('re-estimates once the topic has grown, and a running consumer scores with the new model from its next batch', async () => {
    expect(register.length).toBeGreaterThan(0);
    expect(rest.length).toBeGreaterThan(register.length);
    const v1 = (await loadModel(db()))!.version;
    expect(await activeModelInfo(db())).toEqual({ version: v1, topicEvents: register.length });

    // The other systems arrive; the model stays what it was until something estimates it again.
    await ctx.hub.bus.publish(MEMBER_TOPIC, messagesOf(rest));
    await ctx.drain();
    expect(await versionsOf(rest)).toEqual(new Set([v1]));

    // A consumer that keeps running across the re-estimate (from the start of the topic: what it
    // has seen already is a duplicate, a no-op).
    const running = startReconciler({ db: db(), bus: ctx.hub.bus, logger: testLogger, groupId: uniqueName('reconciler-live') });
    try {
      const repair = new RepairScan({ db: db(), bus: ctx.hub.bus, logger: testLogger, cron: null });
      const run = await repair.trigger();
      expect(run.complete).toBe(true);
      expect(run.model).toMatchObject({ previous: v1, changed: true, topicEvents: register.length + rest.length });
      const v2 = run.model!.current;
      expect(v2).not.toBe(v1);
      expect((await loadModel(db()))!.version).toBe(v2);
      expect(run.stats.scanned).toBe(register.length + rest.length);

      // Not grown since: the next scan keeps the model; estimating again anyway gives the same version.
      const again = await repair.trigger();
      expect(again.model).toBeNull();
      expect(await reestimateModel(db(), ctx.hub.bus)).toEqual({ previous: v2, current: v2, changed: false, topicEvents: register.length + rest.length });

      await ctx.hub.bus.publish(MEMBER_TOPIC, messagesOf(later));
      const deadline = Date.now() + 60_000;
      while (running.stats.handled < fx.events.length) {
        if (Date.now() > deadline) throw new Error(`the live consumer handled ${running.stats.handled} of ${fx.events.length} events`);
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(running.stats.applied).toBe(later.length);
      expect(await versionsOf(later)).toEqual(new Set([v2]));
      // Links the old model decided keep its version (a scan re-links only what it moves).
      expect((await versionsOf(register)).has(v1)).toBe(true);
    } finally {
      await running.close();
    }
  }, 180_000);
});
