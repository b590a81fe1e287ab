// One member.observed event → the master data, in ONE transaction under advisory locks on the
// record's key and blocking keys (locks.ts). The decision itself is the core's: candidates from
// the stored blocks, scored by scorePair with the stored model; match-band candidates pull the
// record into their master, and several such masters merge unless that would put two different
// valid ID numbers into one master (the never-link rule holds for masters, not only for pairs).
// Idempotent by construction: the event id stored on the record makes a redelivery a no-op, and
// master ids derive from the creating record, so a replay onto an empty database issues the same.
import type { MemberObserved } from '../../../schemas/events/member-observed.ts';
import type { Db } from '../../db/database.ts';
import { blockingKeys } from '../blocking.ts';
import type { Model } from '../model.ts';
import { normaliseObservation, type NormalisedRecord } from '../normalise/index.ts';
import { scorePair } from '../score.ts';
import { lockKeys } from './locks.ts';
import { masterIdFor, recordKey } from './record-key.ts';
import {
  addReviewItems, createMaster, findCandidates, forbiddenPairs, linkedRecords, lockMasters, lockRecord, mergeMasters, upsertRecord, writeLink, writeSurvivorship,
} from './repository.ts';
import { survive } from './survivorship.ts';

export interface ActiveModel { readonly version: string; readonly model: Model }

export interface MasterChange {
  readonly masterId: string;
  readonly revision: number;
  readonly change: 'created' | 'updated' | 'merged' | 'split' | 'retired';
  readonly related: readonly string[];
  readonly fields: Record<string, unknown>;
}

export type Outcome =
  | { readonly kind: 'duplicate' | 'stale'; readonly masterId: string | null }
  | { readonly kind: 'applied'; readonly masterId: string; readonly changes: readonly MasterChange[]; readonly refusedMerges: number };

interface Evidence { weight: number; via: string; reason: string }

function evidenceOf(model: Model, x: NormalisedRecord, y: NormalisedRecord, via: string) {
  const s = scorePair(model, x, y);
  const reason = s.rule.decision === 'match' ? `rule ${s.rule.rule} with ${via}` : `weight ${s.weight.toFixed(2)} ≥ ${model.config.thresholds.match} with ${via}`;
  return { s, evidence: { weight: s.weight, via, reason } satisfies Evidence };
}

export async function reconcileEvent(db: Db, active: ActiveModel, event: MemberObserved): Promise<Outcome> {
  const { model, version } = active;
  const key = recordKey(event.source);
  const norm = normaliseObservation(event.payload, key);
  const deleted = event.payload.deleted;
  const keys = deleted ? [] : blockingKeys(norm);
  return withRetry(() => db.transaction(async (tx): Promise<Outcome> => {
    await lockKeys(tx, [`rec:${key}`, ...keys]);
    const stored = await lockRecord(tx, key);
    if (stored !== null && (stored.eventId === event.id || Date.parse(stored.observedAt) > Date.parse(event.observedAt))) {
      return { kind: stored.eventId === event.id ? 'duplicate' : 'stale', masterId: stored.masterId };
    }
    await upsertRecord(tx, { recordKey: key, ...event.source, eventId: event.id, observedAt: event.observedAt, payload: event.payload, normalised: norm, blockingKeys: keys, deleted }, stored === null);
    const current = stored?.masterId ?? null;

    // Score every candidate; keep the strongest match-band evidence per master.
    const best = new Map<string, Evidence>();
    const possible: Array<{ other: string; masterId: string; weight: number }> = [];
    for (const c of await findCandidates(tx, keys, key, model.config.blocking.maxBlockSize)) {
      const { s, evidence } = evidenceOf(model, norm, c.normalised, c.recordKey);
      if (s.band === 'match') {
        const had = best.get(c.masterId);
        if (had === undefined || evidence.weight > had.weight) best.set(c.masterId, evidence);
      } else if (s.band === 'possible') possible.push({ other: c.recordKey, masterId: c.masterId, weight: s.weight });
    }

    // Strongest first; a master is joined only if the valid ID numbers stay at most one.
    const info = await lockMasters(tx, [...(current === null ? [] : [current]), ...best.keys()]);
    const chosen: string[] = current === null ? [] : [current];
    const ids = new Set<string>([...(current === null ? [] : info.get(current)?.ids ?? []), ...(norm.idNumber === null ? [] : [norm.idNumber])]);
    const refused: Array<{ a: string; b: string; score: number }> = [];
    // A steward's split outranks any evidence: masters it keeps apart are never joined (lessons §5).
    const apart = await forbiddenPairs(tx, [...info.keys()]);
    let stewardRefused = 0;
    const ordered = [...best].sort(([ma, a], [mb, b]) => b.weight - a.weight || (ma < mb ? -1 : 1));
    for (const [m, e] of ordered) {
      if (chosen.includes(m)) continue;
      if (chosen.some((c) => apart.has(`${c}|${m}`))) {
        stewardRefused++;
        continue;
      }
      const union = new Set([...ids, ...(info.get(m)?.ids ?? [])]);
      if (union.size > 1) {
        refused.push({ a: key, b: e.via, score: Number.isFinite(e.weight) ? e.weight : model.config.thresholds.match });
        continue;
      }
      chosen.push(m);
      for (const x of union) ids.add(x);
    }

    const created = chosen.length === 0;
    const survivor = created ? masterIdFor(key) : chosen.reduce((a, b) => ((info.get(a)?.seq ?? 0) <= (info.get(b)?.seq ?? 0) ? a : b));
    if (created) await createMaster(tx, survivor);
    const losers = chosen.filter((m) => m !== survivor);
    await mergeMasters(tx, survivor, losers, version, event.id);
    if (current === null) {
      const deciding = ordered.find(([m]) => chosen.includes(m))?.[1];
      await writeLink(tx, {
        recordKey: key, masterId: survivor, previousMasterId: null, modelVersion: version, eventId: event.id,
        score: deciding !== undefined && Number.isFinite(deciding.weight) ? deciding.weight : null,
        viaRecordKey: deciding?.via ?? null,
        reason: deciding?.reason ?? 'no candidate above the match threshold: new master',
      });
    }
    // Between the thresholds, and not already together: a steward's review item.
    const review = possible.filter((p) => !chosen.includes(p.masterId) && p.masterId !== survivor).map((p) => ({ a: key, b: p.other, score: p.weight }));
    await addReviewItems(tx, [...review, ...refused], version);

    const { fields, conflicts } = survive(await linkedRecords(tx, survivor));
    const revision = await writeSurvivorship(tx, survivor, fields, conflicts);
    const changes: MasterChange[] = [
      { masterId: survivor, revision, change: created ? 'created' : losers.length > 0 ? 'merged' : 'updated', related: losers, fields },
      ...losers.map((l): MasterChange => ({ masterId: l, revision: (info.get(l)?.revision ?? 0) + 1, change: 'retired', related: [survivor], fields: {} })),
    ];
    return { kind: 'applied', masterId: survivor, changes, refusedMerges: refused.length + stewardRefused };
  }));
}

/** Deadlocks (40P01) and serialization failures (40001) are retried: the transaction did nothing. */
async function withRetry<T>(fn: () => Promise<T>, attempts = 5): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await fn();
    } catch (err) {
      const code = (err as { code?: string; cause?: { code?: string } }).code ?? (err as { cause?: { code?: string } }).cause?.code;
      if (i >= attempts || (code !== '40P01' && code !== '40001')) throw err;
      await new Promise((r) => setTimeout(r, 10 * i * Math.random()));
    }
  }
}
