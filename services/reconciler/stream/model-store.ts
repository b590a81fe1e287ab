// The model the streaming reconciler scores with. It is estimated by the core's own batch
// pipeline (EM for m, random pairs for u) from a deterministic sample of the topic
// (model-sample.ts: a uniform sample of its records, chosen by a hash of their keys), with term
// frequencies counted over the whole topic in the same pass (model-input.ts) — so any worker, a
// restart or a replay on an empty database estimates the very same model from the same topic —
// and stored under a content-derived version that every link carries (lessons §4). Values that
// arrive after the estimate fall back to the level's u (score.ts), never an unbounded weight.
// The latest stored model is the active one. Re-estimation (reestimateModel) stores the estimate
// of the topic as it is now: a hub wires its systems one after another, and a model estimated
// before the OA or WeChat records arrived has never seen them. Consumers pick the new version up
// at their next batch; links keep the version that decided them, and the repair scan decides the
// stored records again under the new one (repair-schedule.ts).
import { createHash, randomUUID } from 'node:crypto';
import { desc, eq, sql } from 'drizzle-orm';
import { stableJson } from '../../../schemas/events/event-id.ts';
import { reconcilerModels } from '../../../schemas/db/reconciler.ts';
import type { EventBus } from '../../bus/port.ts';
import type { Db } from '../../db/database.ts';
import type { Model } from '../model.ts';
import { DEFAULT_MODEL_CONFIG, type ModelConfig } from '../model-config.ts';
import { estimateOnce, matchBatch } from '../pipeline.ts';
import type { TopicCounts } from '../estimate.ts';
import { lockKeys } from './locks.ts';
import { ModelInput } from './model-input.ts';
import { MODEL_SAMPLE_SIZE, type SampledRecord } from './model-sample.ts';
import { countOverMasters } from './tf-recount.ts';

export interface StoredModel {
  readonly version: string;
  readonly model: Model;
}

type ModelJson = Omit<Model, 'tf'> & { tf: Record<string, Array<[string, number]>> };

export function modelToJson(m: Model): ModelJson {
  return { ...m, tf: Object.fromEntries(Object.entries(m.tf).map(([k, v]) => [k, [...v].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))])) };
}

export function modelFromJson(j: ModelJson): Model {
  return { ...j, tf: Object.fromEntries(Object.entries(j.tf).map(([k, v]) => [k, new Map(v)])) };
}

/**
 * The model's canonical JSON and the version derived from it. Hashed and stored as this one text:
 * the tables are megabytes, and the 1M bench's peak RSS was sampled while the model was being
 * serialised for its version, again for the insert, and read back.
 */
export function serialiseModel(m: Model): { version: string; json: string } {
  const json = stableJson(modelToJson(m));
  return { version: `${m.config.version}:${createHash('sha256').update(json).digest('hex').slice(0, 12)}`, json };
}

export function modelVersion(m: Model): string {
  return serialiseModel(m).version;
}

/**
 * Stored models by version, per database: a version's content never changes, and with term
 * frequencies over a whole topic it is megabytes of JSON that every batch and every API
 * explanation would otherwise read and parse.
 */
const versions = new WeakMap<Db, Map<string, StoredModel>>();

/** The active model's version and the topic size it was estimated at (one small row). */
export async function activeModelInfo(db: Db): Promise<{ version: string; topicEvents: number } | null> {
  const [row] = await db.select({ version: reconcilerModels.version, topicEvents: reconcilerModels.topicEvents }).from(reconcilerModels)
    .orderBy(desc(reconcilerModels.createdAt), desc(reconcilerModels.version)).limit(1);
  return row ?? null;
}

/** The active model (the latest stored), or null before any was estimated. */
export async function loadModel(db: Db): Promise<StoredModel | null> {
  const active = await activeModelInfo(db);
  return active === null ? null : loadModelVersion(db, active.version);
}

/** A stored model by version (the one a link names), whether active or not. */
export async function loadModelVersion(db: Db, version: string): Promise<StoredModel | null> {
  let cache = versions.get(db);
  if (cache === undefined) versions.set(db, (cache = new Map<string, StoredModel>()));
  const hit = cache.get(version);
  if (hit !== undefined) return hit;
  const [row] = await db.select({ model: reconcilerModels.model }).from(reconcilerModels).where(eq(reconcilerModels.version, version));
  if (!row) return null;
  const stored = { version, model: modelFromJson(row.model as ModelJson) };
  cache.set(version, stored);
  return stored;
}

