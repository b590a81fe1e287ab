// Finds, in a drained seeded population, the situations a steward meets — a person left on two
// masters, a review item whose masters may merge, a review item the never-rule refused, two masters
// with different valid ID numbers — from the stored state and the generator's truth, so no test
// depends on the ids of one fixture. A situation the population lacks fails the test loudly.
import { eq, sql } from 'drizzle-orm';
import { reconcilerLinks, reconcilerMasters, reconcilerNeverLinks } from '../../../schemas/db/reconciler.ts';
import type { MemberObserved } from '../../../schemas/events/member-observed.ts';
import { eventId } from '../../../schemas/events/event-id.ts';
import type { Db } from '../../../services/db/database.ts';
import { lineage, type TruthRecord } from '../../../services/reconciler/stream/read-model.ts';
import { rows } from '../../../services/reconciler/stream/sql.ts';
import { splitRecord } from '../../../services/reconciler/stream/steward.ts';
import { retractNeverLink } from '../../../services/reconciler/stream/steward-retract.ts';

/** Valid ID numbers of every active master (deleted records left out, as the never-rule does). */
export async function idsByMaster(db: Db): Promise<Map<string, string[]>> {
  const rs = await rows<{ masterId: string; ids: string[] }>(db, sql`
    select l.master_id as "masterId",
      coalesce(array_agg(distinct r.normalised->>'idNumber') filter (where r.normalised->>'idNumber' is not null and not r.deleted), '{}') as ids
    from reconciler_links l join reconciler_source_records r on r.record_key = l.record_key group by l.master_id`);
  return new Map(rs.map((r) => [r.masterId, r.ids]));
}

export async function masterOf(db: Db, recordKey: string): Promise<string | undefined> {
  return (await db.select({ m: reconcilerLinks.masterId }).from(reconcilerLinks).where(eq(reconcilerLinks.recordKey, recordKey)))[0]?.m;
}

export async function master(db: Db, id: string) {
  const [m] = await db.select().from(reconcilerMasters).where(eq(reconcilerMasters.masterId, id));
  if (!m) throw new Error(`no master ${id}`);
  return m;
}

const mergeable = (ids: Map<string, string[]>, a: string, b: string) => new Set([...(ids.get(a) ?? []), ...(ids.get(b) ?? [])]).size <= 1;

async function apart(db: Db, a: string, b: string): Promise<boolean> {
  return (await rows(db, sql`
    select 1 from reconciler_never_links n join reconciler_links la on la.record_key = n.record_a join reconciler_links lb on lb.record_key = n.record_b
    where (la.master_id = ${a} and lb.master_id = ${b}) or (la.master_id = ${b} and lb.master_id = ${a})`)).length > 0;
}

/** Two active masters holding records of one true person, that may merge (at most one valid ID, no never-link). */
export async function splitPerson(db: Db, truth: readonly TruthRecord[], avoid: ReadonlySet<string> = new Set()): Promise<[string, string]> {
  const person = new Map(truth.map((t) => [`${t.system}:${t.id}`, t.personId]));
  const mastersOf = new Map<string, Set<string>>();
  for (const r of await lineage(db)) {
    const p = person.get(`${r.system}:${r.recordId}`);
    if (!p || avoid.has(r.masterId)) continue;
    mastersOf.set(p, (mastersOf.get(p) ?? new Set()).add(r.masterId));
  }
  const ids = await idsByMaster(db);
  for (const [, ms] of [...mastersOf].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const [a, b] = [...ms].sort();
    if (a && b && mergeable(ids, a, b) && !(await apart(db, a, b))) return [a, b];
  }
  throw new Error('the population has no person left on two mergeable masters');
}

/** Two active masters with one valid ID number each, different. */
export async function twoIdMasters(db: Db, avoid: ReadonlySet<string> = new Set()): Promise<[string, string]> {
  const single = [...(await idsByMaster(db))].filter(([m, ids]) => ids.length === 1 && !avoid.has(m)).map(([m, ids]) => ({ m, id: ids[0]! })).sort((x, y) => (x.m < y.m ? -1 : 1));
  const a = single[0];
  const b = single.find((s) => a !== undefined && s.id !== a.id);
  if (!a || !b) throw new Error('the population has no two masters with different valid ID numbers');
  return [a.m, b.m];
}

