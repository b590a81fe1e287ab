// The consumer refreshes the planner's statistics itself as the tables grow (table-stats.ts): a
// drain outruns autovacuum, which may also be off. Checked on PostgreSQL's own counters.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { rows } from '../../../services/reconciler/stream/sql.ts';
import { tableStats } from '../../../services/reconciler/stream/table-stats.ts';
import { createTestDatabase, type TestDatabase } from '../../support/isolation.ts';
import { testLogger } from '../../support/logger.ts';

describe('table statistics refreshed as the records written double [postgres]', () => {
  let tdb: TestDatabase;
  beforeAll(async () => {
    tdb = await createTestDatabase();
  });
  afterAll(async () => {
    await tdb?.drop();
  });

  const analyses = async () => {
    const r = await rows<{ relname: string; n: number }>(tdb.database.db, sql`
      select relname, (analyze_count + autoanalyze_count)::int as n from pg_stat_user_tables
      where relname in ('reconciler_links', 'reconciler_masters', 'reconciler_blocks', 'reconciler_source_records')`);
    return Object.fromEntries(r.map((x) => [x.relname, x.n]));
  };

  it('analyses at 5,000 records written, again at 10,000, not in between', async () => {
    const stats = tableStats(tdb.database.db, testLogger);
    const before = await analyses();
    expect(Object.keys(before)).toHaveLength(4);
    await stats.written(4_999);
    expect(await analyses()).toEqual(before);
    await stats.written(1);
    const first = await analyses();
    for (const t of Object.keys(before)) expect(first[t]).toBe(before[t]! + 1);
    await stats.written(4_999);
    expect(await analyses()).toEqual(first);
    await stats.written(1);
    const second = await analyses();
    for (const t of Object.keys(before)) expect(second[t]).toBe(first[t]! + 1);
    // Block rows are vacuumed too (their scans then read the index alone), twice by now.
    const [{ n }] = await rows<{ n: number }>(tdb.database.db, sql`select vacuum_count::int as n from pg_stat_user_tables where relname = 'reconciler_blocks'`) as [{ n: number }];
    expect(n).toBe(2);
  });
});
