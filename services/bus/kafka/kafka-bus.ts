// The Kafka adapter: an idempotent producer with acks=all, consumer groups whose offsets are
// committed only for messages the handler finished (resolveOffset after dispatch).
import { Kafka, logLevel, type Admin, type Consumer, type Producer } from 'kafkajs';
import type { Logger } from 'pino';
import { defaultDeadLetterTopic } from '../dead-letter.ts';
import { chunkSize, deliver, DispatchAborted } from '../dispatch.ts';
import type { BusMessage, EventBus, OutgoingMessage, PartitionOffset, SubscribeOptions, Subscription, TopicConfig } from '../port.ts';
import { Connected } from './connected.ts';
import { retryMetadata } from './retry-metadata.ts';
import { kafkaLogCreator } from './kafka-logger.ts';
import { requestChunks } from './request-chunks.ts';

export interface KafkaBusOptions {
  readonly brokers: readonly string[];
  readonly clientId?: string;
  readonly logger: Logger;
  readonly onDeadLetter?: (message: BusMessage, reason: string) => void;
}

export class KafkaBus implements EventBus {
  readonly kind = 'kafka' as const;
  private readonly kafka: Kafka;
  private readonly logger: Logger;
  private readonly options: KafkaBusOptions;
  private readonly admin: Connected<Admin>;
  // Idempotence makes broker-side retries safe: a resent batch is not written twice.
  private readonly producer: Connected<Producer>;
  private readonly consumers = new Set<Consumer>();

  constructor(options: KafkaBusOptions) {
    this.options = options;
    this.logger = options.logger.child({ component: 'bus', bus: 'kafka' });
    this.kafka = new Kafka({
      clientId: options.clientId ?? 'yibiao',
      brokers: [...options.brokers],
      logLevel: logLevel.INFO,
      logCreator: kafkaLogCreator(options.logger),
      retry: { retries: 8, initialRetryTime: 200, maxRetryTime: 5_000 },
    });
    this.admin = new Connected(() => this.kafka.admin());
    this.producer = new Connected(() => this.kafka.producer({ idempotent: true, maxInFlightRequests: 5, allowAutoTopicCreation: false }));
  }

  private getAdmin(): Promise<Admin> {
    return this.admin.get();
  }

  private getProducer(): Promise<Producer> {
    return this.producer.get();
  }

  async ensureTopics(topics: readonly TopicConfig[]): Promise<void> {
    const admin = await this.getAdmin();
    // Create what is missing; a broker still settling new leaders answers with retriable errors,
    // and another process creating the same topics at the same moment is success too.
    await retryMetadata(async () => {
      const now = new Set(await admin.listTopics());
      const missing = topics.filter((t) => !now.has(t.name));
      if (missing.length === 0) return;
      await admin
        .createTopics({
          waitForLeaders: true,
          topics: missing.map((t) => ({
            topic: t.name,
            numPartitions: t.partitions,
            configEntries: t.retentionMs === undefined ? [] : [{ name: 'retention.ms', value: String(t.retentionMs) }],
          })),
        })
        .catch(async (err: unknown) => {
          const after = new Set(await admin.listTopics());
          if (!missing.every((t) => after.has(t.name))) throw err;
        });
    });
    // Topics that existed with fewer partitions than the catalog asks for grow (Kafka cannot shrink).
    const meta = await retryMetadata(() => admin.fetchTopicMetadata({ topics: topics.map((t) => t.name) }));
    const grow = topics.flatMap((t) => {
      const have = meta.topics.find((m) => m.name === t.name)?.partitions.length ?? 0;
      return have < t.partitions ? [{ topic: t.name, count: t.partitions }] : [];
    });
    if (grow.length > 0) await admin.createPartitions({ topicPartitions: grow });
  }

  async listTopics(): Promise<{ name: string; partitions: number }[]> {
    const admin = await this.getAdmin();
    const meta = await retryMetadata(() => admin.fetchTopicMetadata());
    return meta.topics.filter((t) => !t.name.startsWith('__')).map((t) => ({ name: t.name, partitions: t.partitions.length }));
  }

  async publish(topic: string, messages: readonly OutgoingMessage[]): Promise<void> {
    if (messages.length === 0) return;
    const producer = await this.getProducer();
    for (const chunk of requestChunks(messages)) {
      await producer.send({
        topic,
        acks: -1,
        messages: chunk.map((m) => ({ key: m.key ?? null, value: m.value, headers: m.headers ? { ...m.headers } : undefined })),
      });
    }
  }

