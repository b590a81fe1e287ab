// The reconciler's decisions for a batch, in memory, one event after the other in offset order —
// exactly what one transaction per event would decide, since every read below sees the effect of
// the events before it. For each event: candidates from the bounded blocks; match-band candidates
// pull the record into their master (unless masters known to be different people share its odds
// too evenly: competing.ts), and several such masters merge unless that would put two
// different valid ID numbers into one master (the never-link rule holds for masters, not only for
// pairs), a record of one side contradicts a record of the other, or a steward's never-link keeps
// them apart. Master ids derive from the creating record,
// revisions count events, so batch boundaries leave no trace in the result.
import type { MemberObserved } from '../../../schemas/events/member-observed.ts';
import type { Model } from '../model.ts';
import type { NormalisedRecord } from '../normalise/index.ts';
import { blockLimit } from '../blocking.ts';
import { contradicts } from '../contradiction.ts';
import { scorePair } from '../score.ts';
import { unionOverlap } from '../system-overlap.ts';
import type { LoadedBatch, MasterState, RecordState } from './batch-state.ts';
import { competeForRecord, type MasterEvidence } from '../competing.ts';
import { clusterNeighbourhood, type Neighbourhood, type Node } from './neighbourhood.ts';
import { masterIdFor } from './record-key.ts';
import * as why from './review-reason.ts';

export interface PreparedEvent {
  readonly event: MemberObserved;
  readonly key: string;
  readonly normalised: NormalisedRecord;
  readonly blockingKeys: readonly string[];
  /**
   * The stored revision of the record, decided again (scan.ts): nothing is rewritten and no
   * revision moves unless the decision now joins masters or re-links the record.
   */
  readonly rescan?: boolean;
}

export interface NewLink { readonly recordKey: string; readonly score: number | null; readonly viaRecordKey: string | null; readonly reason: string }
export interface HistoryRow {
  readonly recordKey: string; readonly masterId: string; readonly previousMasterId: string | null;
  readonly score: number | null; readonly reason: string; readonly eventId: string;
}
export interface ReviewPair {
  readonly a: string;
  readonly b: string;
  readonly score: number;
  /** Why it went to review (review-reason.ts). */
  readonly reason: string;
}

export interface Decisions {
  /** The last applied revision of each record of the batch, by key. */
  readonly applied: Map<string, PreparedEvent>;
  /** The link each record of the batch ends with, by key: a record linked twice (re-linked after a restatement) keeps its last. */
  readonly newLinks: Map<string, NewLink>;
  readonly history: HistoryRow[];
  /** Masters created, in creation order. */
  readonly created: string[];
  /** Masters merged away, in merge order, each with the master it merged into at the time. */
  readonly merged: Array<{ loser: string; survivor: string }>;
  /** Stored records (in or out of the batch) whose master changed through a merge. */
  readonly moved: Set<string>;
  readonly review: ReviewPair[];
  /** Masters of duplicate or stale events: their last revision may still be unpublished. */
  readonly pending: Set<string>;
  readonly counts: {
    applied: number; duplicates: number; stale: number; created: number; merges: number; refusedMerges: number; relinked: number;
    /** Events whose refused union was decided again over the neighbourhood (neighbourhood.ts). */
    reclustered: number;
    /** Stored records taken out of their master into the event's by those decisions. */
    pulled: number;
  };
  /** Masters whose fields must be survived again (active at the end). */
  readonly touched: Set<string>;
  /** Survivors that absorbed others in this batch → the masters they absorbed. */
  readonly absorbed: Map<string, string[]>;
  resolve(masterId: string): string;
  masterOf(recordKey: string): string;
}

interface Evidence { weight: number; via: string; reason: string }

/** Records decided again together at most (every pair is scored). */
const MAX_NEIGHBOURHOOD = 60;

