// COPY inside a transaction (services/reconciler/stream/copy-rows.ts) on both databases the hub
// runs on: what goes in comes back as it was, whatever a source system put in its strings (tabs,
// newlines, backslashes, quotes, braces, Chinese), nulls stay null, and a failed transaction
// leaves no row behind.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPglite, openPostgres, type Database } from '../../../services/db/database.ts';
import { copyRows, type CopyValue } from '../../../services/reconciler/stream/copy-rows.ts';
import { arrayLiteral, rows } from '../../../services/reconciler/stream/sql.ts';
import { createTestDatabase, type TestDatabase } from '../../support/isolation.ts';

const AWKWARD = ['王\t伟', '第五\n支部', 'C:\\党支部\\', '"引号" \'单引号\'', '{花括号,逗号}', '\\N', '', 'NULL', '\r回车'];

const RECORDS: Array<{ t: string | null; j: unknown; a: string[]; f: number | null; b: boolean }> = AWKWARD.map((t, i) => ({
  t, j: { name: t, tags: [t, null], n: i }, a: [t, `${t}2`], f: i % 3 === 0 ? null : i / 7, b: i % 2 === 0,
}));
RECORDS.push({ t: null, j: null, a: [], f: -1.5e-7, b: false });

async function roundTrip(database: Database) {
  await database.db.execute(sql`create table if not exists copy_rows_probe (t text, j json, a text[], f float8, b bool, n serial)`);
  await database.db.execute(sql`truncate copy_rows_probe`);
  await database.db.transaction(async (tx) => {
    await copyRows(tx, 'copy_rows_probe (t, j, a, f, b)', RECORDS.map((r): CopyValue[] => [r.t, r.j === null ? null : JSON.stringify(r.j), arrayLiteral(r.a), r.f, r.b]));
  });
  // A transaction that fails after its COPY keeps none of it.
  await expect(database.db.transaction(async (tx) => {
    await copyRows(tx, 'copy_rows_probe (t)', [['would be rolled back']]);
    await tx.execute(sql`select 1/0`);
  })).rejects.toThrow();
  const back = await rows<{ t: string | null; j: unknown; a: string[]; f: number | null; b: boolean }>(database.db, sql`select t, j, a, f, b from copy_rows_probe order by n`);
  expect(back).toEqual(RECORDS);
}

describe('COPY in a transaction', () => {
  let tdb: TestDatabase;
  let pg: Database;
  let lite: Database;
  beforeAll(async () => {
    tdb = await createTestDatabase();
    pg = openPostgres(tdb.url);
    lite = await openPglite(undefined);
  });
  afterAll(async () => {
    await pg?.close();
    await lite?.close();
    await tdb?.drop();
  });

  it('round-trips awkward values on PostgreSQL [postgres]', async () => {
    await roundTrip(pg);
  });

  it('round-trips awkward values on PGlite [pglite]', async () => {
    await roundTrip(lite);
  });
});
