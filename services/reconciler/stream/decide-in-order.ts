// The stream's decisions over a whole population without Kafka or PostgreSQL, for evaluation
// (eval-stream.ts) and tests: events spread over the member topic's partitions by record key and
// arriving a batch per partition in turn, as the consumer reads them; the model estimated from
// what model-store.ts takes (model-input.ts: the sample, and term frequencies, rule-decided and
// strangers' pairs over every record); decideBatch over all of them with nothing stored, which is
// what a run of batches against an empty database decides (batch boundaries leave no trace,
// tests/integration/reconciler/crash-replay.test.ts).
import type { MemberObserved } from '../../../schemas/events/member-observed.ts';
import { topicSpec } from '../../../schemas/topics.ts';
import { DEFAULT_MODEL_CONFIG, type ModelConfig } from '../model-config.ts';
import type { Model } from '../model.ts';
import { decideBatch, type PreparedEvent } from './batch-decide.ts';
import { emptyBatch } from './batch-state.ts';
import { RECONCILER_BATCH } from './consumer.ts';
import { ModelInput } from './model-input.ts';
import { MODEL_SAMPLE_SIZE } from './model-sample.ts';
import { estimateFromSample } from './model-store.ts';
import { arrivalOrder } from './population-events.ts';
import { prepareEvent } from './reconcile-batch.ts';

export interface InOrderDecisions {
  readonly model: Model;
  /** The events as decided, in arrival order. */
  readonly items: readonly PreparedEvent[];
  readonly decisions: ReturnType<typeof decideBatch>;
  readonly partitions: number;
  readonly sampleRecords: number;
  /** Milliseconds spent deciding (after the model was estimated). */
  readonly decideMs: number;
}

export function decideInOrder(events: readonly MemberObserved[], o: { sampleSize?: number; config?: ModelConfig } = {}): InOrderDecisions {
  const config = o.config ?? DEFAULT_MODEL_CONFIG;
  const partitions = topicSpec('member.observed').partitions;
  const { byPartition, arrival } = arrivalOrder(events, partitions, RECONCILER_BATCH);
  // One pass over every partition in offset order, as model-store.ts sampleTopic reads the topic.
  const input = new ModelInput(o.sampleSize ?? MODEL_SAMPLE_SIZE, config);
  for (const p of byPartition) for (const e of p) input.offerEvent(e);
  const sample = input.records();
  const model = estimateFromSample(sample, config, input.tf(), input.counts());
  if (model === null) throw new Error('no model: the sample holds fewer than two records');
  const items = arrival.map((e) => prepareEvent(e));
  const t = performance.now();
  const decisions = decideBatch(emptyBatch(items.flatMap((i) => i.blockingKeys)), model, items);
  return { model, items, decisions, partitions, sampleRecords: sample.length, decideMs: performance.now() - t };
}
