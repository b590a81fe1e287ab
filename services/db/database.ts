// One database handle for both ways of running: node-postgres against a PostgreSQL server, or
// PGlite (PostgreSQL compiled to WebAssembly) in a data folder for the embedded default. Both
// give a drizzle database of the same type, so repositories do not know which one they have.
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import * as tables from '../../schemas/db/index.ts';
import { repoRoot } from '../paths.ts';
import { lockDataDir } from './data-dir-lock.ts';

export type Tables = typeof tables;
export type Db = PgDatabase<PgQueryResultHKT, Tables>;

export interface Database {
  readonly kind: 'postgres' | 'pglite';
  /** Where it lives, for the start-up log; never includes a password. */
  readonly location: string;
  readonly db: Db;
  migrate(): Promise<void>;
  ping(): Promise<void>;
  close(): Promise<void>;
}

const MIGRATIONS = resolve(repoRoot, 'migrations');

export function redactUrl(url: string): string {
  const u = new URL(url);
  if (u.password) u.password = '***';
  return u.toString();
}

export function openPostgres(url: string, options: { max?: number } = {}): Database {
  const pool = new pg.Pool({ connectionString: url, max: options.max ?? 10, connectionTimeoutMillis: 10_000 });
  // An idle client losing its connection must not crash the process; the next query reconnects.
  pool.on('error', () => undefined);
  const db = drizzlePg(pool, { schema: tables }) as unknown as Db;
  return {
    kind: 'postgres',
    location: redactUrl(url),
    db,
    migrate: () => migratePg(drizzlePg(pool), { migrationsFolder: MIGRATIONS }),
    ping: async () => {
      await db.execute(sql`select 1`);
    },
    close: () => pool.end(),
  };
}

/** `dataDir` undefined keeps everything in memory (tests, throw-away runs). */
export async function openPglite(dataDir: string | undefined): Promise<Database> {
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const unlock = dataDir ? lockDataDir(dataDir) : () => undefined;
  let client: PGlite;
  try {
    client = await PGlite.create(dataDir ? resolve(dataDir) : undefined);
  } catch (err) {
    unlock();
    throw err;
  }
  const db = drizzlePglite(client, { schema: tables }) as unknown as Db;
  return {
    kind: 'pglite',
    location: dataDir ? `pglite:${resolve(dataDir)}` : 'pglite:memory',
    db,
    migrate: () => migratePglite(drizzlePglite(client), { migrationsFolder: MIGRATIONS }),
    ping: async () => {
      await db.execute(sql`select 1`);
    },
    close: async () => {
      await client.close();
      unlock();
    },
  };
}
