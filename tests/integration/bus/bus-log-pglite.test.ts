import { busContract } from './bus-contract.ts';
import { LogBus } from '../../../services/bus/log/log-bus.ts';
import { openPglite } from '../../../services/db/database.ts';
import { testLogger } from '../../support/logger.ts';

// The embedded default: the same log adapter on PGlite, in memory.
busContract(
  '[log/pglite]',
  async () => {
    const database = await openPglite(undefined);
    await database.migrate();
    return { bus: new LogBus({ db: database.db, logger: testLogger, pollMs: 20 }), childEnv: null, cleanup: () => database.close() };
  },
  { canCrash: false },
);
