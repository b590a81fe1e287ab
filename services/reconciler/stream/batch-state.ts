// What one batch of events needs to know from PostgreSQL, read in a handful of queries under the
// batch's locks: the stored revision of every record in the batch, the bounded blocks of every
// blocking key the batch brings, the candidates in those blocks (normalised, with their master),
// the masters the decisions may touch (row-locked) with all their links, and the steward's
// never-links touching them. The decisions then run in memory (reconcile-batch.ts) and reach the
// same result one event at a time would.
import { sql } from 'drizzle-orm';
import { blockLimit, type BlockingConfig } from '../blocking.ts';
import type { NormalisedRecord } from '../normalise/index.ts';
import type { LapClock } from './lap-clock.ts';
import type { LinkedRecord } from './survivorship.ts';
import { pgArray, rows, textArray, type Tx } from './sql.ts';

/** A record as the batch sees it: stored, or brought by an event of the batch. */
export interface RecordState {
  readonly recordKey: string;
  /** Source and payload: for the batch's own records only (survivorship), else null. */
  linked: LinkedRecord | null;
  eventId: string;
  observedAt: string;
  normalised: NormalisedRecord;
  blockingKeys: readonly string[];
  /** The keys its stored revision has block rows under (replaced when the batch restates it). */
  readonly storedBlockingKeys: readonly string[];
  deleted: boolean;
  /** Null only for a record first seen in this batch, before its event is decided. */
  masterId: string | null;
  /** The score its link carries (merge history repeats it). */
  linkScore: number | null;
  /** A steward asserted its link: later evidence does not take it out of its master. */
  asserted: boolean;
  /** True for a record of this batch (written back at the end). */
  inBatch: boolean;
  /** True when the record was stored before the batch. */
  readonly stored: boolean;
}

export interface MasterMember {
  readonly score: number | null; readonly normalised: NormalisedRecord; readonly deleted: boolean; readonly record: LinkedRecord;
  /** A steward asserted its link: the decisions never move it to another master. */
  readonly asserted: boolean;
}

export interface MasterState {
  readonly masterId: string;
  /** Creation order; masters created in the batch come after every stored one, in creation order. */
  readonly seq: number;
  revision: number;
  readonly storedRevision: number;
  status: 'active' | 'merged';
  mergedInto: string | null;
  /** Stored links of records outside the batch: record key → link score and normalised record. */
  readonly members: Map<string, MasterMember>;
  /** Records of the batch linked to this master now. */
  readonly batchMembers: Set<string>;
  readonly created: boolean;
}

/**
 * A blocking key's stored members outside the batch, or null once it is over-full: it has held
 * more than its bound (blocking.ts blockLimit) of other records. The decisions set a key to null the moment it gets there.
 */
export type StoredBlock = readonly string[] | null;

export interface LoadedBatch {
  readonly records: Map<string, RecordState>;
  readonly blocks: Map<string, StoredBlock>;
  /** Keys already stored as over-full (reconciler_overfull_keys): their rows are not read. */
  readonly markedOverfull: ReadonlySet<string>;
  readonly masters: Map<string, MasterState>;
  /** Steward never-links touching the loaded masters, as sorted record-key pairs. */
  readonly neverLinks: ReadonlyArray<readonly [string, string]>;
  /** Masters of never-linked records outside everything else loaded. */
  readonly farMasters: Map<string, string>;
}

/** What a batch loads from an empty database: no stored record, every blocking key's block empty. */
export function emptyBatch(blockingKeys: Iterable<string>): LoadedBatch {
  return { records: new Map(), blocks: new Map([...blockingKeys].map((k) => [k, []])), markedOverfull: new Set(), masters: new Map(), neverLinks: [], farMasters: new Map() };
}

