// master.updated goes out AFTER the transaction commits (a rolled-back change must never be
// announced). `published_revision` on the master is the outbox cursor: a crash between commit and
// publish leaves revision > published_revision, and the redelivered event (a duplicate for the
// database) publishes the pending revision then. Consumers dedupe by (masterId, revision).
import { and, gt, inArray, sql } from 'drizzle-orm';
import { reconcilerMasters } from '../../../schemas/db/reconciler.ts';
import { masterUpdated, type MasterUpdated } from '../../../schemas/events/master-updated.ts';
import type { EventBus } from '../../bus/port.ts';
import type { Db } from '../../db/database.ts';
import type { MasterChange } from './master-change.ts';
import { pgArray, textArray } from './sql.ts';

export const MASTER_TOPIC = 'master.updated';

export function masterUpdatedEvent(c: MasterChange, at = new Date().toISOString()): MasterUpdated {
  return masterUpdated.parse({
    type: 'master.updated', version: 1, id: `${c.masterId}@${c.revision}`,
    source: { system: 'hub', instance: 'reconciler', recordId: c.masterId },
    occurredAt: at, observedAt: at,
    payload: { masterId: c.masterId, revision: c.revision, change: c.change, related: [...c.related], fields: c.fields },
  });
}

export async function publishChanges(db: Db, bus: EventBus, changes: readonly MasterChange[]): Promise<void> {
  if (changes.length === 0) return;
  await bus.publish(MASTER_TOPIC, changes.map((c) => ({ key: c.masterId, value: JSON.stringify(masterUpdatedEvent(c)), headers: { 'yibiao-event-type': 'master.updated' } })));
  // The cursor may lag (a lost update only means a harmless republish), so this commit does not
  // wait for the WAL flush: one fsync per event is saved.
  await db.transaction(async (tx) => {
    await tx.execute(sql`set local synchronous_commit = off`);
    await tx.execute(sql`
      update reconciler_masters m set published_revision = greatest(m.published_revision, v.rev)
      from unnest(${textArray(changes.map((c) => c.masterId))}, ${pgArray(changes.map((c) => c.revision), 'int4')}) as v(id, rev)
      where m.master_id = v.id`);
  });
}

/** Publishes masters' current state where their last revision never went out (crash after commit). */
export async function publishPending(db: Db, bus: EventBus, masterIds: readonly string[]): Promise<number> {
  if (masterIds.length === 0) return 0;
  const ms = await db.select().from(reconcilerMasters)
    .where(and(inArray(reconcilerMasters.masterId, [...masterIds]), gt(reconcilerMasters.revision, reconcilerMasters.publishedRevision)));
  await publishChanges(db, bus, ms.map((m): MasterChange => ({
    masterId: m.masterId, revision: m.revision, change: m.status === 'merged' ? 'retired' : 'updated', related: m.mergedInto ? [m.mergedInto] : [], fields: m.fields,
  })));
  return ms.length;
}
