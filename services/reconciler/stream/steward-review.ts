// A steward's decision on a review item (a pair scored between the thresholds, or a merge the
// never-rule refused). 'same': the two records' masters merge as an asserted decision
// (steward-merge's rules: older id survives, no two valid ID numbers, no never-link) — or, when
// they already share a master, both links are confirmed as asserted. 'different': a never-link
// between the two records, so later evidence cannot put them together (as a split records). Either
// way the item is resolved and the decision, steward and reason go to the link history (and the
// never-link row). The steward names the revision of each master involved; a change since → 409.
import { and, eq, inArray, sql } from 'drizzle-orm';
import { reconcilerLinkHistory, reconcilerLinks, reconcilerNeverLinks, reconcilerReviewItems } from '../../../schemas/db/reconciler.ts';
import type { EventBus } from '../../bus/port.ts';
import type { Db } from '../../db/database.ts';
import { publishChanges } from './publish.ts';
import type { MasterChange } from './master-change.ts';
import {
  currentMasters, lockPairMasters, lockRecordsForChange, mergeAsserted, recordsOf, refuseForbiddenMerge, sortedPair, StaleActionError, StewardNotFoundError,
  StewardRefusedError, type StewardSignature,
} from './steward-common.ts';

export type ReviewVerdict = 'same' | 'different';

export interface ReviewDecision extends StewardSignature {
  readonly recordA: string;
  readonly recordB: string;
  readonly decision: ReviewVerdict;
  /** master id → the revision the steward decided on, for the master of each of the two records. */
  readonly expectedRevisions: Readonly<Record<string, number>>;
}

export interface ReviewOutcome {
  readonly decision: ReviewVerdict;
  /** The master both records are on after a 'same', or each record's master after a 'different'. */
  readonly masters: Readonly<Record<string, string>>;
  readonly merged: { readonly survivorId: string; readonly retiredId: string } | null;
  readonly changes: MasterChange[];
}

export async function decideReviewItem(db: Db, bus: EventBus | null, d: ReviewDecision): Promise<ReviewOutcome> {
  const [a, b] = sortedPair(d.recordA, d.recordB);
  const result = await db.transaction(async (tx): Promise<ReviewOutcome> => {
    const [item] = await tx.select({ status: reconcilerReviewItems.status }).from(reconcilerReviewItems)
      .where(and(eq(reconcilerReviewItems.recordA, a), eq(reconcilerReviewItems.recordB, b)));
    if (!item) throw new StewardNotFoundError(`没有这两条记录的待审项：${a} 与 ${b}`, { field: 'recordA', rule: 'review-item-not-found' });
    if (item.status !== 'open') throw new StaleActionError(`该待审项已处理：${a} 与 ${b}`, { field: 'recordA', rule: 'already-resolved' });
    const before = await currentMasters(tx, [a, b]);
    // Whose links change: for a 'same' across two masters, every record of the younger master
    // (not known before the lock, so the records of both); otherwise only the pair's own links.
    const [ba, bb] = [before.get(a), before.get(b)];
    const both = d.decision === 'same' && ba !== undefined && bb !== undefined && ba !== bb;
    const recordsA = both ? await recordsOf(tx, ba) : [];
    const recordsB = both ? await recordsOf(tx, bb) : [];
    await lockRecordsForChange(tx, [a, b, ...recordsA, ...recordsB], 'recordA');
    const { ma, mb, info } = await lockPairMasters(tx, a, b, d.expectedRevisions);
    if (ma !== ba || mb !== bb) throw new StaleActionError('源记录所属主记录已变化，请刷新后重试', { field: 'expectedRevisions', rule: 'records-changed' });

    let outcome: ReviewOutcome;
    if (d.decision === 'same') {
      let merged: ReviewOutcome['merged'] = null;
      let changes: MasterChange[] = [];
      if (ma !== mb) {
        await refuseForbiddenMerge(tx, info, ma, mb);
        const aIsOlder = (info.get(ma)?.seq ?? 0) <= (info.get(mb)?.seq ?? 0);
        const m = await mergeAsserted(tx, info, ma, mb, aIsOlder ? recordsB : recordsA, d);
        merged = { survivorId: m.survivorId, retiredId: m.retiredId };
        changes = m.changes;
      }
      // The pair itself is now a steward's assertion, whichever master it was on.
      const survivor = merged?.survivorId ?? ma;
      const pair = await tx.select({ recordKey: reconcilerLinks.recordKey, modelVersion: reconcilerLinks.modelVersion })
        .from(reconcilerLinks).where(inArray(reconcilerLinks.recordKey, [a, b]));
      await tx.update(reconcilerLinks).set({ origin: 'asserted', state: 'match', updatedAt: sql`now()` }).where(inArray(reconcilerLinks.recordKey, [a, b]));
      await tx.insert(reconcilerLinkHistory).values(pair.map((p) => ({
        recordKey: p.recordKey, masterId: survivor, previousMasterId: p.recordKey === a ? ma : mb, state: 'match' as const, origin: 'asserted' as const, score: null,
        modelVersion: p.modelVersion, reason: `review ${a} ~ ${b} decided same by steward ${d.steward}: ${d.reason}`,
      })));
      outcome = { decision: 'same', masters: { [a]: survivor, [b]: survivor }, merged, changes };
    } else {
      if (ma === mb) {
        throw new StewardRefusedError(`两条记录已在同一主记录 ${ma} 中；如不是同一人，请用拆分（split）把其中一条移出`, { field: 'decision', rule: 'same-master' });
      }
      await tx.insert(reconcilerNeverLinks).values({ recordA: a, recordB: b, reason: d.reason, assertedBy: d.steward }).onConflictDoNothing();
      const pair = await tx.select({ recordKey: reconcilerLinks.recordKey, modelVersion: reconcilerLinks.modelVersion }).from(reconcilerLinks).where(inArray(reconcilerLinks.recordKey, [a, b]));
      // Each record's history says which master it was declared not to belong to.
      await tx.insert(reconcilerLinkHistory).values(pair.map((p) => ({
        recordKey: p.recordKey, masterId: p.recordKey === a ? mb : ma, previousMasterId: p.recordKey === a ? ma : mb, state: 'non-match' as const, origin: 'asserted' as const,
        score: null, modelVersion: p.modelVersion, reason: `review ${a} ~ ${b} decided different by steward ${d.steward}: ${d.reason}`,
      })));
      outcome = { decision: 'different', masters: { [a]: ma, [b]: mb }, merged: null, changes: [] };
    }
    // Only an open item is resolved: a second steward deciding the same item at once is refused.
    const resolved = await tx.update(reconcilerReviewItems).set({ status: 'resolved' })
      .where(and(eq(reconcilerReviewItems.recordA, a), eq(reconcilerReviewItems.recordB, b), eq(reconcilerReviewItems.status, 'open')))
      .returning({ recordA: reconcilerReviewItems.recordA });
    if (resolved.length === 0) throw new StaleActionError(`该待审项已处理：${a} 与 ${b}`, { field: 'recordA', rule: 'already-resolved' });
    return outcome;
  });
  if (bus) await publishChanges(db, bus, result.changes);
  return result;
}
