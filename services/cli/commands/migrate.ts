import { resolve } from 'node:path';
import type { Command } from '../command.ts';
import { configOrExit } from '../config-or-exit.ts';
import { openPglite, openPostgres } from '../../db/database.ts';

export const migrate: Command = {
  name: 'migrate',
  summary: 'apply database migrations (DATABASE_URL, or the embedded database in YIBIAO_DATA_DIR)',
  async run() {
    const config = configOrExit();
    const database = config.DATABASE_URL ? openPostgres(config.DATABASE_URL) : await openPglite(resolve(config.YIBIAO_DATA_DIR, 'pglite'));
    try {
      await database.migrate();
      process.stdout.write(`migrations applied to ${database.location}\n`);
      return 0;
    } finally {
      await database.close();
    }
  },
};
