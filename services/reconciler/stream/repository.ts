// Reads and writes of one reconciliation transaction. Every function takes the transaction: the
// caller holds the advisory locks (locks.ts) and decides; this file only speaks SQL.
import { eq, inArray, sql } from 'drizzle-orm';
import {
  reconcilerBlocks, reconcilerConflicts, reconcilerLinkHistory, reconcilerLinks, reconcilerMasters, reconcilerReviewItems, reconcilerSourceRecords,
} from '../../../schemas/db/reconciler.ts';
import type { NormalisedRecord, ObservationPayload } from '../normalise/index.ts';
import { rows, textArray, type Tx } from './sql.ts';
import type { FieldConflict, LinkedRecord, SurvivedField } from './survivorship.ts';

export interface StoredRecord { readonly eventId: string; readonly observedAt: string; readonly masterId: string | null }

/** The stored revision of a record (row-locked) and its current master, in one round trip. */
export async function lockRecord(tx: Tx, key: string): Promise<StoredRecord | null> {
  const [r] = await rows<StoredRecord>(tx, sql`
    select r.event_id as "eventId", r.observed_at as "observedAt", l.master_id as "masterId"
    from reconciler_source_records r left join reconciler_links l on l.record_key = r.record_key
    where r.record_key = ${key} for update of r`);
  return r ?? null;
}

export interface NewRecord {
  readonly recordKey: string; readonly system: string; readonly instance: string; readonly recordId: string;
  readonly eventId: string; readonly observedAt: string; readonly payload: ObservationPayload;
  readonly normalised: NormalisedRecord; readonly blockingKeys: readonly string[]; readonly deleted: boolean;
}

/** The latest revision replaces the stored one; its blocks replace the old blocks. */
export async function upsertRecord(tx: Tx, r: NewRecord, isNew: boolean): Promise<void> {
  const values = {
    recordKey: r.recordKey, system: r.system, instance: r.instance, recordId: r.recordId, eventId: r.eventId, observedAt: r.observedAt,
    payload: r.payload as Record<string, unknown>, normalised: r.normalised as unknown as Record<string, unknown>, blockingKeys: [...r.blockingKeys], deleted: r.deleted,
  };
  await tx.insert(reconcilerSourceRecords).values(values)
    .onConflictDoUpdate({ target: reconcilerSourceRecords.recordKey, set: { ...values, updatedAt: sql`now()` } });
  if (!isNew) await tx.delete(reconcilerBlocks).where(eq(reconcilerBlocks.recordKey, r.recordKey));
  if (r.blockingKeys.length > 0) await tx.insert(reconcilerBlocks).values(r.blockingKeys.map((key) => ({ key, recordKey: r.recordKey }))).onConflictDoNothing();
}

export interface Candidate { readonly recordKey: string; readonly normalised: NormalisedRecord; readonly masterId: string }

/**
 * Linked records sharing a bounded block with the record. A key already held by more than
 * `maxBlockSize` records is skipped (a common name says little; other keys still find matches),
 * counting at most maxBlockSize + 1 rows so a huge block costs no more than a small one.
 */
export async function findCandidates(tx: Tx, keys: readonly string[], self: string, maxBlockSize: number): Promise<Candidate[]> {
  if (keys.length === 0) return [];
  return rows<Candidate>(tx, sql`
    with ok as (
      select k from unnest(${textArray(keys)}) as k
      where (select count(*) from (select 1 from reconciler_blocks b where b.key = k and b.record_key <> ${self} limit ${maxBlockSize + 1}) s) <= ${maxBlockSize}
    )
    select r.record_key as "recordKey", r.normalised, l.master_id as "masterId"
    from reconciler_source_records r join reconciler_links l on l.record_key = r.record_key
    where r.record_key in (select b.record_key from reconciler_blocks b where b.key in (select k from ok))
      and r.record_key <> ${self} and not r.deleted
    order by r.record_key`);
}

export interface MasterInfo { readonly masterId: string; readonly seq: number; readonly revision: number; readonly ids: readonly string[] }

/** Locks the masters' rows in id order (no deadlock between two merges) and reads their valid ID numbers. */
export async function lockMasters(tx: Tx, masterIds: readonly string[]): Promise<Map<string, MasterInfo>> {
  const out = new Map<string, MasterInfo>();
  if (masterIds.length === 0) return out;
  const sorted = [...new Set(masterIds)].sort();
  const ms = await tx.select({ masterId: reconcilerMasters.masterId, seq: reconcilerMasters.seq, revision: reconcilerMasters.revision })
    .from(reconcilerMasters).where(inArray(reconcilerMasters.masterId, sorted)).orderBy(reconcilerMasters.masterId).for('update');
  const ids = await rows<{ masterId: string; id: string }>(tx, sql`
    select distinct l.master_id as "masterId", r.normalised->>'idNumber' as id
    from reconciler_links l join reconciler_source_records r on r.record_key = l.record_key
    where l.master_id = any(${textArray(sorted)}) and r.normalised->>'idNumber' is not null and not r.deleted`);
  for (const m of ms) out.set(m.masterId, { ...m, ids: ids.filter((i) => i.masterId === m.masterId).map((i) => i.id) });
  return out;
}