  async subscribe(o: SubscribeOptions): Promise<Subscription> {
    chunkSize(o); // refuses neither-or-both handlers before joining the group
    const sessionTimeout = o.sessionTimeoutMs ?? 30_000;
    const consumer = this.kafka.consumer({
      groupId: o.groupId,
      sessionTimeout,
      heartbeatInterval: Math.max(500, Math.floor(sessionTimeout / 10)),
      rebalanceTimeout: Math.max(sessionTimeout * 2, 10_000),
      allowAutoTopicCreation: false,
      // A batch handler wants whole batches per fetch: 1 MiB (the default) holds ~1,500 events.
      ...(o.batch ? { maxBytesPerPartition: 8 * 1024 * 1024, maxBytes: 32 * 1024 * 1024 } : {}),
    });
    this.consumers.add(consumer);
    let stopping = false;
    const log = this.logger.child({ groupId: o.groupId });
    await consumer.connect();
    await consumer.subscribe({ topics: [...o.topics], fromBeginning: o.fromBeginning ?? false });
    const dlqFor = o.deadLetterTopic ?? defaultDeadLetterTopic;
    await consumer.run({
      autoCommit: true,
      partitionsConsumedConcurrently: Math.max(1, o.concurrency ?? 1),
      autoCommitInterval: 1_000,
      eachBatchAutoResolve: false,
      eachBatch: async (p) => {
        const { batch } = p;
        const size = chunkSize(o);
        for (let i = 0; i < batch.messages.length; i += size) {
          if (stopping || !p.isRunning() || p.isStale()) break;
          const chunk = batch.messages.slice(i, i + size);
          const messages = chunk.map((m): BusMessage => ({
            topic: batch.topic,
            partition: batch.partition,
            offset: m.offset,
            key: m.key === null ? null : m.key.toString('utf8'),
            value: m.value ?? Buffer.alloc(0),
            headers: decodeHeaders(m.headers),
            timestamp: new Date(Number(m.timestamp)),
          }));
          try {
            await deliver(messages, o, {
              groupId: o.groupId,
              attempts: o.attempts ?? 5,
              deadLetterTopic: dlqFor(batch.topic),
              publish: (t, ms) => this.publish(t, ms),
              stopping: () => stopping || !p.isRunning(),
              // kafkajs sends it only once its heartbeat interval has passed.
              heartbeat: () => p.heartbeat(),
              onDeadLetter: this.options.onDeadLetter,
              onRetry: (msg, attempt, reason) => log.warn({ topic: msg.topic, partition: msg.partition, offset: msg.offset, attempt, reason }, 'handler failed; retrying'),
            });
          } catch (err) {
            if (err instanceof DispatchAborted) break;
            throw err;
          }
          p.resolveOffset(chunk[chunk.length - 1]!.offset);
          await p.heartbeat();
        }
        await p.commitOffsetsIfNecessary();
      },
    });
    return {
      close: async () => {
        stopping = true;
        await consumer.disconnect();
        this.consumers.delete(consumer);
      },
    };
  }

  async setGroupOffsets(groupId: string, topic: string, offsets: readonly PartitionOffset[]): Promise<void> {
    const admin = await this.getAdmin();
    await retryMetadata(() => admin.setOffsets({ groupId, topic, partitions: offsets.map((p) => ({ partition: p.partition, offset: p.offset })) }));
  }

  async fetchGroupOffsets(groupId: string, topic: string): Promise<PartitionOffset[]> {
    const admin = await this.getAdmin();
    const res = await retryMetadata(() => admin.fetchOffsets({ groupId, topics: [topic] }));
    return (res[0]?.partitions ?? []).map((p) => ({ partition: p.partition, offset: p.offset === '-1' ? '0' : p.offset }));
  }

  async fetchTopicEnds(topic: string): Promise<PartitionOffset[]> {
    const admin = await this.getAdmin();
    const res = await retryMetadata(() => admin.fetchTopicOffsets(topic));
    return res.map((p) => ({ partition: p.partition, offset: p.high })).sort((a, b) => a.partition - b.partition);
  }

  async ping(): Promise<void> {
    const admin = await this.getAdmin();
    await admin.describeCluster();
  }

  async close(): Promise<void> {
    await Promise.allSettled([...this.consumers].map((c) => c.disconnect()));
    this.consumers.clear();
    await Promise.all([this.producer.disconnect(), this.admin.disconnect()]);
  }
}

function decodeHeaders(headers: Record<string, Buffer | string | (Buffer | string)[] | undefined> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers ?? {})) {
    if (v === undefined) continue;
    const last = Array.isArray(v) ? v[v.length - 1] : v;
    if (last !== undefined) out[k] = last.toString();
  }
  return out;
}
