// The event bus port. Two adapters implement it (Kafka, and the embedded log kept in
// PostgreSQL/PGlite) and pass one contract suite; nothing above this file knows which one runs.

export interface BusMessage {
  readonly topic: string;
  readonly partition: number;
  /** Decimal string, as Kafka clients use, so offsets beyond 2^53 stay exact. */
  readonly offset: string;
  readonly key: string | null;
  readonly value: Buffer;
  readonly headers: Readonly<Record<string, string>>;
  readonly timestamp: Date;
}

export interface OutgoingMessage {
  /** Messages with the same key land in the same partition and keep their order. */
  readonly key?: string | null;
  readonly value: Buffer | string;
  readonly headers?: Readonly<Record<string, string>>;
}

export interface TopicConfig {
  readonly name: string;
  readonly partitions: number;
  /** -1 keeps messages forever. */
  readonly retentionMs?: number;
}

export interface PartitionOffset {
  readonly partition: number;
  /** The next offset the group reads. */
  readonly offset: string;
}

export type MessageHandler = (message: BusMessage) => Promise<void>;

/**
 * Consecutive messages of ONE partition, in order. The handler takes all or nothing (one
 * transaction, say): when it throws, the bus hands the same messages over again one at a time,
 * so retries and dead-lettering stay per message and a poison message cannot hold up the rest.
 */
export type BatchHandler = (messages: readonly BusMessage[], progress: BatchProgress) => Promise<void>;

/**
 * What a batch handler tells the bus while it works. The bus renews the member's session between
 * batches; a batch that can outlast the session (one that waits on locks, or a large one) calls
 * `heartbeat` when it makes progress — at each statement, say — so the group does not take its
 * partitions away and redeliver what it is finishing. Called after each step, not on a timer: a
 * handler that hangs should lose its partitions. Cheap to call often (the bus throttles it), and
 * never throws: a failed heartbeat shows later as a lost partition.
 */
export interface BatchProgress {
  heartbeat(): void;
}

export interface BatchHandling {
  readonly handle: BatchHandler;
  /** At most this many messages per call (a fetch may deliver fewer). */
  readonly maxMessages: number;
}

/** One of the two (the adapters refuse neither or both): a handler per message, or a batch handler. */
export interface Delivery {
  readonly handler?: MessageHandler;
  readonly batch?: BatchHandling;
}

export interface SubscribeOptions extends Delivery {
  readonly groupId: string;
  readonly topics: readonly string[];
  /** Where a group with no committed offset starts: the oldest message, or only new ones. */
  readonly fromBeginning?: boolean;
  /** Attempts for retriable failures before the message is dead-lettered (default 5). */
  readonly attempts?: number;
  /** Dead-letter topic for a source topic; `null` means a poison message stops the partition. */
  readonly deadLetterTopic?: (topic: string) => string | null;
  /** Partitions handled at once by this member; order within each partition is kept (default 1). */
  readonly concurrency?: number;
  /** A member silent this long loses its partitions to the rest of the group. */
  readonly sessionTimeoutMs?: number;
}

export interface Subscription {
  /** Stops fetching, lets the message in hand finish, commits, and leaves the group. */
  close(): Promise<void>;
}

export interface EventBus {
  readonly kind: 'kafka' | 'log';
  /** Creates missing topics; existing ones are left as they are (partitions may grow). */
  ensureTopics(topics: readonly TopicConfig[]): Promise<void>;
  listTopics(): Promise<{ name: string; partitions: number }[]>;
  /** Resolves once every message is durably stored (Kafka: acks=all). */
  publish(topic: string, messages: readonly OutgoingMessage[]): Promise<void>;
  subscribe(options: SubscribeOptions): Promise<Subscription>;
  /** Moves a group's committed offsets (replay); the group must have no active members. */
  setGroupOffsets(groupId: string, topic: string, offsets: readonly PartitionOffset[]): Promise<void>;
  fetchGroupOffsets(groupId: string, topic: string): Promise<PartitionOffset[]>;
  /** The end of each partition (the offset the next message will get). */
  fetchTopicEnds(topic: string): Promise<PartitionOffset[]>;
  /** Throws when the bus cannot be reached; used by /readyz. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
