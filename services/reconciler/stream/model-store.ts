// The model the streaming reconciler scores with. It is estimated ONCE, by the core's own batch
// pipeline (matchBatch: EM for m, random pairs for u), from a deterministic sample of the topic
// (model-sample.ts: a uniform sample of its records, chosen by a hash of their keys), with term
// frequencies counted over the whole topic in the same pass (model-input.ts) — so any worker, a
// restart or a replay on an empty database estimates the very same model — and stored under a
// content-derived version that every link carries (lessons §4). Values that arrive after the
// estimate fall back to the level's u (score.ts), never an unbounded weight.
// Re-estimation on drift is not done here: a new version would need a re-scoring pass.
import { createHash, randomUUID } from 'node:crypto';
import { asc } from 'drizzle-orm';
import { stableJson } from '../../../schemas/events/event-id.ts';
import { reconcilerModels } from '../../../schemas/db/reconciler.ts';
import type { EventBus } from '../../bus/port.ts';
import type { Db } from '../../db/database.ts';
import type { Model } from '../model.ts';
import { DEFAULT_MODEL_CONFIG, type ModelConfig } from '../model-config.ts';
import { estimateOnce, matchBatch } from '../pipeline.ts';
import { lockKeys } from './locks.ts';
import { ModelInput } from './model-input.ts';
import { MODEL_SAMPLE_SIZE, type SampledRecord } from './model-sample.ts';

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

export function modelVersion(m: Model): string {
  return `${m.config.version}:${createHash('sha256').update(stableJson(modelToJson(m))).digest('hex').slice(0, 12)}`;
}

/**
 * The first stored model never changes (it is never re-estimated or replaced), so once read it is
 * kept per database: with term frequencies over a whole topic it is megabytes of JSON, and the
 * API's explanations would otherwise read and parse it on every request.
 */
const loaded = new WeakMap<Db, StoredModel>();

export async function loadModel(db: Db): Promise<StoredModel | null> {
  const hit = loaded.get(db);
  if (hit !== undefined) return hit;
  const [row] = await db.select().from(reconcilerModels).orderBy(asc(reconcilerModels.createdAt), asc(reconcilerModels.version)).limit(1);
  if (!row) return null;
  const stored = { version: row.version, model: modelFromJson(row.model as ModelJson) };
  loaded.set(db, stored);
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
}

export async function sampleTopic(bus: EventBus, topic: string, size: number, o: SampleTopicOptions = {}): Promise<ModelInput> {
  const timeoutMs = o.timeoutMs ?? 30 * 60_000;
  const ends = new Map((await bus.fetchTopicEnds(topic)).map((e) => [e.partition, Number(e.offset)]));
  const next = new Map<number, number>();
  const input = new ModelInput(size, o.config ?? DEFAULT_MODEL_CONFIG);
  const total = [...ends.values()].reduce((a, b) => a + b, 0);
  let read = 0;
  const done = () => [...ends].every(([p, end]) => (next.get(p) ?? 0) >= end);
  if (done()) return input;
  let finish: () => void = () => undefined;
  const finished = new Promise<void>((r) => (finish = r));
  // A throw-away group: sampling must not move the reconciler's own offsets.
  const sub = await bus.subscribe({
    groupId: `reconciler.model-sample.${randomUUID()}`,
    topics: [topic],
    fromBeginning: true,
    deadLetterTopic: () => null,
    handler: async (m) => {
      const offset = Number(m.offset);
      if (offset < (ends.get(m.partition) ?? 0)) {
        read++;
        let json: unknown = null;
        try { json = JSON.parse(m.value.toString('utf8')); } catch { /* not JSON: the consumer dead-letters it */ }
        input.offer(json);
        if (read % 5_000 === 0 || read === total) o.onProgress?.(read, total);
      }
      next.set(m.partition, Math.max(next.get(m.partition) ?? 0, offset + 1));
      if (done()) finish();
      await Promise.resolve();
    },
  });
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([finished, new Promise((_r, reject) => (timer = setTimeout(() => reject(new Error(`model sample: ${read} events before the deadline`)), timeoutMs)))]);
  } finally {
    clearTimeout(timer);
    await sub.close();
  }
  return input;
}

/**
 * Estimates a model from the sampled records (model-sample.ts gives them in ref order); `tf`, term
 * frequencies counted over the whole topic (model-input.ts), replaces the sample's own.
 */
export function estimateFromSample(records: readonly SampledRecord[], config: ModelConfig = DEFAULT_MODEL_CONFIG, tf?: Model['tf']): Model | null {
  if (records.length < 2) return null;
  // With term frequencies of its own, matchBatch's two clustering passes (which only re-count TF
  // over its first clusters) would be thrown away: the first estimate is the same model.
  return tf === undefined ? matchBatch(records, config).model : { ...estimateOnce(records, config).model, tf };
}

export interface EnsureModelOptions {
  readonly topic?: string;
  readonly sampleSize?: number;
  readonly config?: ModelConfig;
  readonly onProgress?: SampleTopicOptions['onProgress'];
}

/**
 * The stored model, estimating and storing one first if there is none. Sampling runs outside any
 * transaction (PGlite has one connection, which the embedded bus also needs); the insert runs
 * under an advisory lock, and the first stored model wins, so concurrent workers agree.
 */
export async function ensureModel(db: Db, bus: EventBus, o: EnsureModelOptions = {}): Promise<StoredModel | null> {
  const existing = await loadModel(db);
  if (existing) return existing;
  const topic = o.topic ?? 'member.observed';
  const input = await sampleTopic(bus, topic, o.sampleSize ?? MODEL_SAMPLE_SIZE, { ...(o.config ? { config: o.config } : {}), ...(o.onProgress ? { onProgress: o.onProgress } : {}) });
  const sample = input.records();
  const model = estimateFromSample(sample, o.config, input.tf());
  if (model === null) return null;
  const version = modelVersion(model);
  await db.transaction(async (tx) => {
    await lockKeys(tx, ['reconciler:model']);
    const [row] = await tx.select({ v: reconcilerModels.version }).from(reconcilerModels).limit(1);
    if (row) return;
    await tx.insert(reconcilerModels).values({ version, model: modelToJson(model), sampleRecords: sample.length }).onConflictDoNothing();
  });
  return loadModel(db);
}
