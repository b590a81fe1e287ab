// Tables of the embedded event log: the single-machine stand-in for Kafka, kept in the same
// PostgreSQL (or PGlite) database as everything else. Offsets are per (topic, partition) and
// dense, so "replay from offset N" means the same as on Kafka.
import { bigint, index, integer, jsonb, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';
import { bytea } from './bytea.ts';

export const busTopics = pgTable('bus_topics', {
  name: text('name').primaryKey(),
  partitions: integer('partitions').notNull(),
  retentionMs: bigint('retention_ms', { mode: 'number' }).notNull().default(-1),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

/** One row per partition; `UPDATE … RETURNING next_offset` hands out offsets under a row lock. */
export const busPartitions = pgTable(
  'bus_partitions',
  {
    topic: text('topic').notNull().references(() => busTopics.name, { onDelete: 'cascade' }),
    partition: integer('partition').notNull(),
    nextOffset: bigint('next_offset', { mode: 'number' }).notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.topic, t.partition] })],
);

export const busMessages = pgTable(
  'bus_messages',
  {
    topic: text('topic').notNull(),
    partition: integer('partition').notNull(),
    offset: bigint('offset', { mode: 'number' }).notNull(),
    key: text('key'),
    value: bytea('value').notNull(),
    headers: jsonb('headers').$type<Record<string, string>>().notNull().default({}),
    timestamp: timestamp('timestamp', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.topic, t.partition, t.offset] }), index('bus_messages_timestamp').on(t.topic, t.timestamp)],
);

/** The next offset a consumer group will read; written only after the handler succeeded. */
export const busGroupOffsets = pgTable(
  'bus_group_offsets',
  {
    groupId: text('group_id').notNull(),
    topic: text('topic').notNull(),
    partition: integer('partition').notNull(),
    nextOffset: bigint('next_offset', { mode: 'number' }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.groupId, t.topic, t.partition] })],
);

/** Group membership: a member that stops heartbeating loses its partitions to the others. */
export const busGroupMembers = pgTable(
  'bus_group_members',
  {
    groupId: text('group_id').notNull(),
    memberId: text('member_id').notNull(),
    topics: jsonb('topics').$type<string[]>().notNull(),
    heartbeatAt: timestamp('heartbeat_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.groupId, t.memberId] })],
);

/** Which member holds which partition; a partition is read by at most one member of a group. */
export const busGroupLeases = pgTable(
  'bus_group_leases',
  {
    groupId: text('group_id').notNull(),
    topic: text('topic').notNull(),
    partition: integer('partition').notNull(),
    memberId: text('member_id').notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.groupId, t.topic, t.partition] })],
);