/**
 * The model input of `topic` (model-input.ts): one pass over every partition up to the end it had
 * when sampling began, the sample keeping only the sampled records' latest events (events past
 * that end are not read, so the input is a function of the topic's contents at that moment).
 */
export interface SampleTopicOptions {
  readonly config?: ModelConfig;
  readonly timeoutMs?: number;
  /** Events read so far of those the pass reads, every few thousand. */
  readonly onProgress?: (read: number, total: number) => void;
  /** Gives up (rejects with the signal's reason) when aborted: a hub shutting down mid-pass. */
  readonly signal?: AbortSignal;
}

export async function sampleTopic(bus: EventBus, topic: string, size: number, o: SampleTopicOptions = {}): Promise<{ input: ModelInput; events: number }> {
  const timeoutMs = o.timeoutMs ?? 30 * 60_000;
  const ends = new Map((await bus.fetchTopicEnds(topic)).map((e) => [e.partition, Number(e.offset)]));
  const next = new Map<number, number>();
  const input = new ModelInput(size, o.config ?? DEFAULT_MODEL_CONFIG);
  const total = [...ends.values()].reduce((a, b) => a + b, 0);
  let read = 0;
  const done = () => [...ends].every(([p, end]) => (next.get(p) ?? 0) >= end);
  if (done()) return { input, events: total };
  let finish: () => void = () => undefined;
  const finished = new Promise<void>((r) => (finish = r));
  // A throw-away group: sampling must not move the reconciler's own offsets.
  const sub = await bus.subscribe({
    groupId: `reconciler.model-sample.${randomUUID()}`,
    topics: [topic],
    fromBeginning: true,
    deadLetterTopic: () => null,
    // Whole fetches at a time (the bus's batch mode asks for 8 MiB per partition, not 1 MiB, and
    // acknowledges once per chunk, not per message): at 100k persons the pass was most of the
    // time before the first reconciled batch.
    batch: {
      maxMessages: 5_000,
      handle: async (ms) => {
        for (const m of ms) {
          const offset = Number(m.offset);
          if (offset < (ends.get(m.partition) ?? 0)) {
            read++;
            let json: unknown = null;
            try { json = JSON.parse(m.value.toString('utf8')); } catch { /* not JSON: the consumer dead-letters it */ }
            input.offer(json);
            if (read % 5_000 === 0 || read === total) o.onProgress?.(read, total);
          }
          next.set(m.partition, Math.max(next.get(m.partition) ?? 0, offset + 1));
        }
        if (done()) finish();
        await Promise.resolve();
      },
    },
  });
  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  try {
    const aborted = new Promise<never>((_r, reject) => {
      onAbort = () => reject(o.signal?.reason as Error);
      if (o.signal?.aborted === true) onAbort();
      else o.signal?.addEventListener('abort', onAbort, { once: true });
    });
    aborted.catch(() => undefined); // an abort after the pass ended is no one's error
    await Promise.race([finished, aborted, new Promise((_r, reject) => (timer = setTimeout(() => reject(new Error(`model sample: ${read} events before the deadline`)), timeoutMs)))]);
  } finally {
    if (onAbort !== undefined) o.signal?.removeEventListener('abort', onAbort);
    clearTimeout(timer);
    await sub.close();
  }
  return { input, events: total };
}

/**
 * Estimates a model from the sampled records (model-sample.ts gives them in ref order); `tf`, term
 * frequencies counted over the whole topic (model-input.ts), replaces the sample's own.
 */
export function estimateFromSample(records: readonly SampledRecord[], config: ModelConfig = DEFAULT_MODEL_CONFIG, tf?: Model['tf'], topic?: TopicCounts): Model | null {
  if (records.length < 2) return null;
  // With term frequencies of its own, matchBatch's two clustering passes (which only re-count TF
  // over its first clusters) would be thrown away: the first estimate is the same model.
  return tf === undefined ? matchBatch(records, config).model : { ...estimateOnce(records, config, topic).model, tf };
}

/** What estimating a model does besides its pass over the topic: counting over stored masters (before), the EM and tables, storing it. */
export type ModelStep = 'counting over masters' | 'estimating' | 'storing';

