// A batch of member.observed events → the master data, in ONE transaction: lock the batch's
// record and blocking keys (locks.ts), read what the batch needs (batch-state.ts), decide event by
// event in memory (batch-decide.ts), write it all back in bulk (batch-write.ts). A batch of one is
// the single-event case, so there is one path. Idempotent by construction: the event id stored on
// a record makes a redelivery a no-op, and master ids derive from the creating record, so a
// replay onto an empty database issues the same ones.
import type { MemberObserved } from '../../../schemas/events/member-observed.ts';
import type { Db } from '../../db/database.ts';
import { blockingKeys } from '../blocking.ts';
import type { Model } from '../model.ts';
import { normaliseObservation } from '../normalise/index.ts';
import { decideBatch, matchedMasters, type Decisions, type PreparedEvent } from './batch-decide.ts';
import { loadBatch } from './batch-state.ts';
import { surviveTouched, writeDecisions, writeSurvivorships } from './batch-write.ts';
import { lockKeys } from './locks.ts';
import type { MasterChange } from './master-change.ts';
import { recordKey } from './record-key.ts';
import { planForKeyLookups } from './sql.ts';

export type { MasterChange } from './master-change.ts';

export interface ActiveModel { readonly version: string; readonly model: Model }

export interface BatchOutcome {
  readonly counts: Decisions['counts'];
  /** One change per master touched, at its final revision. */
  readonly changes: readonly MasterChange[];
  /** Masters of duplicate or stale events, whose last revision may not have gone out yet. */
  readonly pending: readonly string[];
  /** Milliseconds per phase of the (last) transaction: where a batch's time goes. */
  readonly ms: { readonly lock: number; readonly load: number; readonly decide: number; readonly write: number; readonly survive: number };
}

/** Normalisation and blocking keys: pure CPU, done before the transaction opens. */
export function prepareEvent(event: MemberObserved, rescan = false): PreparedEvent {
  const key = recordKey(event.source);
  const normalised = normaliseObservation(event.payload, key);
  return { event, key, normalised, blockingKeys: event.payload.deleted ? [] : blockingKeys(normalised), ...(rescan ? { rescan } : {}) };
}

/** `rescan`: the events are stored revisions decided again (scan.ts), not new observations. */
export async function reconcileBatch(db: Db, active: ActiveModel, events: readonly MemberObserved[], o: { rescan?: boolean } = {}): Promise<BatchOutcome> {
  const items = events.map((e) => prepareEvent(e, o.rescan === true));
  const recordKeys = [...new Set(items.map((i) => i.key))];
  const keys = [...new Set(items.flatMap((i) => i.blockingKeys))];
  return withRetry(() => db.transaction(async (tx): Promise<BatchOutcome> => {
    const t = [performance.now()];
    await planForKeyLookups(tx);
    await lockKeys(tx, [...recordKeys.map((k) => `rec:${k}`), ...keys]);
    t.push(performance.now());
    const state = await loadBatch(tx, recordKeys, keys, active.model.config.blocking, (s) => matchedMasters(s, active.model, items));
    t.push(performance.now());
    const d = decideBatch(state, active.model, items);
    t.push(performance.now());
    const survived = surviveTouched(state, d);
    t.push(performance.now());
    await writeDecisions(tx, state, d, active.version, survived);
    const changes = await writeSurvivorships(tx, state, d, survived);
    t.push(performance.now());
    const ms = { lock: t[1]! - t[0]!, load: t[2]! - t[1]!, decide: t[3]! - t[2]!, survive: t[4]! - t[3]!, write: t[5]! - t[4]! };
    return { counts: d.counts, changes, pending: [...d.pending].filter((m) => !d.touched.has(m)), ms };
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
