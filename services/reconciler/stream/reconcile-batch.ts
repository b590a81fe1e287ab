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
import { LapClock } from './lap-clock.ts';
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
  readonly ms: PhaseTotals;
  /** The same, per statement (`load.blocks`, `write.records`, …): which query a batch waits on. */
  readonly steps: Readonly<Record<string, number>>;
}

type PhaseTotals = { readonly [P in 'lock' | 'load' | 'decide' | 'write' | 'survive']: number };

/** A step `load.blocks` counts towards the phase `load`. */
function phaseTotals(laps: Readonly<Record<string, number>>): PhaseTotals {
  const t = { lock: 0, load: 0, decide: 0, write: 0, survive: 0 };
  for (const [step, ms] of Object.entries(laps)) t[step.split('.')[0] as keyof PhaseTotals] += ms;
  return t;
}

/** Normalisation and blocking keys: pure CPU, done before the transaction opens. */
export function prepareEvent(event: MemberObserved, rescan = false): PreparedEvent {
  const key = recordKey(event.source);
  const normalised = normaliseObservation(event.payload, key);
  return { event, key, normalised, blockingKeys: event.payload.deleted ? [] : blockingKeys(normalised), ...(rescan ? { rescan } : {}) };
}

/**
 * `rescan`: the events are stored revisions decided again (scan.ts), not new observations.
 * `progress`: called after each statement (the bus's heartbeat, port.ts BatchProgress).
 */
export async function reconcileBatch(db: Db, active: ActiveModel, events: readonly MemberObserved[], o: { rescan?: boolean; progress?: () => void } = {}): Promise<BatchOutcome> {
  const items = events.map((e) => prepareEvent(e, o.rescan === true));
  const recordKeys = [...new Set(items.map((i) => i.key))];
  const keys = [...new Set(items.flatMap((i) => i.blockingKeys))];
  return withRetry(() => db.transaction(async (tx): Promise<BatchOutcome> => {
    const clock = new LapClock(o.progress);
    await planForKeyLookups(tx);
    await lockKeys(tx, [...recordKeys.map((k) => `rec:${k}`), ...keys]);
    clock.lap('lock');
    const state = await loadBatch(tx, recordKeys, keys, active.model.config.blocking, (s) => matchedMasters(s, active.model, items), clock);
    const d = decideBatch(state, active.model, items);
    clock.lap('decide');
    const survived = surviveTouched(state, d);
    clock.lap('survive');
    await writeDecisions(tx, state, d, active.version, survived, clock);
    const changes = await writeSurvivorships(tx, state, d, survived, clock);
    const ms = phaseTotals(clock.laps);
    return { counts: d.counts, changes, pending: [...d.pending].filter((m) => !d.touched.has(m)), ms, steps: clock.laps };
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
