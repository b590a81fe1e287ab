// The reconciler as a bus consumer: member.observed in, master data and master.updated out.
// Offsets are committed only after the handler returns (the bus's commit-after-handle), and the
// handler's database work is one transaction, so a crash at any point either lost nothing or is
// redelivered into an idempotent no-op. `drain` runs until the topic's ends seen at start.
import type { Logger } from 'pino';
import { NonRetriableError } from '../../../schemas/errors.ts';
import { memberObserved } from '../../../schemas/events/member-observed.ts';
import type { BusMessage, EventBus } from '../../bus/port.ts';
import type { Db } from '../../db/database.ts';
import type { ModelConfig } from '../model-config.ts';
import { ensureModel, type StoredModel } from './model-store.ts';
import { publishChanges, publishPending } from './publish.ts';
import { reconcileEvent } from './reconcile-event.ts';

export const RECONCILER_GROUP = 'reconciler';
export const MEMBER_TOPIC = 'member.observed';
/**
 * Partitions reconciled at once per process. Safe because every event's transaction locks its
 * blocking keys (sorted) before it reads candidates; on PGlite, transactions serialise anyway.
 */
export const RECONCILER_CONCURRENCY = 3;

export interface ReconcilerOptions {
  readonly db: Db;
  readonly bus: EventBus;
  readonly logger: Logger;
  readonly groupId?: string;
  /** Events sampled (spread over partitions) to estimate the model when none is stored. */
  readonly sampleSize?: number;
  readonly config?: ModelConfig;
  readonly onProgress?: (stats: ReconcilerStats) => void;
  readonly sessionTimeoutMs?: number;
}

export interface ReconcilerStats {
  handled: number;
  applied: number;
  duplicates: number;
  stale: number;
  invalid: number;
  created: number;
  merges: number;
  refusedMerges: number;
}

export function newStats(): ReconcilerStats {
  return { handled: 0, applied: 0, duplicates: 0, stale: 0, invalid: 0, created: 0, merges: 0, refusedMerges: 0 };
}

export function makeHandler(o: ReconcilerOptions, active: StoredModel, stats: ReconcilerStats) {
  return async (m: BusMessage): Promise<void> => {
    let parsed;
    try {
      parsed = memberObserved.safeParse(JSON.parse(m.value.toString('utf8')));
    } catch (err) {
      stats.invalid++;
      throw new NonRetriableError(`member.observed is not JSON: ${(err as Error).message}`, { rule: 'json' });
    }
    if (!parsed.success) {
      stats.invalid++;
      throw new NonRetriableError(`not a member.observed event: ${parsed.error.issues[0]?.message ?? 'schema'}`, { rule: 'schema' });
    }
    const outcome = await reconcileEvent(o.db, active, parsed.data);
    stats.handled++;
    if (outcome.kind === 'applied') {
      stats.applied++;
      stats.refusedMerges += outcome.refusedMerges;
      for (const c of outcome.changes) if (c.change === 'created') stats.created++; else if (c.change === 'retired') stats.merges++;
      await publishChanges(o.db, o.bus, outcome.changes);
    } else {
      if (outcome.kind === 'duplicate') stats.duplicates++; else stats.stale++;
      if (outcome.masterId !== null) await publishPending(o.db, o.bus, outcome.masterId);
    }
    o.onProgress?.(stats);
  };
}

/** Consumes member.observed until every partition reaches the end it had at start, then leaves. */
export async function drainReconciler(o: ReconcilerOptions, timeoutMs = 30 * 60_000): Promise<{ stats: ReconcilerStats; model: StoredModel | null }> {
  const stats = newStats();
  const groupId = o.groupId ?? RECONCILER_GROUP;
  const ends = await o.bus.fetchTopicEnds(MEMBER_TOPIC);
  const committed = new Map((await o.bus.fetchGroupOffsets(groupId, MEMBER_TOPIC)).map((p) => [p.partition, Number(p.offset)]));
  const next = new Map(ends.map((e) => [e.partition, committed.get(e.partition) ?? 0]));
  const done = () => ends.every((e) => (next.get(e.partition) ?? 0) >= Number(e.offset));
  if (done()) return { stats, model: null };
  const model = await ensureModel(o.db, o.bus, { topic: MEMBER_TOPIC, ...(o.sampleSize ? { sampleSize: o.sampleSize } : {}), ...(o.config ? { config: o.config } : {}) });
  if (model === null) throw new Error('no model: member.observed holds fewer than two valid events');
  o.logger.info({ modelVersion: model.version }, 'reconciler model');
  const handle = makeHandler(o, model, stats);
  let finish: () => void = () => undefined;
  const finished = new Promise<void>((r) => (finish = r));
  const sub = await o.bus.subscribe({
    groupId, topics: [MEMBER_TOPIC], fromBeginning: true, concurrency: RECONCILER_CONCURRENCY,
    // A killed drain leaves a dead member holding partitions until its session times out; batch
    // runs restart often, so the wait is kept short (heartbeats still go out every second).
    sessionTimeoutMs: o.sessionTimeoutMs ?? 10_000,
    handler: async (m) => {
      // The position moves even when the handler throws: a dead-lettered event is also "done".
      try {
        await handle(m);
      } finally {
        next.set(m.partition, Math.max(next.get(m.partition) ?? 0, Number(m.offset) + 1));
        if (done()) finish();
      }
    },
  });
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([finished, new Promise((_r, reject) => (timer = setTimeout(() => reject(new Error(`drain: ${stats.handled} events handled before the deadline`)), timeoutMs)))]);
  } finally {
    clearTimeout(timer);
    await sub.close();
  }
  return { stats, model };
}

export interface RunningReconciler {
  readonly stats: ReconcilerStats;
  /** Stops consuming; the message in hand finishes and is committed. */
  close(): Promise<void>;
}

/**
 * The continuous consumer (a hub process, `yibiao reconcile` without --drain). With no stored
 * model and too few events to estimate one, it polls the topic until there are.
 */
export function startReconciler(o: ReconcilerOptions & { pollMs?: number }): RunningReconciler {
  const stats = newStats();
  let closed = false;
  let sub: { close(): Promise<void> } | null = null;
  const started = (async () => {
    for (;;) {
      if (closed) return;
      const model = await ensureModel(o.db, o.bus, { topic: MEMBER_TOPIC, ...(o.sampleSize ? { sampleSize: o.sampleSize } : {}), ...(o.config ? { config: o.config } : {}) });
      if (model !== null) {
        if (closed) return;
        sub = await o.bus.subscribe({ groupId: o.groupId ?? RECONCILER_GROUP, topics: [MEMBER_TOPIC], fromBeginning: true, concurrency: RECONCILER_CONCURRENCY, handler: makeHandler(o, model, stats), ...(o.sessionTimeoutMs ? { sessionTimeoutMs: o.sessionTimeoutMs } : {}) });
        return;
      }
      await new Promise((r) => setTimeout(r, o.pollMs ?? 5_000));
    }
  })();
  return {
    stats,
    close: async () => {
      closed = true;
      await started.catch(() => undefined);
      await sub?.close();
    },
  };
}