export interface EnsureModelOptions {
  readonly topic?: string;
  readonly sampleSize?: number;
  readonly config?: ModelConfig;
  readonly onProgress?: SampleTopicOptions['onProgress'];
  readonly onStep?: (step: ModelStep) => void;
  /** Count the term frequencies over the stored masters, once there are any (tf-recount.ts; YIBIAO_TF_OVER_MASTERS). */
  readonly overMasters?: boolean;
  /** Stored records counted over their masters so far, before the pass. */
  readonly onCounted?: (records: number) => void;
  readonly signal?: AbortSignal;
}

/**
 * The topic's model as it is now: sampled, estimated, versioned; null while it holds fewer than two
 * valid events. With `overMasters`, once records are linked to masters, its term frequencies are
 * counted over those (tf-recount.ts) rather than over the topic's ID numbers and accounts.
 */
async function estimateTopic(db: Db, bus: EventBus, o: EnsureModelOptions) {
  const topic = o.topic ?? 'member.observed';
  const config = o.config ?? DEFAULT_MODEL_CONFIG;
  if (o.overMasters === true) o.onStep?.('counting over masters');
  const masters = o.overMasters === true ? await countOverMasters(db, config, { ...(o.onCounted ? { onProgress: o.onCounted } : {}), ...(o.signal ? { signal: o.signal } : {}) }) : null;
  const { input, events } = await sampleTopic(bus, topic, o.sampleSize ?? MODEL_SAMPLE_SIZE, { config, ...(o.onProgress ? { onProgress: o.onProgress } : {}), ...(o.signal ? { signal: o.signal } : {}) });
  o.onStep?.('estimating');
  const sample = input.records();
  const estimated = estimateFromSample(sample, config, masters?.tf ?? input.tf(), input.counts());
  if (estimated === null) return null;
  const model: Model = masters === null ? estimated : { ...estimated, tfOverMasters: masters.records };
  o.onStep?.('storing');
  return { ...serialiseModel(model), sampleRecords: sample.length, topicEvents: events };
}

/**
 * The stored model, estimating and storing one first if there is none. Sampling runs outside any
 * transaction (PGlite has one connection, which the embedded bus also needs); the insert runs
 * under an advisory lock, and the first stored model wins, so concurrent workers agree.
 */
export async function ensureModel(db: Db, bus: EventBus, o: EnsureModelOptions = {}): Promise<StoredModel | null> {
  const existing = await loadModel(db);
  if (existing) return existing;
  // No local holds the estimate: its text is let go before the stored model is read back.
  return (await storeFirst(db, await estimateTopic(db, bus, o))) ? loadModel(db) : null;
}

/** Stores `e` unless a model is stored already (another worker's came first); false when there was nothing to store. */
async function storeFirst(db: Db, e: Awaited<ReturnType<typeof estimateTopic>>): Promise<boolean> {
  if (e === null) return false;
  await db.transaction(async (tx) => {
    await lockKeys(tx, ['reconciler:model']);
    const [row] = await tx.select({ v: reconcilerModels.version }).from(reconcilerModels).limit(1);
    if (row) return;
    await tx.insert(reconcilerModels).values({ version: e.version, model: sql`${e.json}::jsonb`, sampleRecords: e.sampleRecords, topicEvents: e.topicEvents }).onConflictDoNothing();
  });
  return true;
}

export interface Reestimated {
  /** The version active before; null when there was none. */
  readonly previous: string | null;
  readonly current: string;
  /** False when the topic gives the model already active (its topic size is brought up to date). */
  readonly changed: boolean;
  readonly topicEvents: number;
}

/**
 * Estimates the topic's model as it is now and makes it the active one. The same topic gives the
 * same version, so re-estimating an unchanged topic changes nothing; a version stored before and
 * estimated again (the topic came back to that state) becomes active again. Null while the topic
 * holds fewer than two valid events.
 */
export async function reestimateModel(db: Db, bus: EventBus, o: EnsureModelOptions = {}): Promise<Reestimated | null> {
  const before = await activeModelInfo(db);
  const e = await estimateTopic(db, bus, o);
  if (e === null) return null;
  await db.transaction(async (tx) => {
    await lockKeys(tx, ['reconciler:model']);
    await tx.insert(reconcilerModels).values({ version: e.version, model: sql`${e.json}::jsonb`, sampleRecords: e.sampleRecords, topicEvents: e.topicEvents })
      .onConflictDoUpdate({ target: reconcilerModels.version, set: { topicEvents: e.topicEvents, createdAt: sql`now()` } });
  });
  return { previous: before?.version ?? null, current: e.version, changed: before?.version !== e.version, topicEvents: e.topicEvents };
}
