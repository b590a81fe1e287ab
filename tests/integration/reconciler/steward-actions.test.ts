// Steward actions on a drained seeded population (real Kafka + PostgreSQL): an asserted merge of
// a person the reconciler left on two masters, a merge refused by the never-rule, review decisions
// 'same' and 'different', a 'different' decision that later evidence cannot undo, a retraction
// that lets the evidence join the pair, and actions decided on an old revision refused.
import { describe, expect, it } from 'vitest';
import { and, eq, inArray, sql } from 'drizzle-orm';
import { reconcilerLinkHistory, reconcilerLinks, reconcilerNeverLinks, reconcilerReviewItems } from '../../../schemas/db/reconciler.ts';
import { MEMBER_TOPIC } from '../../../services/reconciler/stream/consumer.ts';
import { messagesOf, populationEvents } from '../../../services/reconciler/stream/population-events.ts';
import { recordKey } from '../../../services/reconciler/stream/record-key.ts';
import { linkedRecords } from '../../../services/reconciler/stream/repository.ts';
import { rows } from '../../../services/reconciler/stream/sql.ts';
import { StaleActionError, StewardNotFoundError, StewardRefusedError } from '../../../services/reconciler/stream/steward-common.ts';
import { mergeMastersAsserted } from '../../../services/reconciler/stream/steward-merge.ts';
import { retractNeverLink } from '../../../services/reconciler/stream/steward-retract.ts';
import { decideReviewItem } from '../../../services/reconciler/stream/steward-review.ts';
import { survive } from '../../../services/reconciler/stream/survivorship.ts';
import { kafkaBrokers } from '../../support/isolation.ts';
import { useDrainedHub } from './drained-hub.ts';
import { steward as stewardCommand } from '../../../services/cli/commands/steward.ts';
import { idRefusedItem, master, masterOf, mergeableItem, newerRevision, splitPerson, twoIdMasters } from './steward-fixtures.ts';

const fx = populationEvents(400, 'steward-actions-1');
const byKey = new Map(fx.events.map((e) => [recordKey(e.source), e]));
const sig = { steward: '张审核', reason: '核对了档案' };

