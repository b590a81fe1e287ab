// What every steward action shares: its errors (each with the HTTP status it answers and an English
// field/rule a program can read, the message in zh-CN for the steward), the locks it takes before a
// link changes (the event path's advisory locks on the record and its blocking keys, then master
// rows FOR UPDATE in id order, as the event path does), the revision check that refuses an
// action decided on an older state, and the asserted merge (the older master keeps its id).
import { and, eq, inArray, sql } from 'drizzle-orm';
import { reconcilerConflicts, reconcilerLinkHistory, reconcilerLinks, reconcilerMasters, reconcilerSourceRecords } from '../../../schemas/db/reconciler.ts';
import { lockKeys } from './locks.ts';
import type { MasterChange } from './master-change.ts';
import { linkedRecords, writeSurvivorship } from './repository.ts';
import { rows, textArray, type Tx } from './sql.ts';
import { survive } from './survivorship.ts';

/** A steward action that cannot be done as asked; `statusCode` is the HTTP answer. */
export class StewardActionError extends Error {
  override readonly name: string = 'StewardActionError';
  readonly statusCode: number = 422;
  /** The input field at fault (English, for programs). */
  readonly field: string;
  /** The rule that refused it (English, for programs). */
  readonly rule: string;
  constructor(message: string, options: { field?: string; rule?: string } = {}) {
    super(message);
    this.field = options.field ?? '(input)';
    this.rule = options.rule ?? 'refused';
  }
}

/** The master changed since the steward looked (another revision, merged away): refresh and decide again. */
export class StaleActionError extends StewardActionError {
  override readonly name = 'StaleActionError';
  override readonly statusCode = 409;
  constructor(message: string, options: { field?: string; rule?: string } = {}) {
    super(message, { field: options.field ?? 'expectedRevision', rule: options.rule ?? 'stale-revision' });
  }
}

/** The action would break a rule that holds for stewards too (two valid ID numbers, a never-link). */
export class StewardRefusedError extends StewardActionError {
  override readonly name = 'StewardRefusedError';
}

/** A master, record, review item or never-link the action names does not exist. */
export class StewardNotFoundError extends StewardActionError {
  override readonly name = 'StewardNotFoundError';
  override readonly statusCode = 404;
  constructor(message: string, options: { field?: string; rule?: string } = {}) {
    super(message, { field: options.field ?? '(input)', rule: options.rule ?? 'not-found' });
  }
}

/** A steward's identity and the reason for the decision, recorded with it. */
export interface StewardSignature {
  readonly steward: string;
  readonly reason: string;
}

/** Pairs of records are stored sorted (review items, never-links). */
export function sortedPair(a: string, b: string): [string, string] {
  return a < b ? [a, b] : [b, a];
}

/**
 * The event path's locks for records whose link the action changes: `rec:<key>` and every
 * blocking key, sorted, in one statement (locks.ts). Unknown records are refused before locking.
 */
export async function lockRecordsForChange(tx: Tx, recordKeys: readonly string[], field = 'recordKey'): Promise<void> {
  const keys = [...new Set(recordKeys)];
  if (keys.length === 0) return;
  const rs = await tx.select({ recordKey: reconcilerSourceRecords.recordKey, blockingKeys: reconcilerSourceRecords.blockingKeys })
    .from(reconcilerSourceRecords).where(inArray(reconcilerSourceRecords.recordKey, keys));
  const missing = keys.filter((k) => !rs.some((r) => r.recordKey === k));
  if (missing.length > 0) throw new StewardNotFoundError(`没有这条源记录：${missing.join('、')}`, { field, rule: 'record-not-found' });
  await lockKeys(tx, rs.flatMap((r) => [`rec:${r.recordKey}`, ...r.blockingKeys]));
}

/** A master locked for a steward's action: its creation order and the valid ID numbers of its live records. */
export interface LockedMaster {
  readonly masterId: string;
  readonly seq: number;
  readonly revision: number;
  readonly ids: readonly string[];
}

/**
 * Locks the masters' rows in id order (the event path's order) and checks that each is still
 * active at the revision the steward decided on; returns their seq and valid ID numbers.
 */