/** A new master, or nothing when it exists (a replayed creation): the id is the constraint. */
export async function createMaster(tx: Tx, masterId: string): Promise<void> {
  await tx.insert(reconcilerMasters).values({ masterId, revision: 0, fields: {} }).onConflictDoNothing();
}

export interface LinkWrite {
  readonly recordKey: string; readonly masterId: string; readonly previousMasterId: string | null;
  readonly score: number | null; readonly viaRecordKey: string | null; readonly modelVersion: string; readonly reason: string; readonly eventId: string | null;
}

/** The current link is replaced; the change is appended to the history, never rewritten. */
export async function writeLink(tx: Tx, l: LinkWrite): Promise<void> {
  // One round trip: the upsert of the current link and the history row in one statement.
  await tx.execute(sql`
    with link as (
      insert into reconciler_links (record_key, master_id, state, origin, score, via_record_key, model_version, reason)
      values (${l.recordKey}, ${l.masterId}, 'match', 'inferred', ${l.score}, ${l.viaRecordKey}, ${l.modelVersion}, ${l.reason})
      on conflict (record_key) do update set master_id = excluded.master_id, state = excluded.state, origin = excluded.origin, score = excluded.score,
        via_record_key = excluded.via_record_key, model_version = excluded.model_version, reason = excluded.reason, updated_at = now()
    )
    insert into reconciler_link_history (record_key, master_id, previous_master_id, state, origin, score, model_version, reason, event_id)
    values (${l.recordKey}, ${l.masterId}, ${l.previousMasterId}, 'match', 'inferred', ${l.score}, ${l.modelVersion}, ${l.reason}, ${l.eventId})`);
}

/** Moves every record of the losers to the survivor (with history) and leaves tombstones. */
export async function mergeMasters(tx: Tx, survivor: string, losers: readonly string[], modelVersion: string, eventId: string): Promise<void> {
  if (losers.length === 0) return;
  const moved = await tx.select({ recordKey: reconcilerLinks.recordKey, masterId: reconcilerLinks.masterId, score: reconcilerLinks.score })
    .from(reconcilerLinks).where(inArray(reconcilerLinks.masterId, [...losers])).orderBy(reconcilerLinks.recordKey);
  await tx.update(reconcilerLinks).set({ masterId: survivor, updatedAt: sql`now()` }).where(inArray(reconcilerLinks.masterId, [...losers]));
  if (moved.length > 0) {
    await tx.insert(reconcilerLinkHistory).values(moved.map((m) => ({
      recordKey: m.recordKey, masterId: survivor, previousMasterId: m.masterId, state: 'match' as const, origin: 'inferred' as const,
      score: m.score, modelVersion, reason: `master ${m.masterId} merged into ${survivor}`, eventId,
    })));
  }
  await tx.update(reconcilerMasters).set({ status: 'merged', mergedInto: survivor, revision: sql`${reconcilerMasters.revision} + 1`, updatedAt: sql`now()` })
    .where(inArray(reconcilerMasters.masterId, [...losers]));
  // Older tombstones follow, so a lookup of any retired id reaches the live master in one step.
  await tx.update(reconcilerMasters).set({ mergedInto: survivor }).where(inArray(reconcilerMasters.mergedInto, [...losers]));
  await tx.delete(reconcilerConflicts).where(inArray(reconcilerConflicts.masterId, [...losers]));
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

export async function addReviewItems(tx: Tx, items: ReadonlyArray<{ a: string; b: string; score: number }>, modelVersion: string): Promise<void> {
  if (items.length === 0) return;
  await tx.insert(reconcilerReviewItems).values(items.map((i) => {
    const [recordA, recordB] = i.a < i.b ? [i.a, i.b] : [i.b, i.a];
    return { recordA, recordB, score: i.score, modelVersion };
  })).onConflictDoNothing();
}

/** Master pairs a steward's never-link keeps apart, by where the constrained records are now (both orders). */
export async function forbiddenPairs(tx: Tx, masterIds: readonly string[]): Promise<Set<string>> {
  const out = new Set<string>();
  if (masterIds.length === 0) return out;
  const ids = textArray([...new Set(masterIds)]);
  const ps = await rows<{ a: string; b: string }>(tx, sql`
    select la.master_id as a, lb.master_id as b from reconciler_never_links n
    join reconciler_links la on la.record_key = n.record_a join reconciler_links lb on lb.record_key = n.record_b
    where la.master_id = any(${ids}) or lb.master_id = any(${ids})`);
  for (const p of ps) {
    out.add(`${p.a}|${p.b}`);
    out.add(`${p.b}|${p.a}`);
  }
  return out;
}
