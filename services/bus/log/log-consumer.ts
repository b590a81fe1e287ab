// One member of a consumer group on the embedded log. Members share a group's partitions through
// leases in the database (fair share = ceil(partitions / live members)); a member that stops
// heartbeating loses its leases when they expire, and its successor resumes from the last
// committed offset, so a crash redelivers rather than loses.
import { randomUUID } from 'node:crypto';
import { setImmediate as yieldToIo } from 'node:timers/promises';
import type { EventEmitter } from 'node:events';
import type { Logger } from 'pino';
import { chunkSize, deliver, DispatchAborted } from '../dispatch.ts';
import type { BusMessage, OutgoingMessage, SubscribeOptions } from '../port.ts';
import type { LogRepository } from './log-repository.ts';

export interface LogConsumerDeps {
  readonly repo: LogRepository;
  readonly publish: (topic: string, messages: readonly OutgoingMessage[]) => Promise<void>;
  readonly deadLetterTopic: (topic: string) => string | null;
  readonly wake: EventEmitter;
  readonly logger: Logger;
  readonly pollMs: number;
  readonly batchSize: number;
  readonly onDeadLetter?: (message: BusMessage, reason: string) => void;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export class LogConsumer {
  readonly memberId = randomUUID();
  private readonly o: SubscribeOptions;
  private readonly d: LogConsumerDeps;
  private readonly ttlMs: number;
  private readonly log: Logger;
  /** "topic\u0000partition" → next offset to read, for the partitions this member holds. */
  private readonly held = new Map<string, { topic: string; partition: number; next: number }>();
  private stopping = false;
  private running: Promise<void> | undefined;
  private lastBeat = 0;
  private wakeUp: (() => void) | undefined;

  constructor(options: SubscribeOptions, deps: LogConsumerDeps) {
    this.o = options;
    this.d = deps;
    this.ttlMs = options.sessionTimeoutMs ?? 30_000;
    this.log = deps.logger.child({ groupId: options.groupId, memberId: this.memberId });
  }

  async start(): Promise<void> {
    await this.beat();
    for (const t of this.o.topics) this.d.wake.on(t, this.onAppend);
    this.running = this.loop();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.wakeUp?.();
    await this.running;
    for (const t of this.o.topics) this.d.wake.off(t, this.onAppend);
    await this.d.repo.leave(this.o.groupId, this.memberId);
  }

  private readonly onAppend = (): void => {
    this.wakeUp?.();
  };

  private async loop(): Promise<void> {
    let failures = 0;
    while (!this.stopping) {
      try {
        if (Date.now() - this.lastBeat >= this.ttlMs / 3) await this.beat();
        const progressed = await this.pollOnce();
        failures = 0;
        if (!progressed) await this.idle();
      } catch (err) {
        failures++;
        this.log.error({ err }, 'embedded log consumer failed; retrying');
        await sleep(Math.min(5_000, 100 * 2 ** failures));
      }
    }
  }

  private idle(): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, this.d.pollMs);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wakeUp = done;
    });
  }

  private async beat(): Promise<void> {
    const members = await this.d.repo.heartbeat(this.o.groupId, this.memberId, this.o.topics, this.ttlMs);
    this.lastBeat = Date.now();
    const counts = await this.d.repo.partitionCount(this.o.topics);
    for (const topic of this.o.topics) {
      const partitions = counts.get(topic);
      if (partitions === undefined) throw new Error(`topic "${topic}" does not exist; create it with \`yibiao topics\``);
      await this.rebalance(topic, partitions, Math.max(1, members));
    }
  }

  private async rebalance(topic: string, partitions: number, members: number): Promise<void> {
    const share = Math.ceil(partitions / members);
    const leases = await this.d.repo.leases(this.o.groupId, topic);
    const mine = leases.filter((l) => l.memberId === this.memberId).map((l) => l.partition).sort((a, b) => a - b);
    for (const p of [...this.held.values()].filter((h) => h.topic === topic && !mine.includes(h.partition))) {
      this.held.delete(key(topic, p.partition)); // lease lost while we were away
    }
    if (mine.length > share) {
      const extra = mine.slice(share).map((partition) => ({ topic, partition }));
      await this.d.repo.release(this.o.groupId, this.memberId, extra);
      for (const e of extra) this.held.delete(key(topic, e.partition));
      return;
    }
    const taken = new Set(leases.map((l) => l.partition));
    const claimed: number[] = [...mine];
    for (let p = 0; p < partitions && claimed.length < share; p++) {
      if (taken.has(p)) continue;
      if (await this.d.repo.claim(this.o.groupId, topic, p, this.memberId, this.ttlMs)) claimed.push(p);
    }
    const fresh = claimed.filter((p) => !this.held.has(key(topic, p)));
    if (fresh.length === 0) return;
    const committed = await this.d.repo.committed(this.o.groupId, topic);
    const ends = new Map((await this.d.repo.ends(topic)).map((e) => [e.partition, e.offset]));
    for (const p of fresh) {
      let next = committed.get(p);
      if (next === undefined) {
        next = this.o.fromBeginning ? 0 : (ends.get(p) ?? 0);
        await this.d.repo.initOffset(this.o.groupId, topic, p, next);
        next = (await this.d.repo.committed(this.o.groupId, topic)).get(p) ?? next;
      }
      this.held.set(key(topic, p), { topic, partition: p, next });
    }
  }

  /** Reads one batch from each held partition, `concurrency` partitions at a time; true when anything was processed. */
  private async pollOnce(): Promise<boolean> {
    const held = [...this.held.values()];
    const width = Math.max(1, this.o.concurrency ?? 1);
    let progressed = false;
    for (let i = 0; i < held.length && !this.stopping; i += width) {
      // Settle every partition of the round before failing, so none is left mid-batch.
      const results = await Promise.allSettled(held.slice(i, i + width).map((h) => this.pollPartition(h)));
      const failed = results.find((r) => r.status === 'rejected');
      if (failed) throw failed.reason;
      progressed = progressed || results.some((r) => r.status === 'fulfilled' && r.value);
    }
    return progressed;
  }

  private async pollPartition(h: { topic: string; partition: number; next: number }): Promise<boolean> {
    const rows = await this.d.repo.read(h.topic, h.partition, h.next, Math.max(this.d.batchSize, this.o.batch?.maxMessages ?? 0));
    if (rows.length === 0) return false;
    let next = h.next;
    const size = chunkSize(this.o);
    try {
      for (let i = 0; i < rows.length; i += size) {
        const chunk = rows.slice(i, i + size);
        const messages = chunk.map((r): BusMessage => ({ topic: h.topic, partition: r.partition, offset: String(r.offset), key: r.key, value: r.value, headers: r.headers, timestamp: r.timestamp }));
        await deliver(messages, this.o, {
          groupId: this.o.groupId,
          attempts: this.o.attempts ?? 5,
          deadLetterTopic: this.d.deadLetterTopic(h.topic),
          publish: this.d.publish,
          stopping: () => this.stopping,
          heartbeat: () => this.beatIfDue(),
          onDeadLetter: this.d.onDeadLetter,
          onRetry: (m, attempt, reason) => this.log.warn({ topic: m.topic, partition: m.partition, offset: m.offset, attempt, reason }, 'handler failed; retrying'),
        });
        next = chunk[chunk.length - 1]!.offset + 1;
        // PGlite answers in-process through promise jobs alone; without a turn of the event
        // loop between deliveries, a busy consumer would starve I/O (HTTP, logs, signals).
        await yieldToIo();
        await this.beatIfDue();
      }
    } catch (err) {
      if (!(err instanceof DispatchAborted)) {
        await this.commit(h, next);
        throw err;
      }
    }
    await this.commit(h, next);
    return next > rows[0]!.offset;
  }

  /** Renews this member's session when a third of it has passed (between chunks, and as a batch handler progresses). */
  private async beatIfDue(): Promise<void> {
    if (Date.now() - this.lastBeat < this.ttlMs / 3) return;
    this.lastBeat = Date.now();
    await this.d.repo.heartbeat(this.o.groupId, this.memberId, this.o.topics, this.ttlMs);
  }

  private async commit(h: { topic: string; partition: number; next: number }, next: number): Promise<void> {
    if (next === h.next) return;
    const ok = await this.d.repo.commit(this.o.groupId, h.topic, h.partition, this.memberId, next);
    if (ok) h.next = next;
    else {
      this.log.warn({ topic: h.topic, partition: h.partition }, 'partition lost before commit; its successor redelivers');
      this.held.delete(key(h.topic, h.partition));
    }
  }
}

function key(topic: string, partition: number): string {
  return `${topic}\u0000${partition}`;
}
