// Writes a batch's decisions back in bulk, inside the batch's transaction, so the statement count
// does not grow with the batch: rows that cannot collide with a stored one by COPY (copy-rows.ts),
// upserts and updates as one statement per table, each column an array parameter through unnest
// (sql.ts pgArray). Order matters only where it is visible: masters are inserted in
// creation order (seq decides which master keeps its id on a later merge) and link history rows
// in decision order (their ids order a record's history).
import { sql } from 'drizzle-orm';
import type { Decisions, PreparedEvent } from './batch-decide.ts';
import type { LoadedBatch } from './batch-state.ts';
import type { LapClock } from './lap-clock.ts';
import type { MasterChange } from './reconcile-batch.ts';
import { copyRows } from './copy-rows.ts';
import { masterIdFor } from './record-key.ts';
import { arrayLiteral, pgArray, textArray, type Tx } from './sql.ts';
import { survive, type LinkedRecord } from './survivorship.ts';

export interface Survived extends ReturnType<typeof survive> { readonly masterId: string }

/** Survivorship of every touched active master from all its linked records, in memory. */
export function surviveTouched(state: LoadedBatch, d: Decisions): Map<string, Survived> {
  const out = new Map<string, Survived>();
  for (const id of [...d.touched].sort()) {
    const m = state.masters.get(id)!;
    const linked: LinkedRecord[] = [...m.members.values()].map((x) => x.record);
    for (const k of m.batchMembers) linked.push(state.records.get(k)!.linked!);
    out.set(id, { masterId: id, ...survive(linked) });
  }
  return out;
}

