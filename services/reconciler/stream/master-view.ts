// What a steward looks at before deciding: masters (paged, found by name or ID number), one
// master with its fields and their provenance, conflicts, linked records, link history and the
// never-links on its records, and the review queue with each record's master and revision (the
// revision an action then names). Read-only; the API and the CLI show these as they are.
import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/database.ts';
import { rows, textArray } from './sql.ts';

export interface Page<T> {
  readonly total: number;
  readonly page: number;
  readonly pageSize: number;
  readonly items: T[];
}

export interface MasterSummary {
  readonly masterId: string;
  readonly revision: number;
  readonly name: string | null;
  readonly idNumber: string | null;
  readonly orgName: string | null;
  readonly records: number;
  readonly updatedAt: string;
}

export interface MasterQuery {
  /** Part of the survived name (case-insensitive). */
  readonly name?: string | undefined;
  /** A whole ID number (an x is read as X). */
  readonly idNumber?: string | undefined;
  readonly page: number;
  readonly pageSize: number;
}

const like = (s: string) => `%${s.replace(/[\\%_]/gu, (c) => `\\${c}`)}%`;

export async function listMasters(db: Db, q: MasterQuery): Promise<Page<MasterSummary>> {
  const where: SQL[] = [sql`m.status = 'active'`];
  if (q.name) where.push(sql`m.fields->'name'->>'value' ilike ${like(q.name)}`);
  if (q.idNumber) where.push(sql`m.fields->'idNumber'->>'value' = ${q.idNumber.toUpperCase()}`);
  const cond = sql.join(where, sql` and `);
  const [count] = await rows<{ n: number }>(db, sql`select count(*)::int as n from reconciler_masters m where ${cond}`);
  const items = await rows<MasterSummary>(db, sql`
    select m.master_id as "masterId", m.revision, m.fields->'name'->>'value' as name, m.fields->'idNumber'->>'value' as "idNumber",
      m.fields->'orgName'->>'value' as "orgName", (select count(*)::int from reconciler_links l where l.master_id = m.master_id) as records,
      to_char(m.updated_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as "updatedAt"
    from reconciler_masters m where ${cond}
    order by m.master_id limit ${q.pageSize} offset ${(q.page - 1) * q.pageSize}`);
  return { total: count?.n ?? 0, page: q.page, pageSize: q.pageSize, items };
}

export interface LinkedRecordView {
  readonly recordKey: string; readonly system: string; readonly instance: string; readonly recordId: string;
  readonly observedAt: string; readonly deleted: boolean; readonly payload: Record<string, unknown>;
  readonly state: string; readonly origin: string; readonly score: number | null; readonly viaRecordKey: string | null;
  readonly modelVersion: string; readonly reason: string;
}

export interface HistoryView {
  readonly id: number; readonly recordKey: string; readonly masterId: string; readonly previousMasterId: string | null;
  readonly state: string; readonly origin: string; readonly score: number | null; readonly modelVersion: string;
  readonly reason: string; readonly eventId: string | null; readonly at: string;
}

export type MasterDetail =
  | { readonly masterId: string; readonly status: 'merged'; readonly revision: number; readonly mergedInto: string | null }
  | {
    readonly masterId: string; readonly status: 'active'; readonly revision: number; readonly createdAt: string; readonly updatedAt: string;
    readonly fields: Record<string, unknown>;
    readonly conflicts: Array<{ field: string; values: Array<Record<string, unknown>> }>;
    readonly records: LinkedRecordView[];
    readonly history: HistoryView[];
    readonly neverLinks: Array<{ recordA: string; recordB: string; assertedBy: string; reason: string; at: string }>;
    readonly openReviewItems: Array<{ recordA: string; recordB: string; score: number }>;
  };

/** Whether a master ever had the id (active or merged). */
export async function masterExists(db: Db, masterId: string): Promise<boolean> {
  return (await rows(db, sql`select 1 from reconciler_masters where master_id = ${masterId}`)).length > 0;
}

const iso = (col: string) => sql.raw(`to_char(${col} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`);

