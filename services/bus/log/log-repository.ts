// All SQL of the embedded log. Lease and offset writes are fenced by the lease holder so a
// member that lost its partition (paused too long) cannot commit over its successor.
import { and, asc, eq, gte, inArray, lt, or, sql } from 'drizzle-orm';
import type { Db } from '../../db/database.ts';
import { busGroupLeases, busGroupMembers, busGroupOffsets, busMessages, busPartitions, busTopics } from '../../../schemas/db/bus.ts';

export interface StoredMessage {
  partition: number;
  offset: number;
  key: string | null;
  value: Buffer;
  headers: Record<string, string>;
  timestamp: Date;
}

export interface NewMessage {
  key: string | null;
  value: Buffer;
  headers: Record<string, string>;
}

const INSERT_CHUNK = 2_000;

export class LogRepository {
  private readonly db: Db;
  constructor(db: Db) {
    this.db = db;
  }

  async ensureTopic(name: string, partitions: number, retentionMs: number): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.insert(busTopics).values({ name, partitions, retentionMs }).onConflictDoNothing();
      await tx.update(busTopics).set({ partitions: sql`greatest(${busTopics.partitions}, ${partitions})` }).where(eq(busTopics.name, name));
      const rows = Array.from({ length: partitions }, (_, partition) => ({ topic: name, partition }));
      await tx.insert(busPartitions).values(rows).onConflictDoNothing();
    });
  }

  async topics(): Promise<{ name: string; partitions: number }[]> {
    return this.db.select({ name: busTopics.name, partitions: busTopics.partitions }).from(busTopics).orderBy(asc(busTopics.name));
  }

  /** Appends in one transaction; partitions are locked in ascending order so producers never deadlock. */
  async append(topic: string, byPartition: Map<number, NewMessage[]>): Promise<void> {
    const order = [...byPartition.keys()].sort((a, b) => a - b);
    await this.db.transaction(async (tx) => {
      for (const partition of order) {
        const batch = byPartition.get(partition) ?? [];
        const [row] = await tx
          .update(busPartitions)
          .set({ nextOffset: sql`${busPartitions.nextOffset} + ${batch.length}` })
          .where(and(eq(busPartitions.topic, topic), eq(busPartitions.partition, partition)))
          .returning({ next: busPartitions.nextOffset });
        if (!row) throw new Error(`partition ${partition} of topic "${topic}" does not exist`);
        const base = row.next - batch.length;
        for (let i = 0; i < batch.length; i += INSERT_CHUNK) {
          const chunk = batch.slice(i, i + INSERT_CHUNK).map((m, j) => ({ topic, partition, offset: base + i + j, key: m.key, value: m.value, headers: m.headers }));
          await tx.insert(busMessages).values(chunk);
        }
      }
    });
  }

  async read(topic: string, partition: number, fromOffset: number, limit: number): Promise<StoredMessage[]> {
    return this.db
      .select({ partition: busMessages.partition, offset: busMessages.offset, key: busMessages.key, value: busMessages.value, headers: busMessages.headers, timestamp: busMessages.timestamp })
      .from(busMessages)
      .where(and(eq(busMessages.topic, topic), eq(busMessages.partition, partition), gte(busMessages.offset, fromOffset)))
      .orderBy(asc(busMessages.offset))
      .limit(limit);
  }

  async ends(topic: string): Promise<{ partition: number; offset: number }[]> {
    return this.db
      .select({ partition: busPartitions.partition, offset: busPartitions.nextOffset })
      .from(busPartitions)
      .where(eq(busPartitions.topic, topic))
      .orderBy(asc(busPartitions.partition));
  }

  /** Marks the member alive and evicts members (and their leases) silent for longer than ttl. */
  async heartbeat(groupId: string, memberId: string, topics: readonly string[], ttlMs: number): Promise<number> {
    return this.db.transaction(async (tx) => {
      await tx
        .insert(busGroupMembers)
        .values({ groupId, memberId, topics: [...topics] })
        .onConflictDoUpdate({ target: [busGroupMembers.groupId, busGroupMembers.memberId], set: { heartbeatAt: sql`now()` } });
      const stale = sql`now() - make_interval(secs => ${ttlMs / 1000})`;
      await tx.delete(busGroupMembers).where(and(eq(busGroupMembers.groupId, groupId), lt(busGroupMembers.heartbeatAt, stale)));
      await tx.delete(busGroupLeases).where(and(eq(busGroupLeases.groupId, groupId), lt(busGroupLeases.expiresAt, sql`now()`)));
      await tx
        .update(busGroupLeases)
        .set({ expiresAt: sql`now() + make_interval(secs => ${ttlMs / 1000})` })
        .where(and(eq(busGroupLeases.groupId, groupId), eq(busGroupLeases.memberId, memberId)));
      const [live] = await tx.select({ n: sql<number>`count(*)::int` }).from(busGroupMembers).where(eq(busGroupMembers.groupId, groupId));
      return live?.n ?? 1;
    });
  }

  async leases(groupId: string, topic: string): Promise<{ partition: number; memberId: string }[]> {
    return this.db
      .select({ partition: busGroupLeases.partition, memberId: busGroupLeases.memberId })
      .from(busGroupLeases)
      .where(and(eq(busGroupLeases.groupId, groupId), eq(busGroupLeases.topic, topic)));
  }

  /** Takes a free or expired partition; true when this member holds it afterwards. */
  async claim(groupId: string, topic: string, partition: number, memberId: string, ttlMs: number): Promise<boolean> {
    const rows = await this.db
      .insert(busGroupLeases)
      .values({ groupId, topic, partition, memberId, expiresAt: sql`now() + make_interval(secs => ${ttlMs / 1000})` })
      .onConflictDoUpdate({
        target: [busGroupLeases.groupId, busGroupLeases.topic, busGroupLeases.partition],
        set: { memberId, expiresAt: sql`now() + make_interval(secs => ${ttlMs / 1000})` },
        setWhere: or(lt(busGroupLeases.expiresAt, sql`now()`), eq(busGroupLeases.memberId, memberId)),
      })
      .returning({ memberId: busGroupLeases.memberId });
    return rows.length === 1;
  }

  async release(groupId: string, memberId: string, partitions?: { topic: string; partition: number }[]): Promise<void> {
    const mine = and(eq(busGroupLeases.groupId, groupId), eq(busGroupLeases.memberId, memberId));
    if (!partitions) {
      await this.db.delete(busGroupLeases).where(mine);
      return;
    }
    for (const p of partitions) {
      await this.db.delete(busGroupLeases).where(and(mine, eq(busGroupLeases.topic, p.topic), eq(busGroupLeases.partition, p.partition)));
    }
  }

  async leave(groupId: string, memberId: string): Promise<void> {
    await this.release(groupId, memberId);
    await this.db.delete(busGroupMembers).where(and(eq(busGroupMembers.groupId, groupId), eq(busGroupMembers.memberId, memberId)));
  }

  async committed(groupId: string, topic: string): Promise<Map<number, number>> {
    const rows = await this.db
      .select({ partition: busGroupOffsets.partition, next: busGroupOffsets.nextOffset })
      .from(busGroupOffsets)
      .where(and(eq(busGroupOffsets.groupId, groupId), eq(busGroupOffsets.topic, topic)));
    return new Map(rows.map((r) => [r.partition, r.next]));
  }

  /** Records where a new group starts, unless another member got there first. */
  async initOffset(groupId: string, topic: string, partition: number, nextOffset: number): Promise<void> {
    await this.db.insert(busGroupOffsets).values({ groupId, topic, partition, nextOffset }).onConflictDoNothing();
  }

  /** Commits only while this member still holds the partition; false means it was lost. */
  async commit(groupId: string, topic: string, partition: number, memberId: string, nextOffset: number): Promise<boolean> {
    // The lease row stays locked until the offset is written, so no claim can slip in between.
    return this.db.transaction(async (tx) => {
      const held = await tx
        .select({ m: busGroupLeases.memberId })
        .from(busGroupLeases)
        .where(and(eq(busGroupLeases.groupId, groupId), eq(busGroupLeases.topic, topic), eq(busGroupLeases.partition, partition), eq(busGroupLeases.memberId, memberId)))
        .for('update');
      if (held.length === 0) return false;
      await tx
        .insert(busGroupOffsets)
        .values({ groupId, topic, partition, nextOffset })
        .onConflictDoUpdate({ target: [busGroupOffsets.groupId, busGroupOffsets.topic, busGroupOffsets.partition], set: { nextOffset, updatedAt: sql`now()` } });
      return true;
    });
  }

  async setOffsets(groupId: string, topic: string, offsets: readonly { partition: number; offset: number }[]): Promise<void> {
    if (offsets.length === 0) return;
    await this.db
      .insert(busGroupOffsets)
      .values(offsets.map((o) => ({ groupId, topic, partition: o.partition, nextOffset: o.offset })))
      .onConflictDoUpdate({
        target: [busGroupOffsets.groupId, busGroupOffsets.topic, busGroupOffsets.partition],
        set: { nextOffset: sql`excluded.next_offset`, updatedAt: sql`now()` },
      });
  }

  async activeMembers(groupId: string): Promise<number> {
    const [row] = await this.db.select({ n: sql<number>`count(*)::int` }).from(busGroupMembers).where(eq(busGroupMembers.groupId, groupId));
    return row?.n ?? 0;
  }

  /** Drops messages older than each topic's retention (never those of topics kept forever). */
  async applyRetention(): Promise<number> {
    const topics = await this.db.select().from(busTopics).where(gte(busTopics.retentionMs, 0));
    let removed = 0;
    for (const t of topics) {
      const res = await this.db
        .delete(busMessages)
        .where(and(eq(busMessages.topic, t.name), lt(busMessages.timestamp, sql`now() - make_interval(secs => ${t.retentionMs / 1000})`)))
        .returning({ o: busMessages.offset });
      removed += res.length;
    }
    return removed;
  }

  async partitionCount(topics: readonly string[]): Promise<Map<string, number>> {
    if (topics.length === 0) return new Map();
    const rows = await this.db.select({ name: busTopics.name, partitions: busTopics.partitions }).from(busTopics).where(inArray(busTopics.name, [...topics]));
    return new Map(rows.map((r) => [r.name, r.partitions]));
  }
}