export async function writeDecisions(tx: Tx, state: LoadedBatch, d: Decisions, modelVersion: string, survived: ReadonlyMap<string, Survived>, clock?: LapClock): Promise<void> {
  clock?.lap('write.prepare');
  // A record first seen in this batch has no row anywhere yet (its key is locked, and it was not
  // found under the lock), so its rows go in by COPY; a restated one replaces what is stored.
  const isNew = (key: string) => state.records.get(key)?.stored !== true;
  const [fresh, restated] = partition([...d.applied.values()], (e) => isNew(e.key));
  await copyRows(tx, 'reconciler_source_records (record_key, system, instance, record_id, event_id, observed_at, payload, normalised, blocking_keys, deleted)',
    fresh.map((e) => [e.key, e.event.source.system, e.event.source.instance, e.event.source.recordId, e.event.id, e.event.observedAt,
      JSON.stringify(e.event.payload), JSON.stringify(e.normalised), arrayLiteral(e.blockingKeys), e.event.payload.deleted]));
  if (restated.length > 0) {
    const col = <T extends string | number | boolean | null>(f: (e: (typeof restated)[number]) => T) => restated.map(f);
    await tx.execute(sql`
      insert into reconciler_source_records (record_key, system, instance, record_id, event_id, observed_at, payload, normalised, blocking_keys, deleted)
      select k, sys, inst, rid, ev, obs, p, n, array(select jsonb_array_elements_text(bk)), del
      from unnest(${pgArray(col((e) => e.key), 'text')}, ${pgArray(col((e) => e.event.source.system), 'text')}, ${pgArray(col((e) => e.event.source.instance), 'text')},
        ${pgArray(col((e) => e.event.source.recordId), 'text')}, ${pgArray(col((e) => e.event.id), 'text')}, ${pgArray(col((e) => e.event.observedAt), 'text')},
        ${pgArray(col((e) => JSON.stringify(e.event.payload)), 'json')}, ${pgArray(col((e) => JSON.stringify(e.normalised)), 'json')},
        ${pgArray(col((e) => JSON.stringify(e.blockingKeys)), 'jsonb')}, ${pgArray(col((e) => e.event.payload.deleted), 'bool')})
        as v(k, sys, inst, rid, ev, obs, p, n, bk, del)
      on conflict (record_key) do update set event_id = excluded.event_id, observed_at = excluded.observed_at, payload = excluded.payload,
        normalised = excluded.normalised, blocking_keys = excluded.blocking_keys, deleted = excluded.deleted, updated_at = now()`);
  }
  clock?.lap('write.records');
  // A restated record's old rows go by (key, record), the table's primary key.
  const old = restated.flatMap((e) => (state.records.get(e.key)?.storedBlockingKeys ?? []).map((k) => [k, e.key] as const));
  if (old.length > 0) {
    await tx.execute(sql`delete from reconciler_blocks b using unnest(${textArray(old.map(([k]) => k))}, ${textArray(old.map(([, r]) => r))}) as v(k, r)
      where b.key = v.k and b.record_key = v.r`);
  }
  // An over-full key gets no more rows: it is never read again.
  const blockRows = (e: PreparedEvent) => [...new Set(e.blockingKeys)].filter((k) => state.blocks.get(k) !== null).map((k) => [k, e.key] as const);
  await copyRows(tx, 'reconciler_blocks (key, record_key)', fresh.flatMap(blockRows));
  const bk = restated.flatMap(blockRows);
  if (bk.length > 0) {
    await tx.execute(sql`insert into reconciler_blocks (key, record_key) select * from unnest(${textArray(bk.map(([k]) => k))}, ${textArray(bk.map(([, r]) => r))}) on conflict do nothing`);
  }
  clock?.lap('write.blocks');
  const overfull = [...state.blocks].filter(([k, b]) => b === null && !state.markedOverfull.has(k)).map(([k]) => k);
  if (overfull.length > 0) await tx.execute(sql`insert into reconciler_overfull_keys (key) select * from unnest(${textArray(overfull)}) on conflict do nothing`);

  // Masters created here are written once, as the batch leaves them (fields survived, or a
  // tombstone if they merged away already), in creation order: seq decides a later merge. A master
  // named after a record first seen here (record-key.ts masterIdFor) cannot exist yet: COPY. Any
  // other goes through the upsert, in runs that keep the creation order across the two.
  const freshIds = new Set(fresh.map((e) => masterIdFor(e.key)));
  const times = new Map<string, number>();
  for (const id of d.created) times.set(id, (times.get(id) ?? 0) + 1);
  for (const [copy, ids] of runs(d.created, (id) => freshIds.has(id) && times.get(id) === 1)) {
    const ms = ids.map((id) => state.masters.get(id)!);
    const fieldsOf = (m: (typeof ms)[number]) => JSON.stringify(survived.get(m.masterId)?.fields ?? {});
    const mergedInto = (m: (typeof ms)[number]) => (m.status === 'merged' ? d.resolve(m.masterId) : null);
    if (copy) {
      await copyRows(tx, 'reconciler_masters (master_id, revision, status, merged_into, fields)', ms.map((m) => [m.masterId, m.revision, m.status, mergedInto(m), fieldsOf(m)]));
      continue;
    }
    await tx.execute(sql`
      insert into reconciler_masters (master_id, revision, status, merged_into, fields)
      select id, rev, st, mi, f
      from unnest(${textArray(ids)}, ${pgArray(ms.map((m) => m.revision), 'int4')}, ${textArray(ms.map((m) => m.status))},
        ${pgArray(ms.map(mergedInto), 'text')}, ${pgArray(ms.map(fieldsOf), 'json')}) with ordinality as v(id, rev, st, mi, f, o)
      order by o
      on conflict (master_id) do update set revision = excluded.revision, status = excluded.status, merged_into = excluded.merged_into,
        fields = excluded.fields, updated_at = now()`);
  }
  clock?.lap('write.masters');
  // A new record's link by COPY; a restated record's replaces its stored one.
  const [newLinks, relinks] = partition([...d.newLinks.values()], (l) => isNew(l.recordKey));
  await copyRows(tx, 'reconciler_links (record_key, master_id, state, origin, score, via_record_key, model_version, reason)',
    newLinks.map((x) => [x.recordKey, d.masterOf(x.recordKey), 'match', 'inferred', x.score, x.viaRecordKey, modelVersion, x.reason]));
  if (relinks.length > 0) {
    const l = relinks;
    await tx.execute(sql`
      insert into reconciler_links (record_key, master_id, state, origin, score, via_record_key, model_version, reason)
      select k, m, 'match', 'inferred', s, via, ${modelVersion}, r
      from unnest(${textArray(l.map((x) => x.recordKey))}, ${textArray(l.map((x) => d.masterOf(x.recordKey)))}, ${pgArray(l.map((x) => x.score), 'float8')},
        ${pgArray(l.map((x) => x.viaRecordKey), 'text')}, ${textArray(l.map((x) => x.reason))}) as v(k, m, s, via, r)
      on conflict (record_key) do update set master_id = excluded.master_id, state = excluded.state, origin = excluded.origin, score = excluded.score,
        via_record_key = excluded.via_record_key, model_version = excluded.model_version, reason = excluded.reason, updated_at = now()`);
  }
  if (d.moved.size > 0) {
    const moved = [...d.moved];
    await tx.execute(sql`
      update reconciler_links l set master_id = v.m, updated_at = now()
      from unnest(${textArray(moved)}, ${textArray(moved.map((k) => d.masterOf(k)))}) as v(k, m) where l.record_key = v.k`);
  }
  clock?.lap('write.links');
  // Append-only, in decision order (COPY keeps it: the serial ids order a record's history).
  await copyRows(tx, 'reconciler_link_history (record_key, master_id, previous_master_id, state, origin, score, model_version, reason, event_id)',
    d.history.map((x) => [x.recordKey, x.masterId, x.previousMasterId, 'match', 'inferred', x.score, modelVersion, x.reason, x.eventId]));
  clock?.lap('write.history');
  // A tombstone keeps no fields (the survivor has them), so whether a master lived through a
  // batch boundary before it merged leaves no trace.
  const losers = d.merged.map((m) => m.loser).filter((l) => !state.masters.get(l)!.created);
  if (losers.length > 0) {
    const finals = losers.map((l) => d.resolve(l));
    await tx.execute(sql`
      update reconciler_masters m set status = 'merged', merged_into = v.s, revision = v.rev, fields = '{}'::json, updated_at = now()
      from unnest(${textArray(losers)}, ${textArray(finals)}, ${pgArray(losers.map((l) => state.masters.get(l)!.revision), 'int4')}) as v(l, s, rev)
      where m.master_id = v.l`);
    // Older tombstones follow, so a lookup of any retired id reaches the live master in one step.
    await tx.execute(sql`
      update reconciler_masters m set merged_into = v.s from unnest(${textArray(losers)}, ${textArray(finals)}) as v(l, s)
      where m.merged_into = v.l and m.master_id <> all(${textArray(losers)})`);
    await tx.execute(sql`delete from reconciler_conflicts where master_id = any(${textArray(losers)})`);
    clock?.lap('write.merges');
  }
  if (d.review.length > 0) {
    const pairs = new Map<string, { a: string; b: string; score: number; reason: string }>();
    for (const r of d.review) {
      const [a, b] = r.a < r.b ? [r.a, r.b] : [r.b, r.a];
      if (!pairs.has(`${a}|${b}`)) pairs.set(`${a}|${b}`, { a, b, score: r.score, reason: r.reason });
    }
    const ps = [...pairs.values()];
    await tx.execute(sql`
      insert into reconciler_review_items (record_a, record_b, score, reason, model_version)
      select * , ${modelVersion} from unnest(${textArray(ps.map((p) => p.a))}, ${textArray(ps.map((p) => p.b))}, ${pgArray(ps.map((p) => p.score), 'float8')}, ${textArray(ps.map((p) => p.reason))})
      on conflict do nothing`);
    clock?.lap('write.review');
  }
}

