// The model the streaming reconciler scores with. It is estimated ONCE, by the core's own batch
// pipeline (matchBatch: EM for m, random pairs for u, TF over first-pass clusters), from a
// deterministic sample of the topic (model-sample.ts: a uniform sample of its records, chosen by
// a hash of their keys, so any worker, a restart or a replay on an empty database estimates the
// very same model) — and stored under a content-derived version that every link carries (lessons §4).
// Values unseen in the sample fall back to the level's u (score.ts), never an unbounded weight.
// Re-estimation on drift is not done here: a new version would need a re-scoring pass.
import { createHash, randomUUID } from 'node:crypto';
import { asc } from 'drizzle-orm';
import { stableJson } from '../../../schemas/events/event-id.ts';
import { source as sourceSchema } from '../../../schemas/events/envelope.ts';
import { memberObserved } from '../../../schemas/events/member-observed.ts';
import { reconcilerModels } from '../../../schemas/db/reconciler.ts';
import type { BusMessage, EventBus } from '../../bus/port.ts';
import type { Db } from '../../db/database.ts';
import type { Model } from '../model.ts';
import { DEFAULT_MODEL_CONFIG, type ModelConfig } from '../model-config.ts';
import { matchBatch } from '../pipeline.ts';
import { lockKeys } from './locks.ts';
import { MODEL_SAMPLE_SIZE, ModelSample, type SampledRecord } from './model-sample.ts';
import { recordKey } from './record-key.ts';

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

export async function loadModel(db: Db): Promise<StoredModel | null> {
  const [row] = await db.select().from(reconcilerModels).orderBy(asc(reconcilerModels.createdAt), asc(reconcilerModels.version)).limit(1);
  return row ? { version: row.version, model: modelFromJson(row.model as ModelJson) } : null;
}

/**
 * The model sample of `topic` (model-sample.ts): one pass over every partition up to the end it had
 * when sampling began, keeping only the sampled records' latest events (events past that end are
 * not read, so the sample is a function of the topic's contents at that moment).
 */
export async function sampleTopic(bus: EventBus, topic: string, size: number, timeoutMs = 30 * 60_000): Promise<SampledRecord[]> {
  const ends = new Map((await bus.fetchTopicEnds(topic)).map((e) => [e.partition, Number(e.offset)]));
  const next = new Map<number, number>();
  const sample = new ModelSample(size);
  let read = 0;
  const done = () => [...ends].every(([p, end]) => (next.get(p) ?? 0) >= end);
  if (done()) return [];
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
        offerMessage(sample, m);
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
  return sample.records();
}

/** One message into the sample; only events of records the sample keeps are validated. */
export function offerMessage(sample: ModelSample, m: BusMessage): void {
  let json: unknown;
  try { json = JSON.parse(m.value.toString('utf8')); } catch { return; }
  const parsedSource = sourceSchema.safeParse((json as { source?: unknown } | null)?.source);
  if (!parsedSource.success) return;
  sample.offer(recordKey(parsedSource.data), () => {
    const parsed = memberObserved.safeParse(json);
    return parsed.success ? { ref: recordKey(parsed.data.source), payload: parsed.data.payload } : null;
  });
}

/** Estimates a model from the sampled records (model-sample.ts gives them in ref order). */
export function estimateFromSample(records: readonly SampledRecord[], config: ModelConfig = DEFAULT_MODEL_CONFIG): Model | null {
  if (records.length < 2) return null;
  return matchBatch(records, config).model;
}

export interface EnsureModelOptions {
  readonly topic?: string;
  readonly sampleSize?: number;
  readonly config?: ModelConfig;
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
  const sample = await sampleTopic(bus, topic, o.sampleSize ?? MODEL_SAMPLE_SIZE);
  const model = estimateFromSample(sample, o.config);
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
