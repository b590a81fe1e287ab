// Small SQL helpers shared by the reconciler's repositories. Raw SQL is used where the query
// builder cannot say it (advisory locks, array parameters, lateral counts); both drivers
// (node-postgres and PGlite) return `{ rows }` from execute.
import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/database.ts';

/** A transaction handle; the same query API as the database. */
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
export type Queryable = Db | Tx;

export async function rows<T>(db: Queryable, query: SQL): Promise<T[]> {
  const result: unknown = await db.execute(query);
  return (result as { rows: T[] }).rows;
}

/**
 * A text[] literal passed as ONE parameter: drizzle would expand a JS array into a list of
 * parameters, which `= ANY(...)` and `unnest(...)` cannot take. Every element is quoted, so
 * commas, braces and quotes inside names stay data.
 */
export function textArray(values: readonly string[]): SQL {
  return pgArray(values, 'text');
}

export type PgArrayType = 'text' | 'json' | 'jsonb' | 'float8' | 'int4' | 'bool';

/**
 * A typed array literal as ONE parameter, NULL elements allowed: the columns of a bulk write
 * through `unnest(...)`, one parameter per column instead of one per value (a batch of a
 * thousand records would otherwise need tens of thousands of parameters).
 */
export function pgArray(values: ReadonlyArray<string | number | boolean | null>, type: PgArrayType): SQL {
  return sql`${arrayLiteral(values)}::${sql.raw(type)}[]`;
}

/** PostgreSQL's text form of an array (`{"a","b",NULL}`): every string quoted and escaped. */
export function arrayLiteral(values: ReadonlyArray<string | number | boolean | null>): string {
  return `{${values.map((v) => (v === null ? 'NULL' : typeof v === 'string' ? `"${v.replace(/\\/gu, '\\\\').replace(/"/gu, '\\"')}"` : String(v))).join(',')}}`;
}

/**
 * Plans the rest of the transaction for what a reconciler batch does: look up a few thousand keys
 * in tables whose pages sit in memory. With the default random_page_cost (4, a spinning disk),
 * once the tables are analysed the planner hashed a batch's 3,549 candidate keys against a
 * parallel sequential scan of every link, each worker building the hash again (EXPLAIN ANALYZE at
 * 100k persons: 411 ms), and that scan grows with the table, so every batch got slower than the
 * one before. Costs for cached pages make it one index lookup per key. No parallel workers
 * either: the consumer's two batches in flight already use the machine. SET LOCAL: the settings
 * end with the transaction.
 */
export async function planForKeyLookups(tx: Tx): Promise<void> {
  await tx.execute(sql`select set_config('random_page_cost', '1.1', true), set_config('max_parallel_workers_per_gather', '0', true)`);
}
