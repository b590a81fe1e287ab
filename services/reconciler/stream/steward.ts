// A steward's split: one record leaves its master for a master of its own, as an ASSERTED link,
// and a never-link is recorded against every record that stays, so later evidence cannot silently
// put them back together (lessons §5). The action names the master revision the steward looked
// at; if the master changed since, the action is refused (a stale action, as HAPI MDM answers 409).
// It takes the same advisory locks as the event path, so it never races a reconciliation.
import { and, eq, ne, sql } from 'drizzle-orm';
import { reconcilerLinkHistory, reconcilerLinks, reconcilerNeverLinks } from '../../../schemas/db/reconciler.ts';
import type { EventBus } from '../../bus/port.ts';
import type { Db } from '../../db/database.ts';
import { publishChanges } from './publish.ts';
import type { MasterChange } from './master-change.ts';
import { masterIdFor } from './record-key.ts';
import { createMaster } from './repository.ts';
import { lockDecidedMasters, lockRecordsForChange, recompute, sortedPair, StaleActionError, StewardRefusedError } from './steward-common.ts';

export { StaleActionError } from './steward-common.ts';

export interface SplitRequest {
  readonly recordKey: string;
  readonly masterId: string;
  /** The master revision the steward decided on. */
  readonly expectedRevision: number;
  readonly steward: string;
  readonly reason: string;
}

export async function splitRecord(db: Db, bus: EventBus | null, r: SplitRequest): Promise<{ newMasterId: string; changes: MasterChange[] }> {
  const result = await db.transaction(async (tx) => {
    await lockRecordsForChange(tx, [r.recordKey]);
    const info = await lockDecidedMasters(tx, new Map([[r.masterId, r.expectedRevision]]));
    const revisionSplitFrom = info.get(r.masterId)?.revision ?? r.expectedRevision;
    const staying = await tx.select({ recordKey: reconcilerLinks.recordKey }).from(reconcilerLinks)
      .where(and(eq(reconcilerLinks.masterId, r.masterId), ne(reconcilerLinks.recordKey, r.recordKey)));
    const [own] = await tx.select().from(reconcilerLinks).where(eq(reconcilerLinks.recordKey, r.recordKey));
    if (!own || own.masterId !== r.masterId) throw new StaleActionError(`源记录 ${r.recordKey} 已不在主记录 ${r.masterId} 中，请刷新后重试`, { field: 'recordKey', rule: 'record-moved' });
    if (staying.length === 0) throw new StewardRefusedError(`源记录 ${r.recordKey} 是主记录 ${r.masterId} 唯一的记录，无需拆分`, { field: 'recordKey', rule: 'only-record' });

    // Named after the record and the revision split from: a repeated request cannot mint a second id.
    const newMasterId = masterIdFor(`${r.recordKey}#split-from:${r.masterId}@${revisionSplitFrom}`);
    await createMaster(tx, newMasterId);
    await tx.insert(reconcilerNeverLinks).values(staying.map((s) => {
      const [recordA, recordB] = sortedPair(s.recordKey, r.recordKey);
      return { recordA, recordB, reason: r.reason, assertedBy: r.steward };
    })).onConflictDoNothing();
    const reason = `split from ${r.masterId} by ${r.steward}: ${r.reason}`;
    await tx.update(reconcilerLinks).set({ masterId: newMasterId, origin: 'asserted', score: null, viaRecordKey: null, reason, updatedAt: sql`now()` })
      .where(eq(reconcilerLinks.recordKey, r.recordKey));
    await tx.insert(reconcilerLinkHistory).values([
      { recordKey: r.recordKey, masterId: r.masterId, previousMasterId: r.masterId, state: 'non-match', origin: 'asserted', score: null, modelVersion: own.modelVersion, reason },
      { recordKey: r.recordKey, masterId: newMasterId, previousMasterId: r.masterId, state: 'match', origin: 'asserted', score: null, modelVersion: own.modelVersion, reason },
    ]);
    const changes: MasterChange[] = [await recompute(tx, r.masterId, 'split', [newMasterId]), await recompute(tx, newMasterId, 'created', [r.masterId])];
    return { newMasterId, changes };
  });
  if (bus) await publishChanges(db, bus, result.changes);
  return result;
}