/**
 * The stored masters some event of the batch has match-band evidence for: the only candidates'
 * masters the decisions can join (a pair's score depends on the two records alone, and the
 * decisions see these very candidates), so the only ones the load must read whole.
 */
export function matchedMasters(s: Pick<LoadedBatch, 'records' | 'blocks'>, model: Model, items: readonly PreparedEvent[]): Set<string> {
  const out = new Set<string>();
  for (const item of items) {
    const seen = new Set<string>();
    for (const k of item.blockingKeys) {
      for (const c of s.blocks.get(k) ?? []) {
        if (seen.has(c)) continue;
        seen.add(c);
        const r = s.records.get(c);
        if (r === undefined || r.deleted || r.masterId === null || out.has(r.masterId)) continue;
        if (scorePair(model, item.normalised, r.normalised).band === 'match') out.add(r.masterId);
      }
    }
  }
  return out;
}

export function decideBatch(state: LoadedBatch, model: Model, items: readonly PreparedEvent[]): Decisions {
  const { records, blocks, masters } = state;
  // The batch's own members of each block (its stored records' old keys, then its new ones).
  const batchBlocks = new Map<string, Set<string>>();
  // A key is over-full from the moment a member has more others in it than its bound, and stays so
  // (even if members leave later): the moment, not the batch's end, so batch boundaries do not
  // change which events see it.
  const joinBlocks = (key: string, keys: readonly string[]) => {
    for (const k of keys) {
      let s = batchBlocks.get(k);
      if (s === undefined) batchBlocks.set(k, (s = new Set()));
      s.add(key);
      const stored = blocks.get(k);
      if (stored !== null && stored !== undefined && stored.length + s.size - 1 > blockLimit(model.config.blocking, k)) blocks.set(k, null);
    }
  };
  for (const r of records.values()) {
    if (!r.inBatch) continue;
    joinBlocks(r.recordKey, r.blockingKeys);
    if (r.masterId !== null) masters.get(r.masterId)?.batchMembers.add(r.recordKey);
  }
  let nextSeq = Number.MAX_SAFE_INTEGER / 2;
  const resolve = (m: string): string => {
    let id = m;
    for (let s = masters.get(id); s !== undefined && s.status === 'merged' && s.mergedInto !== null; s = masters.get(id)) id = s.mergedInto;
    return id;
  };
  // Stored records outside `records` (read only as a master's members) that changed master here.
  const placed = new Map<string, string>();
  const masterOf = (recordKey: string): string => resolve(records.get(recordKey)?.masterId ?? placed.get(recordKey) ?? state.farMasters.get(recordKey) ?? '');
  /** The live records of a master now (stored ones outside the batch and the batch's own), with their keys, but `except`. */
  const liveNodes = (m: MasterState, except?: string): Node[] => {
    const out: Node[] = [];
    for (const [k, x] of m.members) if (!x.deleted) out.push({ key: k, normalised: x.normalised });
    for (const k of m.batchMembers) {
      const r = records.get(k)!;
      if (k !== except && !r.deleted) out.push({ key: k, normalised: r.normalised });
    }
    return out;
  };
  const liveRecords = (m: MasterState, except?: string): NormalisedRecord[] => liveNodes(m, except).map((n) => n.normalised);
  const idsOf = (m: MasterState): Set<string> => new Set(liveRecords(m).flatMap((r) => (r.idNumber === null ? [] : [r.idNumber])));
  const neverPairs = new Set(state.neverLinks.map(([x, y]) => `${x}\u0000${y}`));
  const neverLinked = (a: string, b: string) => neverPairs.has(`${a}\u0000${b}`) || neverPairs.has(`${b}\u0000${a}`);
  const apart = (a: string, b: string) => state.neverLinks.some(([x, y]) => {
    const [mx, my] = [masterOf(x), masterOf(y)];
    return (mx === a && my === b) || (mx === b && my === a);
  });

  const d: Decisions = {
    applied: new Map(), newLinks: new Map(), history: [], created: [], merged: [], moved: new Set(), review: [], pending: new Set(),
    counts: { applied: 0, duplicates: 0, stale: 0, created: 0, merges: 0, refusedMerges: 0, relinked: 0, reclustered: 0, pulled: 0 },
    touched: new Set(), absorbed: new Map(), resolve, masterOf,
  };
  const bump = (m: string) => {
    masters.get(m)!.revision++;
    d.touched.add(m);
  };

  for (const item of items) {
    const { event, key, normalised: norm, blockingKeys: keys } = item;
    const stored = records.get(key);
    if (item.rescan === true && (stored === undefined || stored.eventId !== event.id || stored.masterId === null)) continue; // changed since read
    if (item.rescan !== true && stored !== undefined && (stored.eventId === event.id || Date.parse(stored.observedAt) > Date.parse(event.observedAt))) {
      if (stored.eventId === event.id) d.counts.duplicates++; else d.counts.stale++;
      if (stored.masterId !== null) d.pending.add(resolve(stored.masterId));
      continue;
    }
    // The new revision replaces the stored one, and its blocks replace the old blocks.
    if (stored !== undefined) for (const k of stored.blockingKeys) batchBlocks.get(k)?.delete(key);
    joinBlocks(key, keys);
    const rec: RecordState = stored ?? { recordKey: key, linked: null, eventId: event.id, observedAt: event.observedAt, normalised: norm, blockingKeys: keys, storedBlockingKeys: [], deleted: event.payload.deleted, masterId: null, linkScore: null, asserted: false, inBatch: true, stored: false };
    const linked = { recordKey: key, ...event.source, observedAt: event.observedAt, payload: event.payload, normalised: norm };
    Object.assign(rec, { linked, eventId: event.id, observedAt: event.observedAt, normalised: norm, blockingKeys: keys, deleted: event.payload.deleted, inBatch: true });
    records.set(key, rec);
    if (item.rescan !== true) {
      d.applied.set(key, item);
      d.counts.applied++;
    }
    let current = rec.masterId === null ? null : resolve(rec.masterId);
    // An update that now contradicts the rest of its master (another valid ID number, a different
    // birth date…) takes the record out: it is linked again below as if new, and the master it
    // leaves keeps its id and its other records. A link a steward asserted stays (lessons §5).
    let relinkedFrom: string | null = null;
    if (current !== null && !rec.deleted && !rec.asserted && contradictsRest(masters.get(current)!, key, norm)) {
      masters.get(current)!.batchMembers.delete(key);
      bump(current);
      relinkedFrom = current;
      d.counts.relinked++;
      current = null;
      rec.masterId = null;
    }

    // Score every candidate; keep the strongest match-band evidence per master.
    const best = new Map<string, Evidence>();
    const scored = new Map<string, MasterEvidence>();
    const possible: Array<{ other: string; masterId: string; weight: number; reason: string }> = [];
    for (const c of candidatesOf(key, keys)) {
      const other = records.get(c)!;
      const s = scorePair(model, norm, other.normalised);
      const m = resolve(other.masterId!);
      if (s.band === 'match') {
        const reason = s.rule.decision === 'match' ? `rule ${s.rule.rule} with ${c}` : `weight ${s.weight.toFixed(2)} ≥ ${model.config.thresholds.match} with ${c}`;
        const had = best.get(m);
        if (had === undefined || s.weight > had.weight) best.set(m, { weight: s.weight, via: c, reason });
      } else if (s.band === 'possible') possible.push({ other: c, masterId: m, weight: s.weight, reason: why.betweenThresholds(model, s.weight) });
      if (s.band !== 'non-match') {
        const had = scored.get(m);
        if (had === undefined || s.weight > had.weight) scored.set(m, { weight: s.weight, via: c });
      }
    }
    // Masters known to be different people share the record's odds (competing.ts).
    for (const lost of competeForRecord(model, best, scored, (k) => records.get(k)!.normalised)) possible.push({ other: lost.via, masterId: lost.masterId, weight: lost.weight, reason: why.competing(model, lost.weight) });

    // Strongest first; a master is joined only if the valid ID numbers stay at most one.
    const chosen: string[] = current === null ? [] : [current];
    const ids = new Set<string>(current === null ? [] : idsOf(masters.get(current)!));
    if (norm.idNumber !== null) ids.add(norm.idNumber);
    let refused: ReviewPair[] = [];
    const refusedMasters: string[] = [];
    let stewardRefused = 0;
    // The records the master will hold: a master joins only if none of its records contradicts
    // one of these (contradiction.ts — the offline clustering asks the same question).
    const group: NormalisedRecord[] = [norm, ...(current === null ? [] : liveRecords(masters.get(current)!, key))];
    const ordered = [...best].sort(([ma, a], [mb, b]) => b.weight - a.weight || (ma < mb ? -1 : 1));
    for (const [m, e] of ordered) {
      if (chosen.includes(m)) continue;
      if (!masters.has(m)) throw new Error(`reconciler batch: master ${m} of a match-band candidate was not loaded (matchedMasters missed it)`);
      // A steward's split outranks any evidence: masters it keeps apart are never joined (lessons §5).
      if (chosen.some((c) => apart(c, m))) {
        stewardRefused++;
        continue;
      }
      const union = new Set([...ids, ...idsOf(masters.get(m)!)]);
      const theirs = liveRecords(masters.get(m)!);
      // Both sides holding a record of one system: weighed against that system's prior (system-overlap.ts).
      const overlap = unionOverlap(model, e.weight, norm, records.get(e.via)!.normalised, group, theirs);
      if (overlap !== null && overlap.weight < model.config.thresholds.match) {
        possible.push({ other: e.via, masterId: m, weight: overlap.weight, reason: why.sameSystemUnion(model, e.weight, overlap) });
        continue;
      }
      if (union.size > 1 || theirs.some((y) => group.some((x) => contradicts(model, x, y)))) {
        refused.push({ a: key, b: e.via, score: Number.isFinite(e.weight) ? e.weight : model.config.thresholds.match, reason: why.refusedUnion(union.size > 1) });
        refusedMasters.push(m);
        continue;
      }
      chosen.push(m);
      group.push(...theirs);
      for (const x of union) ids.add(x);
    }
    // A refused union: decide the neighbourhood as the offline core would (neighbourhood.ts).
    const re = refusedMasters.length === 0 || rec.deleted ? null : recluster(key, norm, current, chosen, refusedMasters);
    let pulls: Array<{ from: string; keys: string[] }> = [];
    let deciding: Evidence | undefined;
    if (re !== null) {
      chosen.length = 0;
      chosen.push(...re.full);
      pulls = re.pulls;
      refused = [];
      for (const [m, e] of ordered) {
        if (!re.cluster.has(e.via) && !chosen.includes(m) && !(current !== null && m === current)) refused.push({ a: key, b: e.via, score: Number.isFinite(e.weight) ? e.weight : model.config.thresholds.match, reason: why.LEFT_APART });
      }
      if (re.deciding !== null) {
        const w = re.deciding.weight;
        deciding = { weight: w, via: re.deciding.via, reason: re.deciding.rule !== null ? `rule ${re.deciding.rule} with ${re.deciding.via}` : `weight ${w.toFixed(2)} ≥ ${model.config.thresholds.match} with ${re.deciding.via}` };
      }
      d.counts.reclustered++;
    } else deciding = ordered.find(([m]) => chosen.includes(m))?.[1];

    const created = chosen.length === 0;
    const survivor = created ? masterIdFor(key) : chosen.reduce((a, b) => (masters.get(a)!.seq <= masters.get(b)!.seq ? a : b));
    if (created) {
      masters.set(survivor, {
        masterId: survivor, seq: nextSeq++, revision: 0, storedRevision: 0, status: 'active', mergedInto: null,
        members: new Map(), batchMembers: new Set(), created: true,
      });
      d.created.push(survivor);
      d.counts.created++;
    }
    const s = masters.get(survivor)!;
    const losers = chosen.filter((m) => m !== survivor);
    for (const l of losers) mergeInto(s, masters.get(l)!, event.id);
    for (const p of pulls) moveInto(s, masters.get(p.from)!, p.keys, key, event.id);
    if (current === null) {
      const why = deciding?.reason ?? 'no candidate above the match threshold: new master';
      const link: NewLink = {
        recordKey: key,
        score: deciding !== undefined && Number.isFinite(deciding.weight) ? deciding.weight : null,
        viaRecordKey: deciding?.via ?? null,
        reason: relinkedFrom === null ? why : `updated record contradicts the rest of ${relinkedFrom}: re-linked, ${why}`,
      };
      d.newLinks.set(key, link);
      d.history.push({ recordKey: key, masterId: survivor, previousMasterId: relinkedFrom, score: link.score, reason: link.reason, eventId: event.id });
      rec.masterId = survivor;
      rec.linkScore = link.score;
      s.batchMembers.add(key);
    }
    // Between the thresholds, and not already together: a steward's review item.
    for (const p of possible) if (!chosen.includes(p.masterId) && p.masterId !== survivor) d.review.push({ a: key, b: p.other, score: p.weight, reason: p.reason });
    d.review.push(...refused);
    d.counts.refusedMerges += refused.length + stewardRefused;
    if (item.rescan !== true || losers.length > 0 || pulls.length > 0 || relinkedFrom !== null) bump(survivor);
  }
  for (const m of [...d.touched]) if (masters.get(m)!.status !== 'active') d.touched.delete(m);
  return d;

  /**
   * The event's record against the masters it has match-band evidence for (its own first, if any),
   * decided as the offline core would over all their live records. Null keeps the arrival-order
   * decision: nothing differs, the neighbourhood is too large, the result would split the record's
   * own master or hold two valid ID numbers, or it would move a record a steward linked.
   */
  function recluster(self: string, norm: NormalisedRecord, current: string | null, chosen: readonly string[], refusedMasters: readonly string[]):
    { full: string[]; pulls: Array<{ from: string; keys: string[] }>; cluster: ReadonlySet<string>; deciding: Neighbourhood['deciding'] } | null {
    const involved = [...chosen, ...refusedMasters];
    const nodes: Node[] = [{ key: self, normalised: norm }];
    const byMaster = new Map<string, Node[]>();
    for (const m of involved) {
      const ns = liveNodes(masters.get(m)!, self);
      byMaster.set(m, ns);
      nodes.push(...ns);
      if (nodes.length > MAX_NEIGHBOURHOOD) return null;
    }
    const { cluster, deciding } = clusterNeighbourhood(model, nodes, neverLinked);
    const full: string[] = [];
    const pulls: Array<{ from: string; keys: string[] }> = [];
    for (const [m, ns] of byMaster) {
      const inside = ns.filter((x) => cluster.has(x.key)).map((x) => x.key);
      if (inside.length === ns.length) full.push(m);
      else if (m === current) return null;
      else if (inside.length > 0) {
        // A master a steward shaped keeps its records.
        if (ns.some((x) => assertedLink(masters.get(m)!, x.key))) return null;
        pulls.push({ from: m, keys: inside });
      }
    }
    if (pulls.length === 0 && full.length === chosen.length && chosen.every((m) => full.includes(m))) return null;
    if (full.length === 0 && current === null && masters.has(masterIdFor(self))) return null;
    const ids = new Set(nodes.filter((x) => cluster.has(x.key) && x.normalised.idNumber !== null).map((x) => x.normalised.idNumber!));
    if (ids.size > 1) return null;
    // The arrival-order checks between whole masters still hold for what joins whole.
    if (full.some((a) => full.some((b) => a < b && apart(a, b)))) return null;
    return { full, pulls, cluster, deciding };
  }

  /** A steward asserted the record's link (the batch's own records and stored members both carry it). */
  function assertedLink(m: MasterState, k: string): boolean {
    const r = records.get(k);
    if (r !== undefined && r.inBatch) return r.asserted;
    return m.members.get(k)?.asserted === true;
  }

  /** Records of `from` that the event's cluster takes: they move to `to` (with history); `from` keeps its id and the rest. */
  function moveInto(to: MasterState, from: MasterState, keys: readonly string[], by: string, eventId: string): void {
    const reason = `taken from ${from.masterId} into ${to.masterId} with ${by}: the records' neighbourhood clusters them together`;
    for (const k of [...keys].sort()) {
      const member = from.members.get(k);
      const r = records.get(k);
      if (member !== undefined) {
        from.members.delete(k);
        to.members.set(k, member);
      } else {
        from.batchMembers.delete(k);
        to.batchMembers.add(k);
      }
      if (r !== undefined) r.masterId = to.masterId;
      else placed.set(k, to.masterId);
      d.history.push({ recordKey: k, masterId: to.masterId, previousMasterId: from.masterId, score: member?.score ?? r?.linkScore ?? null, reason, eventId });
      if (r?.stored !== false) d.moved.add(k);
      d.counts.pulled++;
    }
    bump(from.masterId);
  }

  /** True when the record's new revision cannot stay with the other live records of its master. */
  function contradictsRest(m: MasterState, self: string, norm: NormalisedRecord): boolean {
    const rest = liveRecords(m, self);
    if (norm.idNumber !== null && rest.some((y) => y.idNumber !== null && y.idNumber !== norm.idNumber)) return true;
    return rest.some((y) => contradicts(model, norm, y));
  }

  /** Linked, live records sharing a bounded block with the record, in record-key order. */
  function candidatesOf(self: string, keys: readonly string[]): string[] {
    const out = new Set<string>();
    for (const k of keys) {
      const stored = blocks.get(k);
      if (stored === null || stored === undefined) continue;
      const mine = batchBlocks.get(k);
      for (const r of stored) out.add(r);
      if (mine !== undefined) for (const r of mine) if (r !== self) out.add(r);
    }
    return [...out].filter((r) => {
      const x = records.get(r);
      return x !== undefined && !x.deleted && x.masterId !== null;
    }).sort();
  }

  /** Every record of the loser moves to the survivor (with history); the loser is a tombstone. */
  function mergeInto(s: MasterState, l: MasterState, eventId: string): void {
    const reason = `master ${l.masterId} merged into ${s.masterId}`;
    const moved: Array<[string, number | null]> = [...l.members].map(([k, m]) => [k, m.score]);
    for (const k of l.batchMembers) moved.push([k, records.get(k)!.linkScore]);
    moved.sort(([a], [b]) => (a < b ? -1 : 1));
    for (const [k, score] of moved) {
      d.history.push({ recordKey: k, masterId: s.masterId, previousMasterId: l.masterId, score, reason, eventId });
      if (records.get(k)?.stored !== false) d.moved.add(k);
      const r = records.get(k);
      if (r !== undefined) r.masterId = s.masterId;
      else placed.set(k, s.masterId);
    }
    for (const [k, m] of l.members) s.members.set(k, m);
    for (const k of l.batchMembers) s.batchMembers.add(k);
    l.members.clear();
    l.batchMembers.clear();
    l.status = 'merged';
    l.mergedInto = s.masterId;
    l.revision++;
    d.touched.add(l.masterId);
    d.merged.push({ loser: l.masterId, survivor: s.masterId });
    d.absorbed.set(s.masterId, [...(d.absorbed.get(s.masterId) ?? []), l.masterId]);
    d.counts.merges++;
  }
}