/** Writes the survived fields of touched stored masters (created ones were inserted with theirs) and the conflicts; returns the changes to announce. */
export async function writeSurvivorships(tx: Tx, state: LoadedBatch, d: Decisions, survivedById: ReadonlyMap<string, Survived>, clock?: LapClock): Promise<MasterChange[]> {
  clock?.lap('write.other');
  const touched = [...d.touched].sort();
  const changes: MasterChange[] = [];
  if (touched.length > 0) {
    const survived = touched.map((id) => survivedById.get(id)!);
    const stored = touched.filter((id) => !state.masters.get(id)!.created);
    if (stored.length > 0) {
      await tx.execute(sql`
        update reconciler_masters m set fields = v.f, revision = v.rev, updated_at = now()
        from unnest(${textArray(stored)}, ${pgArray(stored.map((id) => JSON.stringify(survivedById.get(id)!.fields)), 'json')}, ${pgArray(stored.map((id) => state.masters.get(id)!.revision), 'int4')}) as v(id, f, rev)
        where m.master_id = v.id`);
      clock?.lap('write.survived');
      await tx.execute(sql`delete from reconciler_conflicts where master_id = any(${textArray(stored)})`);
    }
    const cs = survived.flatMap((s) => s.conflicts.map((c) => ({ masterId: s.masterId, field: c.field, values: JSON.stringify(c.values) })));
    if (cs.length > 0) {
      await tx.execute(sql`
        insert into reconciler_conflicts (master_id, field, values)
        select * from unnest(${textArray(cs.map((c) => c.masterId))}, ${textArray(cs.map((c) => c.field))}, ${pgArray(cs.map((c) => c.values), 'jsonb')})`);
      clock?.lap('write.conflicts');
    }
    for (const s of survived) {
      const m = state.masters.get(s.masterId)!;
      const absorbed = d.absorbed.get(s.masterId) ?? [];
      changes.push({ masterId: s.masterId, revision: m.revision, change: m.created ? 'created' : absorbed.length > 0 ? 'merged' : 'updated', related: absorbed, fields: s.fields });
    }
  }
  for (const { loser } of d.merged) {
    changes.push({ masterId: loser, revision: state.masters.get(loser)!.revision, change: 'retired', related: [d.resolve(loser)], fields: {} });
  }
  return changes;
}

/** Consecutive runs of items alike under `test`, in the order given. */
function runs<T>(items: readonly T[], test: (item: T) => boolean): Array<[boolean, T[]]> {
  const out: Array<[boolean, T[]]> = [];
  for (const x of items) {
    const t = test(x);
    const last = out[out.length - 1];
    if (last !== undefined && last[0] === t) last[1].push(x);
    else out.push([t, [x]]);
  }
  return out;
}

/** The items `test` holds for, then the rest, each in the order given. */
function partition<T>(items: readonly T[], test: (item: T) => boolean): [T[], T[]] {
  const yes: T[] = [];
  const no: T[] = [];
  for (const x of items) (test(x) ? yes : no).push(x);
  return [yes, no];
}