export interface OpenItem {
  readonly recordA: string; readonly recordB: string;
  readonly ma: string; readonly mb: string;
  readonly ra: number; readonly rb: number;
}

/** Open review items whose records are on two different active masters, in a stable order. */
export async function openItems(db: Db): Promise<OpenItem[]> {
  return rows<OpenItem>(db, sql`
    select i.record_a as "recordA", i.record_b as "recordB", la.master_id as ma, lb.master_id as mb, xa.revision as ra, xb.revision as rb
    from reconciler_review_items i
    join reconciler_links la on la.record_key = i.record_a join reconciler_links lb on lb.record_key = i.record_b
    join reconciler_masters xa on xa.master_id = la.master_id join reconciler_masters xb on xb.master_id = lb.master_id
    where i.status = 'open' and la.master_id <> lb.master_id
    order by i.record_a, i.record_b`);
}

/** An open item whose two masters may merge; truth's same-person pairs first. */
export async function mergeableItem(db: Db, truth: readonly TruthRecord[], avoid: ReadonlySet<string> = new Set()): Promise<OpenItem> {
  const person = new Map(truth.map((t) => [`${t.system}:${t.id}`, t.personId]));
  const personOfKey = (k: string) => { const [system, , ...rest] = k.split('/'); return person.get(`${system}:${rest.join('/')}`); };
  const ids = await idsByMaster(db);
  const items = (await openItems(db)).filter((i) => !avoid.has(i.ma) && !avoid.has(i.mb) && mergeable(ids, i.ma, i.mb));
  const ranked = [...items.filter((i) => personOfKey(i.recordA) === personOfKey(i.recordB)), ...items.filter((i) => personOfKey(i.recordA) !== personOfKey(i.recordB))];
  for (const i of ranked) if (!(await apart(db, i.ma, i.mb))) return i;
  throw new Error('the population has no open review item between two mergeable masters');
}

/** An open item whose masters hold two different valid ID numbers (a merge the never-rule refused). */
export async function idRefusedItem(db: Db): Promise<OpenItem> {
  const ids = await idsByMaster(db);
  const item = (await openItems(db)).find((i) => !mergeable(ids, i.ma, i.mb));
  if (!item) throw new Error('the population has no review item between masters with different valid ID numbers');
  return item;
}

/** A newer revision of a source record carrying another payload (new evidence about it). */
export function newerRevision(e: MemberObserved, observedAt: string, payload: MemberObserved['payload']): MemberObserved {
  return { ...e, id: eventId('member.observed', e.source, { ...payload, observedAt }), observedAt, occurredAt: observedAt, payload };
}

/** A record linked by evidence (a match-band pair) to a record still on its master, split off by a steward. */
export async function splitLinkedRecord(db: Db): Promise<{ key: string; master: string; newMasterId: string }> {
  const [pick] = await rows<{ key: string; master: string }>(db, sql`
    select l.record_key as key, l.master_id as master from reconciler_links l
    join reconciler_links v on v.record_key = l.via_record_key and v.master_id = l.master_id
    where l.origin = 'inferred' order by l.record_key limit 1`);
  if (!pick) throw new Error('no record linked through another record of its master');
  const { newMasterId } = await splitRecord(db, null, { recordKey: pick.key, masterId: pick.master, expectedRevision: (await master(db, pick.master)).revision, steward: '张三', reason: '核对' });
  return { ...pick, newMasterId };
}

/** The steward takes back every never-link of the record: evidence may join it again (the repair scan does). */
export async function retractNeverLinksOf(db: Db, recordKey: string): Promise<void> {
  for (const n of await db.select().from(reconcilerNeverLinks)) {
    if (n.recordA !== recordKey && n.recordB !== recordKey) continue;
    const [ma, mb] = [(await masterOf(db, n.recordA))!, (await masterOf(db, n.recordB))!];
    await retractNeverLink(db, { recordA: n.recordA, recordB: n.recordB, expectedRevisions: { [ma]: (await master(db, ma)).revision, [mb]: (await master(db, mb)).revision }, steward: '张三', reason: '撤回' });
  }
}
