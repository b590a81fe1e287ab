// Everything the reconciler decided, in a comparable form (no wall-clock times, no serial ids):
// two runs that decided the same have equal snapshots.
import { sql } from 'drizzle-orm';
import type { Db } from '../../../services/db/database.ts';
import { rows } from '../../../services/reconciler/stream/sql.ts';

export async function snapshot(db: Db) {
  return {
    masters: await rows(db, sql`select master_id, revision, status, merged_into, fields from reconciler_masters order by master_id`),
    links: await rows(db, sql`select record_key, master_id, state, origin, score, via_record_key, model_version, reason from reconciler_links order by record_key`),
    history: await rows(db, sql`select record_key, master_id, previous_master_id, reason, event_id from reconciler_link_history order by record_key, id`),
    conflicts: await rows(db, sql`select master_id, field, values from reconciler_conflicts order by master_id, field`),
    reviews: await rows(db, sql`select record_a, record_b, score from reconciler_review_items order by record_a, record_b`),
    models: await rows(db, sql`select version from reconciler_models order by version`),
  };
}
