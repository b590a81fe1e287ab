// A steward retracts an earlier assertion that two records are different people (a never-link,
// from a split or a 'different' review decision): the never-link row goes, and each record's link
// history gets a row with origin 'retracted' naming the steward, the reason and the assertion
// undone. Retracting merges nothing by itself; it only lets later evidence join the two again. A
// review item of the pair that was resolved by the retracted decision opens again for a steward.
import { and, eq, inArray } from 'drizzle-orm';
import { reconcilerLinkHistory, reconcilerLinks, reconcilerNeverLinks, reconcilerReviewItems } from '../../../schemas/db/reconciler.ts';
import type { Db } from '../../db/database.ts';
import { lockPairMasters, lockRecordsForChange, sortedPair, StewardNotFoundError, StewardRefusedError, type StewardSignature } from './steward-common.ts';

export interface RetractRequest extends StewardSignature {
  readonly recordA: string;
  readonly recordB: string;
  /** master id → the revision the steward decided on, for the master of each of the two records. */
  readonly expectedRevisions: Readonly<Record<string, number>>;
}

export interface RetractOutcome {
  readonly retracted: { readonly recordA: string; readonly recordB: string; readonly assertedBy: string; readonly reason: string };
  readonly reviewReopened: boolean;
}

export async function retractNeverLink(db: Db, r: RetractRequest): Promise<RetractOutcome> {
  const [a, b] = sortedPair(r.recordA, r.recordB);
  if (a === b) throw new StewardRefusedError('两条记录相同', { field: 'recordB', rule: 'same-record' });
  return db.transaction(async (tx) => {
    // The event path reads never-links under these same locks, so no reconciliation sees half of it.
    await lockRecordsForChange(tx, [a, b], 'recordA');
    const { ma, mb } = await lockPairMasters(tx, a, b, r.expectedRevisions);
    const [gone] = await tx.delete(reconcilerNeverLinks).where(and(eq(reconcilerNeverLinks.recordA, a), eq(reconcilerNeverLinks.recordB, b)))
      .returning({ assertedBy: reconcilerNeverLinks.assertedBy, reason: reconcilerNeverLinks.reason });
    if (!gone) throw new StewardNotFoundError(`没有 ${a} 与 ${b} 之间的“不是同一人”判定可撤销`, { field: 'recordA', rule: 'never-link-not-found' });
    const pair = await tx.select({ recordKey: reconcilerLinks.recordKey, modelVersion: reconcilerLinks.modelVersion }).from(reconcilerLinks).where(inArray(reconcilerLinks.recordKey, [a, b]));
    const reason = `never-link ${a} ~ ${b} (asserted by ${gone.assertedBy}: ${gone.reason}) retracted by steward ${r.steward}: ${r.reason}`;
    // Each record's row names the master it had been kept apart from.
    await tx.insert(reconcilerLinkHistory).values(pair.map((p) => ({
      recordKey: p.recordKey, masterId: p.recordKey === a ? mb : ma, previousMasterId: p.recordKey === a ? ma : mb, state: 'non-match' as const, origin: 'retracted' as const,
      score: null, modelVersion: p.modelVersion, reason,
    })));
    const reopened = ma === mb ? [] : await tx.update(reconcilerReviewItems).set({ status: 'open' })
      .where(and(eq(reconcilerReviewItems.recordA, a), eq(reconcilerReviewItems.recordB, b), eq(reconcilerReviewItems.status, 'resolved')))
      .returning({ recordA: reconcilerReviewItems.recordA });
    return { retracted: { recordA: a, recordB: b, assertedBy: gone.assertedBy, reason: gone.reason }, reviewReopened: reopened.length > 0 };
  });
}
