// Read side of the stored master data: lineage, masters, and quality against a truth file. Used by
// the CLI (export, eval) and by tests, so what a test checks is what an operator sees.
import { asc, eq } from 'drizzle-orm';
import { reconcilerLinks, reconcilerMasters, reconcilerSourceRecords } from '../../../schemas/db/reconciler.ts';
import type { Db } from '../../db/database.ts';
import { pairwiseQuality, type PairwiseQuality } from '../evaluate.ts';

export interface LineageRow { readonly system: string; readonly instance: string; readonly recordId: string; readonly masterId: string }

export async function lineage(db: Db): Promise<LineageRow[]> {
  return db.select({ system: reconcilerSourceRecords.system, instance: reconcilerSourceRecords.instance, recordId: reconcilerSourceRecords.recordId, masterId: reconcilerLinks.masterId })
    .from(reconcilerLinks).innerJoin(reconcilerSourceRecords, eq(reconcilerSourceRecords.recordKey, reconcilerLinks.recordKey))
    .orderBy(asc(reconcilerSourceRecords.system), asc(reconcilerSourceRecords.instance), asc(reconcilerSourceRecords.recordId));
}

export interface MasterRow { readonly masterId: string; readonly revision: number; readonly fields: Record<string, unknown> }

export async function activeMasters(db: Db): Promise<MasterRow[]> {
  return db.select({ masterId: reconcilerMasters.masterId, revision: reconcilerMasters.revision, fields: reconcilerMasters.fields })
    .from(reconcilerMasters).where(eq(reconcilerMasters.status, 'active')).orderBy(asc(reconcilerMasters.masterId));
}

/** One truth line as `yibiao datagen` writes it (truth.ndjson). */
export interface TruthRecord { readonly system: string; readonly id: string; readonly personId: string | null }

/**
 * Pairwise quality of the stored links against the truth. Records are matched on (system,
 * record id); a stored record the truth does not know counts as belonging to nobody.
 */
export function qualityOf(rows: readonly LineageRow[], truth: Iterable<TruthRecord>): PairwiseQuality & { records: number; unknown: number } {
  const person = new Map<string, string | null>();
  for (const t of truth) person.set(`${t.system}:${t.id}`, t.personId);
  const masterIndex = new Map<string, number>();
  const clusterOf = new Int32Array(rows.length);
  const personOf: Array<string | null> = [];
  let unknown = 0;
  rows.forEach((r, i) => {
    let c = masterIndex.get(r.masterId);
    if (c === undefined) masterIndex.set(r.masterId, (c = masterIndex.size));
    clusterOf[i] = c;
    const p = person.get(`${r.system}:${r.recordId}`);
    if (p === undefined) unknown++;
    personOf.push(p ?? null);
  });
  return { ...pairwiseQuality(clusterOf, personOf), records: rows.length, unknown };
}

/** RFC 4180 CSV: quotes a field only when it must. */
export function csvLine(values: readonly unknown[]): string {
  return values.map((v) => {
    const s = v === null || v === undefined ? '' : typeof v === 'string' ? v : JSON.stringify(v);
    return /[",\r\n]/u.test(s) ? `"${s.replace(/"/gu, '""')}"` : s;
  }).join(',');
}

export const MASTER_CSV_FIELDS = [
  'name', 'idNumber', 'gender', 'birthDate', 'ethnicity', 'education', 'category', 'orgName', 'joinedAt', 'fullMemberAt',
  'status', 'lostContact', 'floating', 'phone', 'address', 'jobTitle', 'accounts',
] as const;

export function masterCsvLine(m: MasterRow): string {
  const value = (f: string) => (m.fields[f] as { value?: unknown } | undefined)?.value;
  return csvLine([m.masterId, m.revision, ...MASTER_CSV_FIELDS.map((f) => { const v = value(f); return Array.isArray(v) ? v.join(' ') : v; })]);
}