export async function lockDecidedMasters(tx: Tx, expected: ReadonlyMap<string, number>, field = 'expectedRevision'): Promise<Map<string, LockedMaster>> {
  const ids = [...expected.keys()].sort();
  const ms = await tx.select({ masterId: reconcilerMasters.masterId, seq: reconcilerMasters.seq, status: reconcilerMasters.status, mergedInto: reconcilerMasters.mergedInto, revision: reconcilerMasters.revision })
    .from(reconcilerMasters).where(inArray(reconcilerMasters.masterId, ids)).orderBy(reconcilerMasters.masterId).for('update');
  for (const id of ids) {
    const m = ms.find((x) => x.masterId === id);
    if (!m) throw new StewardNotFoundError(`没有这个主记录：${id}`, { field: 'masterId', rule: 'master-not-found' });
    if (m.status !== 'active') throw new StaleActionError(`主记录 ${id} 已合并到 ${m.mergedInto ?? '其他主记录'}，请刷新后重试`, { field, rule: 'master-merged' });
    const want = expected.get(id);
    if (m.revision !== want) {
      throw new StaleActionError(`主记录 ${id} 已更新（当前版本 ${m.revision}，操作基于版本 ${String(want)}），请刷新后重试`, { field, rule: 'stale-revision' });
    }
  }
  // Deleted records do not count, as in the event path's never-rule.
  const valid = await rows<{ masterId: string; id: string }>(tx, sql`
    select distinct l.master_id as "masterId", r.normalised->>'idNumber' as id
    from reconciler_links l join reconciler_source_records r on r.record_key = l.record_key
    where l.master_id = any(${textArray(ids)}) and r.normalised->>'idNumber' is not null and not r.deleted`);
  return new Map(ms.map((m) => [m.masterId, { masterId: m.masterId, seq: Number(m.seq), revision: m.revision, ids: valid.filter((v) => v.masterId === m.masterId).map((v) => v.id) }]));
}

/** The current master of each record (records without a link are left out). */
export async function currentMasters(tx: Tx, recordKeys: readonly string[]): Promise<Map<string, string>> {
  if (recordKeys.length === 0) return new Map();
  const ls = await tx.select({ recordKey: reconcilerLinks.recordKey, masterId: reconcilerLinks.masterId }).from(reconcilerLinks)
    .where(inArray(reconcilerLinks.recordKey, [...new Set(recordKeys)]));
  return new Map(ls.map((l) => [l.recordKey, l.masterId]));
}

/** The two records' masters, checked against what the steward named, locked in the event path's order. */
export async function lockPairMasters(tx: Tx, a: string, b: string, expected: Readonly<Record<string, number>>): Promise<{ ma: string; mb: string; info: Map<string, LockedMaster> }> {
  const masters = await currentMasters(tx, [a, b]);
  const [ma, mb] = [masters.get(a), masters.get(b)];
  if (ma === undefined || mb === undefined) throw new StewardNotFoundError(`源记录 ${ma === undefined ? a : b} 尚未关联主记录`, { field: ma === undefined ? 'recordA' : 'recordB', rule: 'record-not-linked' });
  for (const m of new Set([ma, mb])) {
    if (expected[m] === undefined) throw new StaleActionError(`源记录现在位于主记录 ${m}，该操作未基于它作出，请刷新后重试`, { field: 'expectedRevisions', rule: 'master-not-named' });
  }
  const info = await lockDecidedMasters(tx, new Map([...new Set([ma, mb])].map((m) => [m, expected[m]!])), 'expectedRevisions');
  return { ma, mb, info };
}

/** Records linked to the master, sorted. */
export async function recordsOf(tx: Tx, masterId: string): Promise<string[]> {
  const ls = await tx.select({ recordKey: reconcilerLinks.recordKey }).from(reconcilerLinks).where(eq(reconcilerLinks.masterId, masterId)).orderBy(reconcilerLinks.recordKey);
  return ls.map((l) => l.recordKey);
}

/** Never-links with one record on each of the two masters. */
export async function neverLinksBetween(tx: Tx, a: string, b: string): Promise<Array<{ recordA: string; recordB: string; assertedBy: string; reason: string }>> {
  return rows(tx, sql`
    select n.record_a as "recordA", n.record_b as "recordB", n.asserted_by as "assertedBy", n.reason
    from reconciler_never_links n
    join reconciler_links la on la.record_key = n.record_a join reconciler_links lb on lb.record_key = n.record_b
    where (la.master_id = ${a} and lb.master_id = ${b}) or (la.master_id = ${b} and lb.master_id = ${a})
    order by 1, 2`);
}

