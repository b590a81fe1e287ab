// The org registry: one row per org code (as the member system issues them), the aliases that
// name an org (normalised alias → code, with where each came from), every org name the hub has
// seen in an observation, and suggestions for a data steward where a name did not resolve.
import { sql } from 'drizzle-orm';
import { index, jsonb, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';

export const ORG_KIND_VALUES = ['党委', '党工委', '党总支', '党支部'] as const;
/** declared: the configured alias file; observed: an org's own name in org.observed; steward: an accepted suggestion. */
export const ORG_ALIAS_ORIGINS = ['declared', 'observed', 'steward'] as const;
export const ORG_SUGGESTION_STATUSES = ['open', 'accepted', 'rejected'] as const;

export const orgs = pgTable(
  'orgs',
  {
    code: text('code').primaryKey(),
    name: text('name').notNull(),
    kind: text('kind', { enum: ORG_KIND_VALUES }),
    parentCode: text('parent_code'),
    category: text('category'),
    /** The org.observed event of this revision: a redelivery of it changes nothing. */
    eventId: text('event_id').notNull(),
    observedAt: text('observed_at').notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('orgs_parent').on(t.parentCode)],
);

/** One row per (normalised alias, code): an alias naming two codes is ambiguous, not an error. */
export const orgAliases = pgTable(
  'org_aliases',
  {
    alias: text('alias').notNull(),
    code: text('code').notNull(),
    origin: text('origin', { enum: ORG_ALIAS_ORIGINS }).notNull(),
    /** The alias as written (the key is its normalised form). */
    name: text('name').notNull(),
    /** declared: the file it came from; steward: who decided. */
    declaredBy: text('declared_by'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.alias, t.code, t.origin] }), index('org_aliases_code').on(t.code)],
);

/** Every org name an observation carried, by its raw spelling, so a registry change can re-resolve them. */
export const orgNamesSeen = pgTable(
  'org_names_seen',
  {
    name: text('name').primaryKey(),
    alias: text('alias').notNull(),
    systems: text('systems').array().notNull(),
    firstSeenAt: timestamp('first_seen_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('org_names_seen_alias').on(t.alias)],
);

/** A normalised name that did not resolve, with up to three ranked candidates, for a steward. */
export const orgSuggestions = pgTable(
  'org_suggestions',
  {
    alias: text('alias').primaryKey(),
    /** The spelling first seen (others normalise to the same alias). */
    name: text('name').notNull(),
    systems: text('systems').array().notNull(),
    /** [{ code, name, score, confident }], best first; several confident ones mean the name is ambiguous. */
    candidates: jsonb('candidates').$type<Array<{ code: string; name: string; score: number; confident: boolean }>>().notNull(),
    status: text('status', { enum: ORG_SUGGESTION_STATUSES }).notNull().default('open'),
    decidedCode: text('decided_code'),
    decidedBy: text('decided_by'),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('org_suggestions_open').on(t.status).where(sql`status = 'open'`)],
);