interface StoredRow {
  recordKey: string; eventId: string; observedAt: string; normalised: NormalisedRecord; blockingKeys: string[]; deleted: boolean; masterId: string | null; linkScore: number | null; asserted: boolean;
  system: string; instance: string; recordId: string; payload: LinkedRecord['payload'];
}

/** The masters a batch must read whole, given its records and candidates (scored in memory). */
export type WantedMasters = (s: Pick<LoadedBatch, 'records' | 'blocks'>) => Iterable<string>;

export async function loadBatch(tx: Tx, batchKeys: readonly string[], blockingKeys: readonly string[], blocking: BlockingConfig, wanted: WantedMasters, clock?: LapClock): Promise<LoadedBatch> {
  const batch = textArray(batchKeys);
  const records = new Map<string, RecordState>();
  for (const { system, instance, recordId, payload, ...r } of await rows<StoredRow>(tx, sql`
    select r.record_key as "recordKey", r.event_id as "eventId", r.observed_at as "observedAt", r.normalised, r.blocking_keys as "blockingKeys",
      r.deleted, l.master_id as "masterId", l.score as "linkScore", coalesce(l.origin = 'asserted', false) as asserted,
      r.system, r.instance, r.record_id as "recordId", r.payload
    from reconciler_source_records r left join reconciler_links l on l.record_key = r.record_key
    where r.record_key = any(${batch})`)) {
    const linked = { recordKey: r.recordKey, system, instance, recordId, observedAt: r.observedAt, payload, normalised: r.normalised };
    records.set(r.recordKey, { ...r, storedBlockingKeys: r.blockingKeys, linked, inBatch: true, stored: true });
  }
  clock?.lap('load.records');

  // Each key's members outside the batch. The batch's stored records are in the blocks of their
  // stored keys; the count includes them (so a key's row limit grows by their number) and they are
  // left out here: a key with more other members than its bound is over-full for every record
  // of the batch (the batch's own members only add to it). Filtering in SQL (`<> all(batch)`)
  // would compare every block row with the whole batch.
  const inBatch = new Map<string, number>();
  for (const r of records.values()) for (const k of r.blockingKeys) inBatch.set(k, (inBatch.get(k) ?? 0) + 1);
  const blocks = new Map<string, StoredBlock>();
  const markedOverfull = new Set<string>();
  if (blockingKeys.length > 0) {
    for (const { key } of await rows<{ key: string }>(tx, sql`select key from reconciler_overfull_keys where key = any(${textArray(blockingKeys)})`)) {
      markedOverfull.add(key);
      blocks.set(key, null);
    }
  }
  clock?.lap('load.overfull');
  const open = blockingKeys.filter((k) => !markedOverfull.has(k));
  const limits = open.map((k) => blockLimit(blocking, k) + 1 + (inBatch.get(k) ?? 0));
  // One bounded index scan per key: at most `lim` rows each, so a common name costs no more than a rare one.
  const memberRows = open.length === 0 ? [] : await rows<{ key: string; recordKey: string }>(tx, sql`
    select k.key, b.record_key as "recordKey"
    from unnest(${textArray(open)}, ${pgArray(limits, 'int4')}) as k(key, lim)
    cross join lateral (select record_key from reconciler_blocks where key = k.key limit k.lim) as b`);
  clock?.lap('load.blocks');
  const found = new Map<string, string[]>(open.map((k) => [k, []]));
  for (const m of memberRows) found.get(m.key)!.push(m.recordKey);
  const others = new Set<string>();
  open.forEach((k, i) => {
    const members = found.get(k)!;
    if (members.length >= limits[i]!) {
      blocks.set(k, null);
      return;
    }
    const list = members.filter((r) => !records.has(r)).sort();
    for (const r of list) others.add(r);
    blocks.set(k, list);
  });
  // Candidates outside the batch: what scoring needs (normalised record, master), no payload.
  // Most candidates of a common name score below the match band; their masters are not read.
  for (const c of others.size === 0 ? [] : await rows<{ recordKey: string; normalised: NormalisedRecord; deleted: boolean; observedAt: string; masterId: string; linkScore: number | null }>(tx, sql`
    select r.record_key as "recordKey", r.normalised, r.deleted, r.observed_at as "observedAt", l.master_id as "masterId", l.score as "linkScore"
    from reconciler_source_records r join reconciler_links l on l.record_key = r.record_key where r.record_key = any(${textArray([...others])})`)) {
    // Outside the batch: its event id, blocking keys and link origin are never consulted.
    records.set(c.recordKey, { ...c, linked: null, eventId: '', blockingKeys: [], storedBlockingKeys: [], asserted: false, inBatch: false, stored: true });
  }
  clock?.lap('load.candidates');
  // Masters read whole and row-locked: the batch's own records' masters and those `wanted` names
  // (the candidates' masters the decisions may join, batch-decide.ts matchedMasters).
  const masterIds = new Set<string>(wanted({ records, blocks }));
  for (const r of records.values()) if (r.inBatch && r.masterId !== null) masterIds.add(r.masterId);
  clock?.lap('load.wanted');
  const masters = await loadMasters(tx, masterIds, new Set(batchKeys), clock);

  const neverLinks: Array<readonly [string, string]> = [];
  const farMasters = new Map<string, string>();
  if (masterIds.size > 0) {
    const ids = textArray([...masterIds]);
    for (const n of await rows<{ a: string; b: string; ma: string; mb: string }>(tx, sql`
      select n.record_a as a, n.record_b as b, la.master_id as ma, lb.master_id as mb from reconciler_never_links n
      join reconciler_links la on la.record_key = n.record_a join reconciler_links lb on lb.record_key = n.record_b
      where la.master_id = any(${ids}) or lb.master_id = any(${ids})`)) {
      neverLinks.push([n.a, n.b]);
      farMasters.set(n.a, n.ma);
      farMasters.set(n.b, n.mb);
    }
  }
  clock?.lap('load.never');
  return { records, blocks, markedOverfull, masters, neverLinks, farMasters };
}