describe('steward actions [kafka] [postgres]', () => {
  const ctx = useDrainedHub(fx.events, 'stw');
  const db = () => ctx.hub.database.db;
  const drain = () => ctx.drain();
  /** Masters a test changed: later tests pick others. */
  const used = new Set<string>();
  const itemStatus = async (a: string, b: string) =>
    (await db().select({ s: reconcilerReviewItems.status }).from(reconcilerReviewItems).where(and(eq(reconcilerReviewItems.recordA, a), eq(reconcilerReviewItems.recordB, b))))[0]?.s;


  it('merges a person left on two masters as an asserted decision: the older id survives, links asserted, history, survivorship, master.updated', async () => {
    const [a, b] = await splitPerson(db(), fx.truth, used);
    const [ma, mb] = [await master(db(), a), await master(db(), b)];
    const [older, younger] = ma.seq < mb.seq ? [ma, mb] : [mb, ma];
    const youngerRecords = (await db().select({ k: reconcilerLinks.recordKey }).from(reconcilerLinks).where(eq(reconcilerLinks.masterId, younger.masterId))).map((r) => r.k).sort();
    const request = { masters: [{ masterId: a, expectedRevision: ma.revision }, { masterId: b, expectedRevision: mb.revision }] as const, ...sig };

    // Decided on an older revision of one of them: refused, nothing changes.
    await expect(mergeMastersAsserted(db(), ctx.hub.bus, { ...request, masters: [request.masters[0], { masterId: b, expectedRevision: mb.revision - 1 }] })).rejects.toBeInstanceOf(StaleActionError);
    expect((await master(db(), b)).revision).toBe(mb.revision);

    const r = await mergeMastersAsserted(db(), ctx.hub.bus, request);
    used.add(a).add(b);
    expect(r.survivorId).toBe(older.masterId);
    expect(r.retiredId).toBe(younger.masterId);
    const tomb = await master(db(), younger.masterId);
    expect(tomb).toMatchObject({ status: 'merged', mergedInto: older.masterId, revision: younger.revision + 1 });
    const survivor = await master(db(), older.masterId);
    expect(survivor.status).toBe('active');
    expect(survivor.revision).toBe(older.revision + 1);
    // Every record of the younger master is on the survivor now, asserted, with a history row naming the steward.
    const moved = await db().select().from(reconcilerLinks).where(inArray(reconcilerLinks.recordKey, youngerRecords));
    expect(moved.length).toBe(youngerRecords.length);
    for (const l of moved) expect(l).toMatchObject({ masterId: older.masterId, origin: 'asserted', state: 'match' });
    const history = await db().select().from(reconcilerLinkHistory).where(and(inArray(reconcilerLinkHistory.recordKey, youngerRecords), eq(reconcilerLinkHistory.previousMasterId, younger.masterId)));
    expect(history.map((h) => h.recordKey).sort()).toEqual(youngerRecords);
    for (const h of history) expect(h).toMatchObject({ masterId: older.masterId, origin: 'asserted', state: 'match' });
    for (const h of history) expect(h.reason).toContain(sig.steward);
    // Survivorship reran over all the records now linked.
    const tx = db() as unknown as Parameters<typeof linkedRecords>[0];
    expect(survivor.fields).toEqual(JSON.parse(JSON.stringify(survive(await linkedRecords(tx, older.masterId)).fields)));
    expect((await rows(db(), sql`select 1 from reconciler_conflicts where master_id = ${younger.masterId}`)).length).toBe(0);
    // master.updated went out for both revisions (the outbox cursor caught up).
    expect(survivor.publishedRevision).toBe(survivor.revision);
    expect(tomb.publishedRevision).toBe(tomb.revision);
    // The same request again is stale: the younger master is gone.
    await expect(mergeMastersAsserted(db(), ctx.hub.bus, request)).rejects.toBeInstanceOf(StaleActionError);
  });

  it('refuses to merge two masters with different valid ID numbers, whoever asks', async () => {
    const [a, b] = await twoIdMasters(db(), used);
    const [ma, mb] = [await master(db(), a), await master(db(), b)];
    const err = await mergeMastersAsserted(db(), ctx.hub.bus, { masters: [{ masterId: a, expectedRevision: ma.revision }, { masterId: b, expectedRevision: mb.revision }], ...sig }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StewardRefusedError);
    expect(err).toMatchObject({ statusCode: 422, rule: 'distinct-id-numbers' });
    expect(await master(db(), a)).toEqual(ma);
    expect(await master(db(), b)).toEqual(mb);
    // A review item the never-rule refused cannot be decided 'same' either.
    const item = await idRefusedItem(db());
    const refused = await decideReviewItem(db(), ctx.hub.bus, { recordA: item.recordA, recordB: item.recordB, decision: 'same', expectedRevisions: { [item.ma]: item.ra, [item.mb]: item.rb }, ...sig }).catch((e: unknown) => e);
    expect(refused).toMatchObject({ statusCode: 422, rule: 'distinct-id-numbers' });
    expect(await itemStatus(item.recordA, item.recordB)).toBe('open');
  });

  it("decides a review item 'same': the two masters merge and the item is resolved", async () => {
    const item = await mergeableItem(db(), fx.truth, used);
    const decision = { recordA: item.recordA, recordB: item.recordB, decision: 'same' as const, ...sig };
    await expect(decideReviewItem(db(), ctx.hub.bus, { ...decision, expectedRevisions: { [item.ma]: item.ra - 1, [item.mb]: item.rb } })).rejects.toBeInstanceOf(StaleActionError);
    await expect(decideReviewItem(db(), ctx.hub.bus, { ...decision, expectedRevisions: { [item.ma]: item.ra } })).rejects.toBeInstanceOf(StaleActionError);
    expect(await itemStatus(item.recordA, item.recordB)).toBe('open');

    const out = await decideReviewItem(db(), ctx.hub.bus, { ...decision, expectedRevisions: { [item.ma]: item.ra, [item.mb]: item.rb } });
    used.add(item.ma).add(item.mb);
    expect(out.merged).not.toBeNull();
    const together = await masterOf(db(), item.recordA);
    expect(await masterOf(db(), item.recordB)).toBe(together);
    expect(together).toBe(out.merged!.survivorId);
    expect((await master(db(), out.merged!.retiredId)).status).toBe('merged');
    expect(await itemStatus(item.recordA, item.recordB)).toBe('resolved');
    const rowsOfPair = await db().select().from(reconcilerLinkHistory)
      .where(and(inArray(reconcilerLinkHistory.recordKey, [item.recordA, item.recordB]), sql`${reconcilerLinkHistory.reason} like '%decided same%'`));
    expect(rowsOfPair.length).toBe(2);
    for (const h of rowsOfPair) expect(h.reason).toContain(sig.reason);
    // Decided once: a second decision on the item is refused.
    const again = await decideReviewItem(db(), ctx.hub.bus, { ...decision, expectedRevisions: { [together!]: (await master(db(), together!)).revision } }).catch((e: unknown) => e);
    expect(again).toMatchObject({ statusCode: 409, rule: 'already-resolved' });
  });

  it("a 'different' decision survives new evidence; after a retraction the evidence joins the pair", async () => {
    const item = await mergeableItem(db(), fx.truth, used);
    used.add(item.ma).add(item.mb);
    const x = byKey.get(item.recordA);
    const y = byKey.get(item.recordB);
    if (!x || !y) throw new Error('a review item names a record the fixture did not publish');
    const out = await decideReviewItem(db(), ctx.hub.bus, { recordA: item.recordA, recordB: item.recordB, decision: 'different', expectedRevisions: { [item.ma]: item.ra, [item.mb]: item.rb }, ...sig });
    expect(out.merged).toBeNull();
    expect(await itemStatus(item.recordA, item.recordB)).toBe('resolved');
    const [never] = await db().select().from(reconcilerNeverLinks).where(and(eq(reconcilerNeverLinks.recordA, item.recordA), eq(reconcilerNeverLinks.recordB, item.recordB)));
    expect(never).toMatchObject({ assertedBy: sig.steward, reason: sig.reason });

    // The strongest evidence there is: a newer revision of record A carrying B's very payload.
    // Without the decision it would pull A's master and B's master together (checked below).
    await ctx.hub.bus.publish(MEMBER_TOPIC, messagesOf([newerRevision(x, '2026-03-01T00:00:00.000Z', y.payload)]));
    const first = await drain();
    expect(first.stats.applied).toBe(1);
    expect(first.stats.refusedMerges).toBeGreaterThanOrEqual(1);
    expect(await masterOf(db(), item.recordA)).toBe(item.ma);
    expect(await masterOf(db(), item.recordB)).toBe(item.mb);
    expect((await master(db(), item.ma)).status).toBe('active');
    expect((await master(db(), item.mb)).status).toBe('active');

    // Retract: decided on the masters' current revisions (an old one is refused), merges nothing by itself.
    const [ma, mb] = [await master(db(), item.ma), await master(db(), item.mb)];
    const retract = { recordA: item.recordB, recordB: item.recordA, ...sig, reason: '复核：是同一人' };
    await expect(retractNeverLink(db(), { ...retract, expectedRevisions: { [ma.masterId]: ma.revision - 1, [mb.masterId]: mb.revision } })).rejects.toBeInstanceOf(StaleActionError);
    const r = await retractNeverLink(db(), { ...retract, expectedRevisions: { [ma.masterId]: ma.revision, [mb.masterId]: mb.revision } });
    expect(r).toMatchObject({ retracted: { recordA: item.recordA, recordB: item.recordB, assertedBy: sig.steward }, reviewReopened: true });
    expect(await db().select().from(reconcilerNeverLinks).where(and(eq(reconcilerNeverLinks.recordA, item.recordA), eq(reconcilerNeverLinks.recordB, item.recordB)))).toEqual([]);
    const retracted = await db().select().from(reconcilerLinkHistory).where(and(inArray(reconcilerLinkHistory.recordKey, [item.recordA, item.recordB]), eq(reconcilerLinkHistory.origin, 'retracted')));
    expect(retracted.length).toBe(2);
    for (const h of retracted) expect(h.reason).toContain('复核：是同一人');
    expect(await master(db(), item.ma)).toEqual(ma);
    expect(await master(db(), item.mb)).toEqual(mb);
    expect(await masterOf(db(), item.recordA)).not.toBe(await masterOf(db(), item.recordB));
    await expect(retractNeverLink(db(), { ...retract, expectedRevisions: { [ma.masterId]: ma.revision, [mb.masterId]: mb.revision } })).rejects.toBeInstanceOf(StewardNotFoundError);

    // The same evidence again (a still newer revision) now joins them.
    await ctx.hub.bus.publish(MEMBER_TOPIC, messagesOf([newerRevision(x, '2026-04-01T00:00:00.000Z', y.payload)]));
    const second = await drain();
    expect(second.stats.applied).toBe(1);
    expect(await masterOf(db(), item.recordA)).toBe(await masterOf(db(), item.recordB));
  });

  it("refuses 'different' for two records already on one master (that is a split)", async () => {
    const [item] = await rows<{ recordA: string; recordB: string; m: string; revision: number }>(db(), sql`
      select l1.record_key as "recordA", l2.record_key as "recordB", l1.master_id as m, m.revision
      from reconciler_links l1 join reconciler_links l2 on l2.master_id = l1.master_id and l2.record_key > l1.record_key
      join reconciler_masters m on m.master_id = l1.master_id order by 1, 2 limit 1`);
    expect(item).toBeDefined();
    // Put the pair on the review queue as the event path would, then decide it.
    await db().insert(reconcilerReviewItems).values({ recordA: item!.recordA, recordB: item!.recordB, score: 5, modelVersion: 'test' }).onConflictDoNothing();
    const err = await decideReviewItem(db(), ctx.hub.bus, { recordA: item!.recordA, recordB: item!.recordB, decision: 'different', expectedRevisions: { [item!.m]: item!.revision }, ...sig }).catch((e: unknown) => e);
    expect(err).toMatchObject({ statusCode: 422, rule: 'same-master' });
    expect(await itemStatus(item!.recordA, item!.recordB)).toBe('open');
  });

  it('two stewards merging the same pair at once: one merge happens, the other is refused as stale', async () => {
    const [a, b] = await splitPerson(db(), fx.truth, used);
    const [ma, mb] = [await master(db(), a), await master(db(), b)];
    const request = { masters: [{ masterId: a, expectedRevision: ma.revision }, { masterId: b, expectedRevision: mb.revision }] as const };
    const results = await Promise.allSettled([
      mergeMastersAsserted(db(), ctx.hub.bus, { ...request, steward: '甲', reason: '同时' }),
      mergeMastersAsserted(db(), ctx.hub.bus, { masters: [request.masters[1], request.masters[0]], steward: '乙', reason: '同时' }),
    ]);
    used.add(a).add(b);
    expect(results.filter((r) => r.status === 'fulfilled').length).toBe(1);
    const rejected = results.find((r) => r.status === 'rejected');
    expect(rejected?.reason).toBeInstanceOf(StaleActionError);
    const survivor = ma.seq < mb.seq ? a : b;
    expect(await master(db(), survivor === a ? b : a)).toMatchObject({ status: 'merged', mergedInto: survivor });
    expect((await master(db(), survivor)).revision).toBe((survivor === a ? ma : mb).revision + 1);
  });

  it('`yibiao steward` runs the same actions with usage and exit codes: 2 usage, 3 not found, 4 stale, 5 refused, 0 done', async () => {
    // The CLI reads its configuration from the environment, as the installed command does.
    const env = { DATABASE_URL: ctx.databaseUrl, KAFKA_BROKERS: kafkaBrokers().join(','), YIBIAO_TOPIC_PREFIX: ctx.topicPrefix, LOG_LEVEL: 'silent' };
    const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
    Object.assign(process.env, env);
    try {
      const run = (...argv: string[]) => stewardCommand.run(argv);
      const by = ['--steward', sig.steward, '--reason', sig.reason];
      expect(await run()).toBe(2);
      expect(await run('merge', 'M0000000000000000000A@1')).toBe(2);
      expect(await run('merge', 'M0000000000000000000A@1', 'M0000000000000000000B@1')).toBe(2); // no --steward/--reason
      expect(await run('merge', 'M0000000000000000000A@1', 'M0000000000000000000B@1', ...by)).toBe(3);
      const [x, y] = await twoIdMasters(db(), used);
      const [mx, my] = [await master(db(), x), await master(db(), y)];
      expect(await run('merge', `${x}@${mx.revision}`, `${y}@${my.revision}`, ...by)).toBe(5);
      const [a, b] = await splitPerson(db(), fx.truth, used);
      const [ma, mb] = [await master(db(), a), await master(db(), b)];
      expect(await run('merge', `${a}@${ma.revision + 1}`, `${b}@${mb.revision}`, ...by)).toBe(4);
      expect(await run('merge', `${a}@${ma.revision}`, `${b}@${mb.revision}`, ...by)).toBe(0);
      used.add(a).add(b);
      const survivor = ma.seq < mb.seq ? a : b;
      expect((await master(db(), survivor === a ? b : a))).toMatchObject({ status: 'merged', mergedInto: survivor });
      expect(await run('review', '--status', 'resolved')).toBe(0);
    } finally {
      for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    }
  });
});
