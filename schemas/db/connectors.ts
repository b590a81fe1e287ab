// Connector state: where each stream's incremental read stands, and a record of every run.
import { index, integer, jsonb, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/** The position after the last batch the bus acknowledged; never ahead of what is on the bus. */
export const connectorCursors = pgTable(
  'connector_cursors',
  {
    connector: text('connector').notNull(),
    stream: text('stream').notNull(),
    cursor: jsonb('cursor').$type<Record<string, string | number | boolean | null>>().notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.connector, t.stream] })],
);

export const connectorRuns = pgTable(
  'connector_runs',
  {
    id: uuid('id').primaryKey(),
    connector: text('connector').notNull(),
    stream: text('stream').notNull(),
    /** 'sync' reads the live system from its cursor; 'import' reads a native export file. */
    mode: text('mode', { enum: ['sync', 'import'] }).notNull(),
    source: text('source'),
    /** The person whose API token asked for this run; null for the schedule, start-up and the CLI. */
    triggeredBy: text('triggered_by'),
    status: text('status', { enum: ['running', 'succeeded', 'failed'] }).notNull(),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
    recordsRead: integer('records_read').notNull().default(0),
    eventsEmitted: integer('events_emitted').notNull().default(0),
    deadLettered: integer('dead_lettered').notNull().default(0),
    error: text('error'),
  },
  (t) => [index('connector_runs_recent').on(t.connector, t.startedAt)],
);