/** Locks the masters' rows in id order (no deadlock between two batches) and reads their links. */
async function loadMasters(tx: Tx, masterIds: ReadonlySet<string>, batch: ReadonlySet<string>, clock?: LapClock): Promise<Map<string, MasterState>> {
  const out = new Map<string, MasterState>();
  if (masterIds.size === 0) return out;
  const ids = textArray([...masterIds].sort());
  const ms = await rows<{ masterId: string; seq: number; revision: number; status: 'active' | 'merged'; mergedInto: string | null }>(tx, sql`
    select master_id as "masterId", seq::float8 as seq, revision, status, merged_into as "mergedInto" from reconciler_masters
    where master_id = any(${ids}) order by master_id for update`);
  for (const m of ms) out.set(m.masterId, { ...m, storedRevision: m.revision, members: new Map(), batchMembers: new Set(), created: false });
  clock?.lap('load.masters');
  // Every linked record with its source and payload: survivorship of a touched master then needs
  // no second read.
  const links = await rows<LinkedRecord & { masterId: string; score: number | null; deleted: boolean; asserted: boolean }>(tx, sql`
    select l.master_id as "masterId", l.record_key as "recordKey", l.score, l.origin = 'asserted' as asserted, r.normalised, r.deleted,
      r.system, r.instance, r.record_id as "recordId", r.observed_at as "observedAt", r.payload
    from reconciler_links l join reconciler_source_records r on r.record_key = l.record_key
    where l.master_id = any(${ids})`);
  for (const l of links) {
    const m = out.get(l.masterId);
    if (m === undefined || batch.has(l.recordKey)) continue;
    const { masterId: _m, score, deleted, asserted, ...record } = l;
    m.members.set(l.recordKey, { score, normalised: l.normalised, deleted, asserted, record });
  }
  clock?.lap('load.links');
  return out;
}
