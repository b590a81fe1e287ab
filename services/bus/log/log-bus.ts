// The embedded event log: the EventBus port on tables in PostgreSQL or PGlite. It is the
// single-machine default (no broker to run) and keeps Kafka's semantics that the hub relies on:
// partitions with dense offsets, per-key order, consumer groups, commit-after-handle, replay.
import { EventEmitter } from 'node:events';
import type { Logger } from 'pino';
import type { Db } from '../../db/database.ts';
import { defaultDeadLetterTopic } from '../dead-letter.ts';
import { chunkSize } from '../dispatch.ts';
import { partitionForKey, roundRobin } from '../partitioner.ts';
import type { BusMessage, EventBus, OutgoingMessage, PartitionOffset, SubscribeOptions, Subscription, TopicConfig } from '../port.ts';
import { LogConsumer } from './log-consumer.ts';
import { LogRepository, type NewMessage } from './log-repository.ts';

export interface LogBusOptions {
  readonly db: Db;
  readonly logger: Logger;
  /** How often an idle consumer looks for messages written by other processes. */
  readonly pollMs?: number;
  readonly batchSize?: number;
  readonly onDeadLetter?: (message: BusMessage, reason: string) => void;
}

export class LogBus implements EventBus {
  readonly kind = 'log' as const;
  private readonly repo: LogRepository;
  private readonly options: LogBusOptions;
  private readonly logger: Logger;
  /** Wakes consumers of this process as soon as a producer of this process appends. */
  private readonly wake = new EventEmitter().setMaxListeners(0);
  private readonly partitions = new Map<string, { count: number; next: () => number }>();
  private readonly consumers = new Set<LogConsumer>();

  constructor(options: LogBusOptions) {
    this.options = options;
    this.repo = new LogRepository(options.db);
    this.logger = options.logger.child({ component: 'bus', bus: 'log' });
  }

  async ensureTopics(topics: readonly TopicConfig[]): Promise<void> {
    for (const t of topics) await this.repo.ensureTopic(t.name, t.partitions, t.retentionMs ?? -1);
    this.partitions.clear();
  }

  listTopics(): Promise<{ name: string; partitions: number }[]> {
    return this.repo.topics();
  }

  private async partitionsOf(topic: string): Promise<{ count: number; next: () => number }> {
    let p = this.partitions.get(topic);
    if (!p) {
      const count = (await this.repo.partitionCount([topic])).get(topic);
      if (count === undefined) throw new Error(`topic "${topic}" does not exist; create it with \`yibiao topics\``);
      p = { count, next: roundRobin(count) };
      this.partitions.set(topic, p);
    }
    return p;
  }

  async publish(topic: string, messages: readonly OutgoingMessage[]): Promise<void> {
    if (messages.length === 0) return;
    const parts = await this.partitionsOf(topic);
    const byPartition = new Map<number, NewMessage[]>();
    for (const m of messages) {
      const key = m.key ?? null;
      const partition = key === null ? parts.next() : partitionForKey(key, parts.count);
      const value = typeof m.value === 'string' ? Buffer.from(m.value, 'utf8') : m.value;
      let list = byPartition.get(partition);
      if (!list) byPartition.set(partition, (list = []));
      list.push({ key, value, headers: { ...(m.headers ?? {}) } });
    }
    await this.repo.append(topic, byPartition);
    this.wake.emit(topic);
  }

  async subscribe(options: SubscribeOptions): Promise<Subscription> {
    chunkSize(options); // refuses neither-or-both handlers before joining the group
    const consumer = new LogConsumer(options, {
      repo: this.repo,
      publish: (t, ms) => this.publish(t, ms),
      deadLetterTopic: options.deadLetterTopic ?? defaultDeadLetterTopic,
      wake: this.wake,
      logger: this.logger,
      pollMs: this.options.pollMs ?? 100,
      batchSize: this.options.batchSize ?? 500,
      onDeadLetter: this.options.onDeadLetter,
    });
    await consumer.start();
    this.consumers.add(consumer);
    return {
      close: async () => {
        this.consumers.delete(consumer);
        await consumer.stop();
      },
    };
  }

  async setGroupOffsets(groupId: string, topic: string, offsets: readonly PartitionOffset[]): Promise<void> {
    if ((await this.repo.activeMembers(groupId)) > 0) throw new Error(`consumer group "${groupId}" has active members; stop them before moving its offsets`);
    await this.repo.setOffsets(groupId, topic, offsets.map((o) => ({ partition: o.partition, offset: Number(o.offset) })));
  }

  async fetchGroupOffsets(groupId: string, topic: string): Promise<PartitionOffset[]> {
    const committed = await this.repo.committed(groupId, topic);
    return [...committed.entries()].sort(([a], [b]) => a - b).map(([partition, next]) => ({ partition, offset: String(next) }));
  }

  async fetchTopicEnds(topic: string): Promise<PartitionOffset[]> {
    return (await this.repo.ends(topic)).map((e) => ({ partition: e.partition, offset: String(e.offset) }));
  }

  async ping(): Promise<void> {
    await this.repo.topics();
  }

  applyRetention(): Promise<number> {
    return this.repo.applyRetention();
  }

  async close(): Promise<void> {
    await Promise.allSettled([...this.consumers].map((c) => c.stop()));
    this.consumers.clear();
  }
}
