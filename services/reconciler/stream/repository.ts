// Single-master reads and writes the steward actions share. Every function takes the
// transaction: the caller holds the locks (locks.ts) and decides; this file only speaks SQL. The
// event path reads and writes whole batches instead (batch-state.ts, batch-write.ts).
import { eq, sql } from 'drizzle-orm';
import { reconcilerConflicts, reconcilerLinks, reconcilerMasters, reconcilerSourceRecords } from '../../../schemas/db/reconciler.ts';
import type { Tx } from './sql.ts';
import type { FieldConflict, LinkedRecord, SurvivedField } from './survivorship.ts';

/** A new master, or nothing when it exists (a replayed creation): the id is the constraint. */
export async function createMaster(tx: Tx, masterId: string): Promise<void> {
  await tx.insert(reconcilerMasters).values({ masterId, revision: 0, fields: {} }).onConflictDoNothing();
}

export async function linkedRecords(tx: Tx, masterId: string): Promise<LinkedRecord[]> {
  const rs = await tx.select({
    recordKey: reconcilerSourceRecords.recordKey, system: reconcilerSourceRecords.system, instance: reconcilerSourceRecords.instance,
    recordId: reconcilerSourceRecords.recordId, observedAt: reconcilerSourceRecords.observedAt, payload: reconcilerSourceRecords.payload, normalised: reconcilerSourceRecords.normalised,
  }).from(reconcilerLinks).innerJoin(reconcilerSourceRecords, eq(reconcilerSourceRecords.recordKey, reconcilerLinks.recordKey))
    .where(eq(reconcilerLinks.masterId, masterId)).orderBy(reconcilerSourceRecords.recordKey);
  return rs as unknown as LinkedRecord[];
}

/** Stores survived fields and conflicts, bumping the revision; returns the new revision. */
export async function writeSurvivorship(tx: Tx, masterId: string, fields: Record<string, SurvivedField>, conflicts: readonly FieldConflict[]): Promise<number> {
  const [m] = await tx.update(reconcilerMasters).set({ fields, revision: sql`${reconcilerMasters.revision} + 1`, updatedAt: sql`now()` })
    .where(eq(reconcilerMasters.masterId, masterId)).returning({ revision: reconcilerMasters.revision });
  await tx.delete(reconcilerConflicts).where(eq(reconcilerConflicts.masterId, masterId));
  if (conflicts.length > 0) await tx.insert(reconcilerConflicts).values(conflicts.map((c) => ({ masterId, field: c.field, values: c.values })));
  return m?.revision ?? 0;
}
