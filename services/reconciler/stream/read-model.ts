// Read side of the stored master data: lineage, masters, and quality against a truth file. Used by
// the CLI (export, eval) and by tests, so what a test checks is what an operator sees.
import { and, asc, eq, gt } from 'drizzle-orm';
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

/** The active masters in id order, one page of `pageSize` at a time (keyset), so an export of 250k never holds them all. */
export async function* streamActiveMasters(db: Db, pageSize = 2_000): AsyncGenerator<MasterRow> {
  let after: string | null = null;
  for (;;) {
    const page: MasterRow[] = await db.select({ masterId: reconcilerMasters.masterId, revision: reconcilerMasters.revision, fields: reconcilerMasters.fields })
      .from(reconcilerMasters)
      .where(after === null ? eq(reconcilerMasters.status, 'active') : and(eq(reconcilerMasters.status, 'active'), gt(reconcilerMasters.masterId, after)))
      .orderBy(asc(reconcilerMasters.masterId)).limit(pageSize);
    yield* page;
    if (page.length < pageSize) return;
    after = page[page.length - 1]!.masterId;
  }
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

const MASTER_FIELD_ZH: Record<(typeof MASTER_CSV_FIELDS)[number], string> = {
  name: '姓名', idNumber: '公民身份证号码', gender: '性别', birthDate: '出生日期', ethnicity: '民族', education: '学历', category: '人员类别',
  orgName: '所在党支部', joinedAt: '入党日期', fullMemberAt: '转正日期', status: '党籍状态', lostContact: '是否失联党员', floating: '是否流动党员',
  phone: '联系电话', address: '家庭住址', jobTitle: '工作岗位', accounts: '系统账号',
};

/** The columns of a masters export, in order: the CSV header (English) and the spreadsheet header (zh-CN). */
export const MASTER_COLUMNS: ReadonlyArray<{ readonly key: string; readonly zh: string }> = [
  { key: 'master_id', zh: '主记录编号' }, { key: 'revision', zh: '版本' },
  ...MASTER_CSV_FIELDS.map((key) => ({ key, zh: MASTER_FIELD_ZH[key] })),
];

/** One master as the export's cells (one per MASTER_COLUMNS entry); every format writes these. */
export function masterRow(m: MasterRow): Array<string | number | null> {
  const value = (f: string) => (m.fields[f] as { value?: unknown } | undefined)?.value;
  return [m.masterId, m.revision, ...MASTER_CSV_FIELDS.map((f) => {
    const v = value(f);
    return v === undefined || v === null ? null : Array.isArray(v) ? v.join(' ') : typeof v === 'string' ? v : JSON.stringify(v);
  })];
}

export function masterCsvLine(m: MasterRow): string {
  return csvLine(masterRow(m));
}
