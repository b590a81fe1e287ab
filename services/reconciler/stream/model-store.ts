// The model the streaming reconciler scores with. It is estimated ONCE, by the core's own batch
// pipeline (matchBatch: EM for m, random pairs for u, TF over first-pass clusters), from a
// deterministic sample of the topic — the first `perPartition` events of every partition in
// offset order, so any worker, a restart or a replay on an empty database estimates the very same
// model — and stored under a content-derived version that every link carries (lessons §4).
// Values unseen in the sample fall back to the level's u (score.ts), never an unbounded weight.
// Re-estimation on drift is not done here: a new version would need a re-scoring pass.
import { createHash, randomUUID } from 'node:crypto';
import { asc } from 'drizzle-orm';
import { stableJson } from '../../../schemas/events/event-id.ts';
import { memberObserved, type MemberObserved } from '../../../schemas/events/member-observed.ts';
import { reconcilerModels } from '../../../schemas/db/reconciler.ts';
import type { BusMessage, EventBus } from '../../bus/port.ts';
import type { Db } from '../../db/database.ts';
import type { Model } from '../model.ts';
import { DEFAULT_MODEL_CONFIG, type ModelConfig } from '../model-config.ts';
import { matchBatch } from '../pipeline.ts';
import { lockKeys } from './locks.ts';
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

/** The first `perPartition` events of each partition of `topic`, sorted by (partition, offset). */
export async function sampleTopic(bus: EventBus, topic: string, perPartition: number, timeoutMs = 120_000): Promise<BusMessage[]> {
  const ends = await bus.fetchTopicEnds(topic);
  const want = new Map(ends.map((e) => [e.partition, Math.min(Number(e.offset), perPartition)]));
  const got = new Map<number, number>();
  const out: BusMessage[] = [];
  const done = () => [...want].every(([p, n]) => (got.get(p) ?? 0) >= n);
  if (done()) return out;
  let finish: () => void = () => undefined;
  const finished = new Promise<void>((r) => (finish = r));
  // A throw-away group: sampling must not move the reconciler's own offsets.
  const sub = await bus.subscribe({
    groupId: `reconciler.model-sample.${randomUUID()}`,
    topics: [topic],
    fromBeginning: true,
    deadLetterTopic: () => null,
    handler: async (m) => {
      if (Number(m.offset) < (want.get(m.partition) ?? 0)) {
        out.push(m);
        got.set(m.partition, (got.get(m.partition) ?? 0) + 1);
      }
      if (done()) finish();
      await Promise.resolve();
    },
  });
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([finished, new Promise((_r, reject) => (timer = setTimeout(() => reject(new Error(`model sample: ${out.length} events before the deadline`)), timeoutMs)))]);
  } finally {
    clearTimeout(timer);
    await sub.close();
  }
  return out.sort((a, b) => a.partition - b.partition || Number(a.offset) - Number(b.offset));
}

/** Estimates a model from sampled events (the latest revision of each record; invalid events skipped). */
export function estimateFromEvents(messages: readonly BusMessage[], config: ModelConfig = DEFAULT_MODEL_CONFIG): Model | null {
  const byRecord = new Map<string, MemberObserved>();
  for (const m of messages) {
    const parsed = memberObserved.safeParse(JSON.parse(m.value.toString('utf8')));
    if (parsed.success && !parsed.data.payload.deleted) byRecord.set(recordKey(parsed.data.source), parsed.data);
  }
  if (byRecord.size < 2) return null;
  const input = [...byRecord].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([ref, e]) => ({ ref, payload: e.payload }));
  return matchBatch(input, config).model;
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
  const partitions = (await bus.fetchTopicEnds(topic)).length || 1;
  const sample = await sampleTopic(bus, topic, Math.ceil((o.sampleSize ?? 20_000) / partitions));
  const model = estimateFromEvents(sample, o.config);
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
