// Each test gets its own database, topics and consumer groups, so files run in parallel and a
// rerun never sees a previous run's data.
import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import { createDatabase, dropDatabase } from '../../scripts/infra/local-postgres.ts';
import { openPostgres, type Database } from '../../services/db/database.ts';

export function uniqueName(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;
}

export interface TestDatabase {
  url: string;
  database: Database;
  drop(): Promise<void>;
}

/** A fresh, migrated PostgreSQL database on the test server. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const adminUrl = inject('postgresAdminUrl');
  const name = `yibiao_t_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  const url = await createDatabase(adminUrl, name);
  const database = openPostgres(url);
  await database.migrate();
  return {
    url,
    database,
    drop: async () => {
      await database.close();
      await dropDatabase(adminUrl, name);
    },
  };
}

export function kafkaBrokers(): string[] {
  return inject('kafkaBrokers').split(',');
}
