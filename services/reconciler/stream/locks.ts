// Concurrency between reconciler workers is made safe in PostgreSQL itself (reconciler lessons
// §1): a transaction takes transaction-scoped advisory locks on its records' keys and blocking
// keys before it reads candidates. Two records that could be candidates of each other share a
// blocking key, so they are serialised; records that share none never meet and run in parallel.
// Keys fall into LOCK_BUCKETS buckets: a batch of a thousand events has thousands of keys, and
// each advisory lock takes a slot of the server's shared lock table (max_locks_per_transaction ×
// connections, 6,400 by default), so a batch locks at most LOCK_BUCKETS of them. A shared bucket
// only serialises more than needed, never less. Buckets are locked in ascending order in one
// statement, so two transactions cannot wait on each other's advisory locks (no deadlock).
import { createHash } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Tx } from './sql.ts';

export const LOCK_BUCKETS = 1024;
/** The first half of the two-part advisory lock id: the reconciler's own lock space. */
const LOCK_SPACE = 0x7962; // "yb"

/** The bucket of a key: the first 4 bytes of its SHA-256, modulo LOCK_BUCKETS. */
export function lockBucket(key: string): number {
  return createHash('sha256').update(key).digest().readUInt32BE(0) % LOCK_BUCKETS;
}

export async function lockKeys(tx: Tx, keys: Iterable<string>): Promise<void> {
  const buckets = new Set<number>();
  for (const k of keys) buckets.add(lockBucket(k));
  if (buckets.size === 0) return;
  const lit = `{${[...buckets].sort((a, b) => a - b).join(',')}}`;
  await tx.execute(sql`select pg_advisory_xact_lock(${LOCK_SPACE}::int, b) from (select unnest(${lit}::int[]) as b order by 1) as s`);
}
