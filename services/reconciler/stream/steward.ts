// A steward's split: one record leaves its master for a master of its own, as an ASSERTED link,
// and a never-link is recorded against every record that stays, so later evidence cannot silently
// put them back together (lessons §5). The action names the master revision the steward looked
// at; if the master changed since, the action is refused (a stale action, as HAPI MDM answers 409).
// It takes the same advisory locks as the event path, so it never races a reconciliation.
import { and, eq, ne, sql } from 'drizzle-orm';
import { reconcilerLinkHistory, reconcilerLinks, reconcilerMasters, reconcilerNeverLinks, reconcilerSourceRecords } from '../../../schemas/db/reconciler.ts';
import type { EventBus } from '../../bus/port.ts';
import type { Db } from '../../db/database.ts';
import { lockKeys } from './locks.ts';
import { publishChanges } from './publish.ts';
import type { MasterChange } from './reconcile-event.ts';
import { masterIdFor } from './record-key.ts';
import { createMaster, linkedRecords, writeSurvivorship } from './repository.ts';
import { survive } from './survivorship.ts';

export class StaleActionError extends Error {
  override readonly name = 'StaleActionError';
}

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
    const [rec] = await tx.select({ keys: reconcilerSourceRecords.blockingKeys }).from(reconcilerSourceRecords).where(eq(reconcilerSourceRecords.recordKey, r.recordKey));
    if (!rec) throw new Error(`no source record ${r.recordKey}`);
    await lockKeys(tx, [`rec:${r.recordKey}`, ...rec.keys]);
    const [m] = await tx.select().from(reconcilerMasters).where(eq(reconcilerMasters.masterId, r.masterId)).for('update');
    if (!m || m.status !== 'active') throw new StaleActionError(`master ${r.masterId} is not active`);
    if (m.revision !== r.expectedRevision) throw new StaleActionError(`master ${r.masterId} is at revision ${m.revision}, the action was decided on ${r.expectedRevision}`);
    const staying = await tx.select({ recordKey: reconcilerLinks.recordKey }).from(reconcilerLinks)
      .where(and(eq(reconcilerLinks.masterId, r.masterId), ne(reconcilerLinks.recordKey, r.recordKey)));
    const [own] = await tx.select().from(reconcilerLinks).where(eq(reconcilerLinks.recordKey, r.recordKey));
    if (!own || own.masterId !== r.masterId) throw new StaleActionError(`record ${r.recordKey} is not on master ${r.masterId}`);
    if (staying.length === 0) throw new Error(`record ${r.recordKey} is the only record of ${r.masterId}: nothing to split`);

    // Named after the record and the revision split from: a repeated request cannot mint a second id.
    const newMasterId = masterIdFor(`${r.recordKey}#split-from:${r.masterId}@${m.revision}`);
    await createMaster(tx, newMasterId);
    await tx.insert(reconcilerNeverLinks).values(staying.map((s) => {
      const [recordA, recordB] = s.recordKey < r.recordKey ? [s.recordKey, r.recordKey] : [r.recordKey, s.recordKey];
      return { recordA, recordB, reason: r.reason, assertedBy: r.steward };
    })).onConflictDoNothing();
    const reason = `split from ${r.masterId} by ${r.steward}: ${r.reason}`;
    await tx.update(reconcilerLinks).set({ masterId: newMasterId, origin: 'asserted', score: null, viaRecordKey: null, reason, updatedAt: sql`now()` })
      .where(eq(reconcilerLinks.recordKey, r.recordKey));
    await tx.insert(reconcilerLinkHistory).values([
      { recordKey: r.recordKey, masterId: r.masterId, previousMasterId: r.masterId, state: 'non-match', origin: 'asserted', score: null, modelVersion: own.modelVersion, reason },
      { recordKey: r.recordKey, masterId: newMasterId, previousMasterId: r.masterId, state: 'match', origin: 'asserted', score: null, modelVersion: own.modelVersion, reason },
    ]);
    const changes: MasterChange[] = [];
    for (const [id, change] of [[r.masterId, 'split'], [newMasterId, 'created']] as const) {
      const { fields, conflicts } = survive(await linkedRecords(tx, id));
      const revision = await writeSurvivorship(tx, id, fields, conflicts);
      changes.push({ masterId: id, revision, change, related: [id === r.masterId ? newMasterId : r.masterId], fields });
    }
    return { newMasterId, changes };
  });
  if (bus) await publishChanges(db, bus, result.changes);
  return result;
}
