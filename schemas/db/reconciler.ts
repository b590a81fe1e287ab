// The reconciler's persistent state: every source record it has seen, the master records (one
// per real person), the link from each record to its master with append-only history, the
// survived fields with provenance, conflicts between sources and the steward's review queue.
// A record is named by its key `${system}/${instance}/${recordId}`; uniqueness is enforced by
// constraints, never by check-then-insert (reconciler lessons §2).
import { sql } from 'drizzle-orm';
import { bigserial, boolean, doublePrecision, index, integer, json, jsonb, pgTable, primaryKey, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core';

/**
 * An estimated matching model (m/u, prior, TF tables) under its version; links name the version.
 * The latest row is the active model: re-estimation over a grown topic adds one (model-store.ts).
 */
export const reconcilerModels = pgTable('reconciler_models', {
  version: text('version').primaryKey(),
  /** The Model as JSON (TF maps as objects). */
  model: jsonb('model').notNull(),
  sampleRecords: integer('sample_records').notNull(),
  /** Events on member.observed when it was estimated (0: not recorded, a model stored before re-estimation existed). */
  topicEvents: integer('topic_events').notNull().default(0),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

/** The latest revision of each source record: raw payload, its normalised form, its blocking keys. */
export const reconcilerSourceRecords = pgTable(
  'reconciler_source_records',
  {
    recordKey: text('record_key').primaryKey(),
    system: text('system').notNull(),
    instance: text('instance').notNull(),
    recordId: text('record_id').notNull(),
    /** The event that carried this revision; a redelivery of it changes nothing. */
    eventId: text('event_id').notNull(),
    /** ISO time as the event carried it (text: compared and replayed byte for byte). */
    observedAt: text('observed_at').notNull(),
    // json, not jsonb: both are written once per revision and read whole, never searched inside
    // by an index, so jsonb's parse into its binary form is pure cost (bench write-floor: COPY of
    // these rows 40 → 27 µs per row at 100k persons).
    payload: json('payload').$type<Record<string, unknown>>().notNull(),
    normalised: json('normalised').$type<Record<string, unknown>>().notNull(),
    blockingKeys: text('blocking_keys').array().notNull(),
    deleted: boolean('deleted').notNull().default(false),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [unique('reconciler_source_records_source').on(t.system, t.instance, t.recordId)],
);

/** The candidate index: one row per (blocking key, record); a block's size is a count here. */
export const reconcilerBlocks = pgTable(
  'reconciler_blocks',
  {
    key: text('key').notNull(),
    recordKey: text('record_key').notNull(),
  },
  // No index by record: a restated record's old rows are deleted by (key, record) from the keys
  // stored on the record, so every block row costs one index, not two.
  (t) => [primaryKey({ columns: [t.key, t.recordKey] })],
);

/**
 * Keys that once held more than maxBlockSize records: skipped for candidates from then on, without
 * reading their rows, and given no further rows (a common name in a large population).
 */
export const reconcilerOverfullKeys = pgTable('reconciler_overfull_keys', {
  key: text('key').primaryKey(),
  at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
});

/** One row per master ever issued; a merged master stays as a tombstone pointing at the survivor. */
export const reconcilerMasters = pgTable(
  'reconciler_masters',
  {
    masterId: text('master_id').primaryKey(),
    /** Creation order: on a merge the older master (smaller seq) keeps its id. */
    seq: bigserial('seq', { mode: 'number' }).notNull(),
    revision: integer('revision').notNull(),
    status: text('status', { enum: ['active', 'merged'] }).notNull().default('active'),
    mergedInto: text('merged_into'),
    /**
     * field → { value, source: { system, instance, recordId, observedAt } }. json, not jsonb: written
     * with every batch that touches the master and read whole, never searched through an index, and
     * jsonb's parse on write was half of updating them (migration 0011).
     */
    fields: json('fields').$type<Record<string, unknown>>().notNull(),
    /** The revision last published as master.updated (an outbox cursor). */
    publishedRevision: integer('published_revision').notNull().default(0),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    unique('reconciler_masters_seq').on(t.seq), index('reconciler_masters_active').on(t.status),
    // A merge re-points older tombstones at the new survivor (batch-write.ts): without this index
    // that is a scan of every master.
    index('reconciler_masters_merged_into').on(t.mergedInto).where(sql`merged_into is not null`),
  ],
);

export const LINK_STATES = ['match', 'possible', 'non-match'] as const;
export const LINK_ORIGINS = ['inferred', 'asserted', 'retracted'] as const;

/** The current link of each source record (exactly one per record, by primary key). */
export const reconcilerLinks = pgTable(
  'reconciler_links',
  {
    recordKey: text('record_key').primaryKey(),
    masterId: text('master_id').notNull(),
    state: text('state', { enum: LINK_STATES }).notNull(),
    origin: text('origin', { enum: LINK_ORIGINS }).notNull(),
    /** Match weight in bits of the deciding pair; null when a deterministic rule decided or nothing matched. */
    score: doublePrecision('score'),
    /** The record the deciding pair compared against (for explanations). */
    viaRecordKey: text('via_record_key'),
    modelVersion: text('model_version').notNull(),
    reason: text('reason').notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('reconciler_links_master').on(t.masterId)],
);

/** Every link change ever made, append-only: the history a steward or a replay reads. */
export const reconcilerLinkHistory = pgTable(
  'reconciler_link_history',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    recordKey: text('record_key').notNull(),
    masterId: text('master_id').notNull(),
    previousMasterId: text('previous_master_id'),
    state: text('state', { enum: LINK_STATES }).notNull(),
    origin: text('origin', { enum: LINK_ORIGINS }).notNull(),
    score: doublePrecision('score'),
    modelVersion: text('model_version').notNull(),
    reason: text('reason').notNull(),
    eventId: text('event_id'),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('reconciler_link_history_record').on(t.recordKey), index('reconciler_link_history_master').on(t.masterId)],
);

/** Sources disagreeing on a field of one master; replaced whenever survivorship reruns. */
export const reconcilerConflicts = pgTable(
  'reconciler_conflicts',
  {
    masterId: text('master_id').notNull(),
    field: text('field').notNull(),
    /** [{ value, system, recordId }] — every distinct value and who holds it. */
    values: jsonb('values').$type<Array<Record<string, unknown>>>().notNull(),
    detectedAt: timestamp('detected_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.masterId, t.field] })],
);

/** Pairs scored between the two thresholds, for a steward; one row per unordered pair. */
export const reconcilerReviewItems = pgTable(
  'reconciler_review_items',
  {
    recordA: text('record_a').notNull(),
    recordB: text('record_b').notNull(),
    score: doublePrecision('score').notNull(),
    modelVersion: text('model_version').notNull(),
    /** Why the decision sent it to review (stream/review-reason.ts); null for items stored before reasons were. */
    reason: text('reason'),
    status: text('status', { enum: ['open', 'resolved'] }).notNull().default('open'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.recordA, t.recordB] }), index('reconciler_review_open').on(t.status).where(sql`status = 'open'`)],
);

/**
 * Negative constraints a steward asserted (a split): the two records are never put into one
 * master again, whatever later evidence says (lessons §5). Stored sorted, one row per pair.
 */
export const reconcilerNeverLinks = pgTable(
  'reconciler_never_links',
  {
    recordA: text('record_a').notNull(),
    recordB: text('record_b').notNull(),
    reason: text('reason').notNull(),
    assertedBy: text('asserted_by').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.recordA, t.recordB] }), index('reconciler_never_links_b').on(t.recordB)],
);

/**
 * Every repair scan, one row each (repair-schedule.ts): who or what started it, how far it got,
 * how it ended. A scan in progress updates its row as it goes (`updatedAt`); a row still running
 * whose process died stops being updated, and the history reads it as interrupted.
 */
export const reconcilerScanRuns = pgTable(
  'reconciler_scan_runs',
  {
    id: uuid('id').primaryKey(),
    trigger: text('trigger', { enum: ['schedule', 'manual'] }).notNull(),
    /** The person whose API token started it; null for the schedule and the CLI. */
    triggeredBy: text('triggered_by'),
    status: text('status', { enum: ['running', 'finished', 'stopped', 'failed'] }).notNull(),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
    scanned: integer('scanned').notNull().default(0),
    merges: integer('merges').notNull().default(0),
    relinked: integer('relinked').notNull().default(0),
    changedMasters: integer('changed_masters').notNull().default(0),
    /** The model re-estimated before the scan, when the topic had grown. */
    model: jsonb('model').$type<Record<string, unknown>>(),
    error: text('error'),
  },
  (t) => [index('reconciler_scan_runs_recent').on(t.startedAt)],
);
