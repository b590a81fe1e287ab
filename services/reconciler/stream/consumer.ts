// The reconciler as a bus consumer: member.observed in, master data and master.updated out.
// Offsets are committed only after the handler returns (the bus's commit-after-handle), and the
// handler's database work is one transaction, so a crash at any point either lost nothing or is
// redelivered into an idempotent no-op. `drain` runs until the topic's ends seen at start.
import type { Logger } from 'pino';
import { memberObserved, type MemberObserved } from '../../../schemas/events/member-observed.ts';
import { parseEvent } from '../../bus/parse-event.ts';
import type { BatchProgress, BusMessage, EventBus } from '../../bus/port.ts';
import type { Db } from '../../db/database.ts';
import type { ModelConfig } from '../model-config.ts';
import { ensureModel, loadModel, type EnsureModelOptions, type ModelStep, type StoredModel } from './model-store.ts';
import { publishChanges, publishPending } from './publish.ts';
import { reconcileBatch } from './reconcile-batch.ts';
import { tableStats } from './table-stats.ts';

export const RECONCILER_GROUP = 'reconciler';
export const MEMBER_TOPIC = 'member.observed';
/**
 * Batches in flight per process. Two overlap the CPU work of one (parsing, normalising, scoring)
 * with the other's wait on PostgreSQL; more would only queue on the same lock buckets. Safe
 * because every batch locks its keys' buckets (sorted) before it reads candidates.
 */
export const RECONCILER_CONCURRENCY = 2;

export interface ReconcilerOptions {
  readonly db: Db;
  readonly bus: EventBus;
  readonly logger: Logger;
  readonly groupId?: string;
  /** Events sampled (spread over partitions) to estimate the model when none is stored. */
  readonly sampleSize?: number;
  readonly config?: ModelConfig;
  /** Events per transaction (default RECONCILER_BATCH). */
  readonly batchSize?: number;
  readonly onProgress?: (stats: ReconcilerStats) => void;
  /** The pass over the topic that estimates the model (when none is stored): events read of those there are. */
  readonly onModelProgress?: (read: number, total: number) => void;
  /** Each step of estimating the model after that pass (model-store.ts ModelStep), and 'ready' once it is loaded. */
  readonly onModelStep?: (step: ModelStep | 'ready') => void;
  readonly sessionTimeoutMs?: number;
}

function modelOptions(o: ReconcilerOptions): EnsureModelOptions {
  return { topic: MEMBER_TOPIC, ...(o.sampleSize ? { sampleSize: o.sampleSize } : {}), ...(o.config ? { config: o.config } : {}), ...(o.onModelProgress ? { onProgress: o.onModelProgress } : {}), ...(o.onModelStep ? { onStep: o.onModelStep } : {}) };
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

/** Events per transaction: big enough that the per-batch round trips vanish, small enough to keep locks short. */
export const RECONCILER_BATCH = 1000;

/**
 * The batch handler. One invalid event fails the batch (all or nothing), and the bus then hands
 * the events over one at a time: the invalid one is dead-lettered with its reason, the rest pass.
 */
export function makeBatchHandler(o: ReconcilerOptions, first: StoredModel, stats: ReconcilerStats) {
  const tables = tableStats(o.db, o.logger);
  let active = first;
  return async (ms: readonly BusMessage[], progress: BatchProgress): Promise<void> => {
    let events: MemberObserved[];
    try {
      events = ms.map((m) => parseEvent(m, memberObserved));
    } catch (err) {
      if (ms.length === 1) stats.invalid++;
      throw err;
    }
    // A re-estimated model (model-store.ts) is taken up from the next batch: one small read.
    const latest = await loadModel(o.db);
    if (latest !== null && latest.version !== active.version) {
      o.logger.info({ from: active.version, to: latest.version }, `reconciler: model ${active.version} → ${latest.version}`);
      active = latest;
    }
    const outcome = await reconcileBatch(o.db, active, events, { progress: () => progress.heartbeat() });
    o.logger.debug({ events: events.length, ms: outcome.ms, steps: outcome.steps }, 'reconciler batch');
    const c = outcome.counts;
    stats.handled += events.length;
    stats.applied += c.applied;
    stats.duplicates += c.duplicates;
    stats.stale += c.stale;
    stats.created += c.created;
    stats.merges += c.merges;
    stats.refusedMerges += c.refusedMerges;
    await publishChanges(o.db, o.bus, outcome.changes);
    await publishPending(o.db, o.bus, outcome.pending);
    await tables.written(c.applied);
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
  const model = await ensureModel(o.db, o.bus, modelOptions(o));
  if (model === null) throw new Error('no model: member.observed holds fewer than two valid events');
  o.onModelStep?.('ready');
  o.logger.info({ modelVersion: model.version }, 'reconciler model');
  const handle = makeBatchHandler(o, model, stats);
  let finish: () => void = () => undefined;
  const finished = new Promise<void>((r) => (finish = r));
  const sub = await o.bus.subscribe({
    groupId, topics: [MEMBER_TOPIC], fromBeginning: true, concurrency: RECONCILER_CONCURRENCY,
    // A killed drain leaves a dead member holding partitions until its session times out; batch
    // runs restart often, so the wait is kept short (heartbeats still go out every second).
    sessionTimeoutMs: o.sessionTimeoutMs ?? 10_000,
    batch: {
      maxMessages: o.batchSize ?? RECONCILER_BATCH,
      handle: async (ms, progress) => {
        const last = ms[ms.length - 1]!;
        const advance = () => {
          next.set(last.partition, Math.max(next.get(last.partition) ?? 0, Number(last.offset) + 1));
          if (done()) finish();
        };
        try {
          await handle(ms, progress);
        } catch (err) {
          // A single event that throws is dead-lettered, which also makes it "done"; a failed
          // batch is not done: the bus hands its events over again one at a time.
          if (ms.length === 1) advance();
          throw err;
        }
        advance();
      },
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
      const model = await ensureModel(o.db, o.bus, modelOptions(o));
      if (model !== null) {
        if (closed) return;
        sub = await o.bus.subscribe({ groupId: o.groupId ?? RECONCILER_GROUP, topics: [MEMBER_TOPIC], fromBeginning: true, concurrency: RECONCILER_CONCURRENCY, batch: { maxMessages: o.batchSize ?? RECONCILER_BATCH, handle: makeBatchHandler(o, model, stats) }, ...(o.sessionTimeoutMs ? { sessionTimeoutMs: o.sessionTimeoutMs } : {}) });
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
