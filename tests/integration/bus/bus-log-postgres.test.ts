import { busContract } from './bus-contract.ts';
import { LogBus } from '../../../services/bus/log/log-bus.ts';
import { createTestDatabase } from '../../support/isolation.ts';
import { testLogger } from '../../support/logger.ts';

busContract('[log/postgres]', async () => {
  const tdb = await createTestDatabase();
  return {
    bus: new LogBus({ db: tdb.database.db, logger: testLogger, pollMs: 20 }),
    childEnv: { BUS: 'log', DATABASE_URL: tdb.url },
    cleanup: () => tdb.drop(),
  };
});
