// Concurrency between reconciler workers is made safe in PostgreSQL itself (reconciler lessons
// §1): each event's transaction takes transaction-scoped advisory locks on the hashes of the
// record's own key and of its blocking keys before it reads candidates. Two records that could
// be candidates of each other share a blocking key, so they are serialised; records that share
// none never meet and run in parallel. Keys are locked in ascending order in one statement, so
// two transactions cannot wait on each other's advisory locks (no deadlock among them).
import { createHash } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Tx } from './sql.ts';

/** A signed 64-bit lock id from a string (the first 8 bytes of its SHA-256). */
export function lockId(key: string): bigint {
  return createHash('sha256').update(key).digest().readBigInt64BE(0);
}

export async function lockKeys(tx: Tx, keys: readonly string[]): Promise<void> {
  const ids = [...new Set(keys.map(lockId))].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  if (ids.length === 0) return;
  const lit = `{${ids.join(',')}}`;
  await tx.execute(sql`select pg_advisory_xact_lock(k) from (select unnest(${lit}::bigint[]) as k order by 1) as s`);
}