/** The master, or where a merged master went; null when no master ever had the id. */
export async function masterDetail(db: Db, masterId: string, historyLimit = 500): Promise<MasterDetail | null> {
  const [m] = await rows<{ masterId: string; status: 'active' | 'merged'; revision: number; mergedInto: string | null; fields: Record<string, unknown>; createdAt: string; updatedAt: string }>(db, sql`
    select master_id as "masterId", status, revision, merged_into as "mergedInto", fields, ${iso('created_at')} as "createdAt", ${iso('updated_at')} as "updatedAt"
    from reconciler_masters where master_id = ${masterId}`);
  if (!m) return null;
  if (m.status === 'merged') return { masterId: m.masterId, status: 'merged', revision: m.revision, mergedInto: m.mergedInto };
  const records = await rows<LinkedRecordView>(db, sql`
    select r.record_key as "recordKey", r.system, r.instance, r.record_id as "recordId", r.observed_at as "observedAt", r.deleted, r.payload,
      l.state, l.origin, l.score, l.via_record_key as "viaRecordKey", l.model_version as "modelVersion", l.reason
    from reconciler_links l join reconciler_source_records r on r.record_key = l.record_key
    where l.master_id = ${masterId} order by r.record_key`);
  const keys = textArray(records.map((r) => r.recordKey));
  const conflicts = await rows<{ field: string; values: Array<Record<string, unknown>> }>(db, sql`
    select field, values from reconciler_conflicts where master_id = ${masterId} order by field`);
  const history = await rows<HistoryView>(db, sql`
    select id::int as id, record_key as "recordKey", master_id as "masterId", previous_master_id as "previousMasterId", state, origin, score,
      model_version as "modelVersion", reason, event_id as "eventId", ${iso('at')} as at
    from reconciler_link_history
    where master_id = ${masterId} or previous_master_id = ${masterId} or record_key = any(${keys})
    order by id desc limit ${historyLimit}`);
  const neverLinks = await rows<{ recordA: string; recordB: string; assertedBy: string; reason: string; at: string }>(db, sql`
    select record_a as "recordA", record_b as "recordB", asserted_by as "assertedBy", reason, ${iso('at')} as at
    from reconciler_never_links where record_a = any(${keys}) or record_b = any(${keys}) order by record_a, record_b`);
  const openReviewItems = await rows<{ recordA: string; recordB: string; score: number; reason: string | null }>(db, sql`
    select record_a as "recordA", record_b as "recordB", score, reason from reconciler_review_items
    where status = 'open' and (record_a = any(${keys}) or record_b = any(${keys})) order by score desc, record_a, record_b`);
  return {
    masterId: m.masterId, status: 'active', revision: m.revision, createdAt: m.createdAt, updatedAt: m.updatedAt, fields: m.fields,
    conflicts, records, history: history.reverse(), neverLinks, openReviewItems,
  };
}

export interface ReviewSide {
  readonly recordKey: string;
  readonly masterId: string | null;
  /** The master revision a decision on this item names. */
  readonly masterRevision: number | null;
  readonly name: string | null;
  readonly idNumber: string | null;
}

export interface ReviewItemView {
  readonly recordA: ReviewSide;
  readonly recordB: ReviewSide;
  readonly score: number;
  /** Why the decision sent it to review; null for items stored before reasons were. */
  readonly reason: string | null;
  readonly modelVersion: string;
  readonly status: 'open' | 'resolved';
  readonly createdAt: string;
}

export async function listReviewItems(db: Db, q: { status: 'open' | 'resolved'; page: number; pageSize: number }): Promise<Page<ReviewItemView>> {
  const [count] = await rows<{ n: number }>(db, sql`select count(*)::int as n from reconciler_review_items where status = ${q.status}`);
  const raw = await rows<{
    recordA: string; recordB: string; score: number; reason: string | null; modelVersion: string; status: 'open' | 'resolved'; createdAt: string;
    aMaster: string | null; aRevision: number | null; aName: string | null; aId: string | null;
    bMaster: string | null; bRevision: number | null; bName: string | null; bId: string | null;
  }>(db, sql`
    select i.record_a as "recordA", i.record_b as "recordB", i.score, i.reason, i.model_version as "modelVersion", i.status, ${iso('i.created_at')} as "createdAt",
      la.master_id as "aMaster", ma.revision as "aRevision", ra.normalised->>'name' as "aName", ra.normalised->>'idNumber' as "aId",
      lb.master_id as "bMaster", mb.revision as "bRevision", rb.normalised->>'name' as "bName", rb.normalised->>'idNumber' as "bId"
    from reconciler_review_items i
    left join reconciler_links la on la.record_key = i.record_a left join reconciler_masters ma on ma.master_id = la.master_id
    left join reconciler_source_records ra on ra.record_key = i.record_a
    left join reconciler_links lb on lb.record_key = i.record_b left join reconciler_masters mb on mb.master_id = lb.master_id
    left join reconciler_source_records rb on rb.record_key = i.record_b
    where i.status = ${q.status}
    order by i.score desc, i.record_a, i.record_b limit ${q.pageSize} offset ${(q.page - 1) * q.pageSize}`);
  const items = raw.map((r): ReviewItemView => ({
    recordA: { recordKey: r.recordA, masterId: r.aMaster, masterRevision: r.aRevision, name: r.aName, idNumber: r.aId },
    recordB: { recordKey: r.recordB, masterId: r.bMaster, masterRevision: r.bRevision, name: r.bName, idNumber: r.bId },
    score: r.score, reason: r.reason, modelVersion: r.modelVersion, status: r.status, createdAt: r.createdAt,
  }));
  return { total: count?.n ?? 0, page: q.page, pageSize: q.pageSize, items };
}
