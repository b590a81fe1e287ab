// Targeted cases on top of a drained seeded population (real Kafka + PostgreSQL): a record that
// would bridge two people with different valid ID numbers, a newer and an older revision of one
// source record, conflicts and review items, and master.updated for every master revision.
import { describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import { reconcilerLinks, reconcilerMasters } from '../../../schemas/db/reconciler.ts';
import { eventId } from '../../../schemas/events/event-id.ts';
import type { MasterUpdated } from '../../../schemas/events/master-updated.ts';
import type { MemberObserved } from '../../../schemas/events/member-observed.ts';
import { DEFAULT_MODEL_CONFIG } from '../../../services/reconciler/model-config.ts';
import { normaliseObservation } from '../../../services/reconciler/normalise/index.ts';
import { MEMBER_TOPIC } from '../../../services/reconciler/stream/consumer.ts';
import { explainPair } from '../../../services/reconciler/stream/explain.ts';
import { loadModel } from '../../../services/reconciler/stream/model-store.ts';
import { splitRecord, StaleActionError } from '../../../services/reconciler/stream/steward.ts';
import { pairPrior } from '../../../services/reconciler/model.ts';
import { scorePair } from '../../../services/reconciler/score.ts';
import { unionWeight } from '../../../services/reconciler/system-overlap.ts';
import { recordKey } from '../../../services/reconciler/stream/record-key.ts';
import { rows } from '../../../services/reconciler/stream/sql.ts';
import { consumeUntil, text } from '../../support/consume.ts';
import { uniqueName } from '../../support/isolation.ts';
import { useDrainedHub } from './drained-hub.ts';
import { messagesOf, populationEvents } from '../../../services/reconciler/stream/population-events.ts';
import * as why from '../../../services/reconciler/stream/review-reason.ts';

const fx = populationEvents(300, 'reconciler-scenarios-1');
const personOf = new Map(fx.truth.map((t) => [`${t.system}:${t.id}`, t.personId]));

/** Member-system records with a valid ID number, a phone and a birth date, one per person. */
function identifiedMembers(): MemberObserved[] {
  const seen = new Set<string>();
  return fx.events.filter((e) => {
    const n = normaliseObservation(e.payload);
    const p = personOf.get(`${e.source.system}:${e.source.recordId}`);
    if (e.source.system !== 'member-system' || n.idNumber === null || n.phone === null || !p || seen.has(p)) return false;
    seen.add(p);
    return true;
  });
}

/** A person whose master also holds a record WITHOUT a valid ID but with the same phone: such a record is what could bridge. */
function bridgeable(members: readonly MemberObserved[]): MemberObserved {
  const found = members.find((m) => {
    const p = personOf.get(`${m.source.system}:${m.source.recordId}`);
    const phone = normaliseObservation(m.payload).phone;
    return fx.events.some((e) => e !== m && personOf.get(`${e.source.system}:${e.source.recordId}`) === p
      && normaliseObservation(e.payload).idNumber === null && normaliseObservation(e.payload).phone === phone);
  });
  if (!found) throw new Error('the population has no bridgeable person');
  return found;
}

function revision(e: MemberObserved, observedAt: string, payload: MemberObserved['payload']): MemberObserved {
  return { ...e, id: eventId('member.observed', e.source, { ...payload, observedAt }), observedAt, occurredAt: observedAt, payload };
}

describe('reconciler scenarios [kafka] [postgres]', () => {
  const ctx = useDrainedHub(fx.events, 'rsc');
  const drain = () => ctx.drain();
  const masterOf = async (key: string) => (await ctx.hub.database.db.select({ m: reconcilerLinks.masterId }).from(reconcilerLinks).where(eq(reconcilerLinks.recordKey, key)))[0]?.m;
  const master = async (id: string) => (await ctx.hub.database.db.select().from(reconcilerMasters).where(eq(reconcilerMasters.masterId, id)))[0]!;


  it('a record with P\'s name, phone and birth date but Q\'s valid ID joins Q only; P and Q stay apart', async () => {
    const members = identifiedMembers();
    const p = bridgeable(members);
    const q = members.find((m) => m !== p);
    const [pMaster, qMaster] = [await masterOf(recordKey(p.source)), await masterOf(recordKey(q!.source))];
    expect(pMaster).toBeDefined();
    expect(pMaster).not.toBe(qMaster);
    const source = { system: 'oa' as const, instance: 'default', recordId: uniqueName('bridge') };
    const payload = { ...p.payload, idNumber: q!.payload.idNumber, accounts: [], deleted: false };
    const bridge: MemberObserved = { ...p, source, id: eventId('member.observed', source, payload), payload };
    await ctx.hub.bus.publish(MEMBER_TOPIC, messagesOf([bridge]));
    const { stats } = await drain();
    expect(stats.applied).toBe(1);
    expect(await masterOf(recordKey(source))).toBe(qMaster);
    expect(await masterOf(recordKey(p.source))).toBe(pMaster);
    expect((await master(pMaster!)).status).toBe('active');
    // The pair with P's side is left to a steward (a refused union, or P's odds shared with Q's
    // valid ID: competing.ts).
    const review = await rows<{ other: string; reason: string | null }>(ctx.hub.database.db, sql`
      select case when record_a = ${recordKey(source)} then record_b else record_a end as other, reason
      from reconciler_review_items where record_a = ${recordKey(source)} or record_b = ${recordKey(source)}`);
    const sides = await Promise.all(review.map((r) => masterOf(r.other)));
    expect(sides).toContain(pMaster);
    // Each says which of the two it was.
    const withP = review.filter((_, i) => sides[i] === pMaster).map((r) => r.reason);
    for (const reason of withP) expect([why.refusedUnion(true), why.refusedUnion(false)].includes(reason!) || reason!.includes('cannot be the same person'), String(reason)).toBe(true);
  });

  it('a newer revision of a record updates the phone (recency) under a new master revision; an older one is stale', async () => {
    const r = identifiedMembers().at(-1)!;
    const key = recordKey(r.source);
    const m = (await masterOf(key))!;
    const before = await master(m);
    const newer = revision(r, '2026-01-01T00:00:00.000Z', { ...r.payload, phone: '13900000001' });
    await ctx.hub.bus.publish(MEMBER_TOPIC, messagesOf([newer]));
    expect((await drain()).stats.applied).toBe(1);
    const after = await master(m);
    expect(await masterOf(key)).toBe(m);
    expect(after.revision).toBeGreaterThan(before.revision);
    expect(after.fields.phone).toMatchObject({ value: '13900000001', source: { system: 'member-system', recordId: r.source.recordId, observedAt: newer.observedAt } });

    const older = revision(r, '2024-01-01T00:00:00.000Z', { ...r.payload, phone: '13900000002' });
    await ctx.hub.bus.publish(MEMBER_TOPIC, messagesOf([older]));
    const { stats } = await drain();
    expect(stats.stale).toBe(1);
    expect(await master(m)).toEqual(after);
  });

  it('an update that gives a record another person\'s valid ID number takes it out of its master, with history; the master keeps the rest', async () => {
    const members = identifiedMembers();
    // P: a member whose master holds another record of theirs; Q: anyone else with a valid ID.
    let p: MemberObserved | undefined;
    let other: MemberObserved | undefined;
    for (const m of members.slice(0, -2)) {
      const mid = await masterOf(recordKey(m.source));
      other = fx.events.find((e) => e !== m && e.source.system !== 'member-system' && recordKey(e.source) !== recordKey(m.source)
        && personOf.get(`${e.source.system}:${e.source.recordId}`) === personOf.get(`${m.source.system}:${m.source.recordId}`));
      if (other && mid !== undefined && (await masterOf(recordKey(other.source))) === mid) {
        p = m;
        break;
      }
    }
    if (!p || !other) throw new Error('the population has no member with a second linked record');
    const q = members.find((m) => m !== p && normaliseObservation(m.payload).idNumber !== normaliseObservation(p.payload).idNumber)!;
    const key = recordKey(other.source);
    const pMaster = (await masterOf(recordKey(p.source)))!;
    const before = await master(pMaster);
    const update = revision(other, '2026-02-01T00:00:00.000Z', { ...other.payload, idNumber: q.payload.idNumber });
    await ctx.hub.bus.publish(MEMBER_TOPIC, messagesOf([update]));
    expect((await drain()).stats.applied).toBe(1);

    expect(await masterOf(key)).not.toBe(pMaster);
    expect(await masterOf(recordKey(p.source))).toBe(pMaster);
    const after = await master(pMaster);
    expect(after.status).toBe('active');
    expect(after.revision).toBeGreaterThan(before.revision);
    const [moved] = await rows<{ previous: string; reason: string }>(ctx.hub.database.db, sql`
      select previous_master_id as previous, reason from reconciler_link_history where record_key = ${key} order by id desc limit 1`);
    expect(moved?.previous).toBe(pMaster);
    expect(moved?.reason).toMatch(/re-linked/u);
  });

  it('a steward split survives new evidence; a split decided on an old revision is refused', async () => {
    const byKey = new Map(fx.events.map((e) => [recordKey(e.source), e]));
    const [big] = await rows<{ masterId: string; records: string[] }>(ctx.hub.database.db, sql`
      select master_id as "masterId", array_agg(record_key order by record_key) as records from reconciler_links
      group by master_id having count(*) >= 3 order by master_id limit 1`);
    const key = big!.records.find((k) => byKey.has(k))!;
    const r = byKey.get(key)!;
    const m = await master(big!.masterId);
    const request = { recordKey: key, masterId: m.masterId, steward: 'test', reason: 'different people' };
    await expect(splitRecord(ctx.hub.database.db, ctx.hub.bus, { ...request, expectedRevision: m.revision - 1 })).rejects.toBeInstanceOf(StaleActionError);
    const { newMasterId } = await splitRecord(ctx.hub.database.db, ctx.hub.bus, { ...request, expectedRevision: m.revision });
    expect(await masterOf(key)).toBe(newMasterId);
    await expect(splitRecord(ctx.hub.database.db, ctx.hub.bus, { ...request, expectedRevision: m.revision })).rejects.toBeInstanceOf(StaleActionError);

    // New evidence: a newer revision of the split record, and a new record identical to it.
    const newer = revision(r, '2026-02-01T00:00:00.000Z', { ...r.payload });
    const source = { ...r.source, recordId: uniqueName('twin') };
    const twin: MemberObserved = { ...r, source, id: eventId('member.observed', source, r.payload) };
    await ctx.hub.bus.publish(MEMBER_TOPIC, messagesOf([newer, twin]));
    const { stats } = await drain();
    expect(stats.applied).toBe(2);
    expect(stats.refusedMerges).toBeGreaterThanOrEqual(1);
    expect(await masterOf(key)).toBe(newMasterId);
    expect([m.masterId, newMasterId]).toContain(await masterOf(recordKey(source)));
    expect((await master(m.masterId)).status).toBe('active');
    expect((await master(newMasterId)).status).toBe('active');
    const link = (await ctx.hub.database.db.select().from(reconcilerLinks).where(eq(reconcilerLinks.recordKey, key)))[0]!;
    expect(link.origin).toBe('asserted');
  });

  it('a second OA login that would join a master already holding one goes to review, and its explanation names the overlap', async () => {
    const { model } = (await loadModel(ctx.hub.database.db))!;
    const match = model.config.thresholds.match;
    const byKey = new Map(fx.events.map((e) => [recordKey(e.source), e]));
    // A register row m and an OA login o on one master; n: o's name and department under another account, no phone.
    let found: { m: MemberObserved; login: MemberObserved; master: string } | undefined;
    for (const m of fx.events.filter((e) => e.source.system === 'member-system')) {
      const mMaster = await masterOf(recordKey(m.source));
      const o = fx.events.find((e) => e.source.system === 'oa' && personOf.get(`oa:${e.source.recordId}`) === personOf.get(`member-system:${m.source.recordId}`));
      if (o === undefined || mMaster === undefined || (await masterOf(recordKey(o.source))) !== mMaster) continue;
      const source = { ...o.source, recordId: uniqueName('login') };
      const payload = { ...o.payload, phone: undefined, accounts: o.payload.accounts.map((a) => ({ ...a, value: `${a.value}-2` })) };
      const login: MemberObserved = { ...o, source, id: eventId('member.observed', source, payload), payload };
      const [nm, mm, om] = [normaliseObservation(login.payload, recordKey(source)), normaliseObservation(m.payload, recordKey(m.source)), normaliseObservation(o.payload, recordKey(o.source))];
      const s = scorePair(model, nm, mm);
      if (s.rule.decision === 'undecided' && s.band === 'match' && unionWeight(model, s.weight, nm, mm, [nm], [mm, om]) < match) {
        found = { m, login, master: mMaster };
        break;
      }
    }
    if (!found) throw new Error('the population has no member whose second login the OA–OA prior would refuse');
    await ctx.hub.bus.publish(MEMBER_TOPIC, messagesOf([found.login]));
    expect((await drain()).stats.applied).toBe(1);
    const key = recordKey(found.login.source);
    expect(await masterOf(key)).not.toBe(found.master);
    expect((await master(found.master)).status).toBe('active');

    const items = await rows<{ other: string; score: number; reason: string | null }>(ctx.hub.database.db, sql`
      select case when record_a = ${key} then record_b else record_a end as other, score, reason
      from reconciler_review_items where record_a = ${key} or record_b = ${key}`);
    // The items with the master's records whose own waterfall reads as a match: refused by the overlap.
    const refused = [];
    for (const i of items) {
      const other = normaliseObservation(byKey.get(i.other)!.payload, i.other);
      const own = scorePair(model, normaliseObservation(found.login.payload, key), other);
      if ((await masterOf(i.other)) === found.master && own.band === 'match') refused.push({ key: i.other, score: i.score, reason: i.reason, other, own });
    }
    expect(refused.length).toBeGreaterThan(0);
    for (const { key: otherKey, other, own, score, reason } of refused) {
      // The item keeps the reason the union was refused for, in the numbers the decision used.
      expect(reason).toBe(`weight ${own.weight.toFixed(2)} ≥ match, but both masters hold a record of oa: ` +
        `prior ${pairPrior(model, 'oa', 'oa').toFixed(2)} in place of ${pairPrior(model, 'oa', other.system).toFixed(2)} gives ${score.toFixed(2)} < match ${match}`);
      const lines = await explainPair(ctx.hub.database.db, key, otherKey);
      expect(lines).toContain(`rule undecided · weight ${own.weight.toFixed(2)} · p ${own.probability.toFixed(4)} · match`);
      const union = lines.find((l) => l.startsWith('union of '));
      expect(union).toContain('both hold a record of oa');
      expect(union).toContain(`prior ${pairPrior(model, 'oa', 'oa').toFixed(2)} in place of ${pairPrior(model, 'oa', other.system).toFixed(2)}`);
      // The review item carries the union's weight, which the explanation shows below the threshold.
      expect(lines).toContain(`  weight ${own.weight.toFixed(2)} → ${score.toFixed(2)} < match ${match}: not joined by this link`);
    }
  });

  it('records conflicts and between-threshold review items', async () => {
    const conflicts = await rows<{ values: Array<{ value: unknown }> }>(ctx.hub.database.db, sql`select values from reconciler_conflicts`);
    expect(conflicts.length).toBeGreaterThan(0);
    for (const c of conflicts) expect(new Set(c.values.map((v) => String(v.value))).size).toBeGreaterThan(1);
    const reviews = await rows<{ score: number; reason: string | null }>(ctx.hub.database.db, sql`select score, reason from reconciler_review_items`);
    expect(reviews.length).toBeGreaterThan(0);
    const { match, possible } = DEFAULT_MODEL_CONFIG.thresholds;
    expect(reviews.filter((r) => r.score < possible).length).toBe(0);
    expect(reviews.filter((r) => r.score < match).length).toBeGreaterThan(0);
    // Every item says why, and what it says agrees with its score.
    for (const r of reviews) {
      const reason = r.reason ?? '';
      if (reason.includes('between possible')) {
        expect(reason, reason).toBe(`weight ${r.score.toFixed(2)} between possible ${possible} and match ${match}`);
        expect(r.score).toBeLessThan(match);
      } else if (reason.includes('both masters hold a record of')) expect(reason.endsWith(`gives ${r.score.toFixed(2)} < match ${match}`), reason).toBe(true);
      else if (reason.includes('cannot be the same person')) expect(reason.startsWith(`weight ${r.score.toFixed(2)} ≥ match`), reason).toBe(true);
      else expect([why.refusedUnion(true), why.refusedUnion(false), why.LEFT_APART], reason).toContain(reason);
    }
    expect(reviews.some((r) => r.reason?.includes('between possible'))).toBe(true);
  });

  it('publishes master.updated for the latest revision of every master', async () => {
    const ms = await ctx.hub.database.db.select({ id: reconcilerMasters.masterId, revision: reconcilerMasters.revision, published: reconcilerMasters.publishedRevision }).from(reconcilerMasters);
    expect(ms.every((m) => m.published === m.revision)).toBe(true);
    const want = new Set(ms.map((m) => `${m.id}@${m.revision}`));
    const seen = new Set<string>();
    let looked = 0;
    await consumeUntil(ctx.hub.bus, { groupId: uniqueName('mu'), topics: ['master.updated'], fromBeginning: true }, (got) => {
      for (; looked < got.length; looked++) seen.add((JSON.parse(text(got[looked]!)) as MasterUpdated).id);
      return [...want].every((w) => seen.has(w));
    }, 90_000);
    expect([...want].filter((w) => !seen.has(w))).toEqual([]);
  }, 120_000);
});