/** Survivorship rerun for the master; its new revision as a change to announce. */
export async function recompute(tx: Tx, masterId: string, change: MasterChange['change'], related: readonly string[]): Promise<MasterChange> {
  const { fields, conflicts } = survive(await linkedRecords(tx, masterId));
  const revision = await writeSurvivorship(tx, masterId, fields, conflicts);
  return { masterId, revision, change, related, fields };
}

/**
 * The checks a merge must pass whoever asks: two different valid ID numbers never share a master
 * (the deterministic never-rule), and no steward's never-link spans the two masters.
 */
export async function refuseForbiddenMerge(tx: Tx, info: ReadonlyMap<string, LockedMaster>, a: string, b: string): Promise<void> {
  const ids = [...new Set([...(info.get(a)?.ids ?? []), ...(info.get(b)?.ids ?? [])])].sort();
  if (ids.length > 1) {
    throw new StewardRefusedError(`不能合并：${a} 与 ${b} 含有不同的有效身份证号（${ids.join('、')}），同一人只能有一个身份证号`, { field: 'masterId', rule: 'distinct-id-numbers' });
  }
  const never = await neverLinksBetween(tx, a, b);
  if (never.length > 0) {
    const n = never[0]!;
    throw new StewardRefusedError(`不能合并：${n.assertedBy} 曾判定 ${n.recordA} 与 ${n.recordB} 不是同一人（${n.reason}）；如需合并，请先撤销该判定`, { field: 'masterId', rule: 'never-link' });
  }
}

/**
 * An asserted merge of two locked, checked masters: the younger one's records move to the older
 * (smaller seq keeps its id, as an inferred merge does), each moved link becomes `asserted` with a
 * history row naming the steward, the younger master becomes a tombstone, survivorship reruns.
 */
export async function mergeAsserted(tx: Tx, info: ReadonlyMap<string, LockedMaster>, a: string, b: string, movedKeys: readonly string[], sig: StewardSignature): Promise<{ survivorId: string; retiredId: string; changes: MasterChange[] }> {
  const [survivorId, retiredId] = (info.get(a)?.seq ?? 0) <= (info.get(b)?.seq ?? 0) ? [a, b] : [b, a];
  const reason = `merged ${retiredId} into ${survivorId} by steward ${sig.steward}: ${sig.reason}`;
  const moved = await tx.select({ recordKey: reconcilerLinks.recordKey, modelVersion: reconcilerLinks.modelVersion }).from(reconcilerLinks)
    .where(eq(reconcilerLinks.masterId, retiredId)).orderBy(reconcilerLinks.recordKey);
  // The records locked are the records moved; anything else means a link changed under the steward.
  if (moved.map((m) => m.recordKey).join('\n') !== [...movedKeys].sort().join('\n')) {
    throw new StaleActionError(`主记录 ${retiredId} 的源记录已变化，请刷新后重试`, { rule: 'records-changed' });
  }
  await tx.update(reconcilerLinks).set({ masterId: survivorId, state: 'match', origin: 'asserted', score: null, viaRecordKey: null, reason, updatedAt: sql`now()` })
    .where(eq(reconcilerLinks.masterId, retiredId));
  if (moved.length > 0) {
    await tx.insert(reconcilerLinkHistory).values(moved.map((m) => ({
      recordKey: m.recordKey, masterId: survivorId, previousMasterId: retiredId, state: 'match' as const, origin: 'asserted' as const, score: null, modelVersion: m.modelVersion, reason,
    })));
  }
  const [tomb] = await tx.update(reconcilerMasters).set({ status: 'merged', mergedInto: survivorId, revision: sql`${reconcilerMasters.revision} + 1`, updatedAt: sql`now()` })
    .where(eq(reconcilerMasters.masterId, retiredId)).returning({ revision: reconcilerMasters.revision });
  // Older tombstones follow, so any retired id reaches the live master in one step.
  await tx.update(reconcilerMasters).set({ mergedInto: survivorId }).where(and(eq(reconcilerMasters.mergedInto, retiredId), eq(reconcilerMasters.status, 'merged')));
  await tx.delete(reconcilerConflicts).where(eq(reconcilerConflicts.masterId, retiredId));
  const changes = [
    await recompute(tx, survivorId, 'merged', [retiredId]),
    { masterId: retiredId, revision: tomb?.revision ?? 0, change: 'retired', related: [survivorId], fields: {} } satisfies MasterChange,
  ];
  return { survivorId, retiredId, changes };
}
