// PGlite answers queries in-process through promise jobs only, so a busy consumer on the
// embedded log could starve timers, HTTP and signals. Timers must still fire while it works.
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { LogBus } from '../../../services/bus/log/log-bus.ts';
import { openPglite } from '../../../services/db/database.ts';
import { consumeUntil } from '../../support/consume.ts';
import { testLogger } from '../../support/logger.ts';

describe('embedded log on PGlite under load', () => {
  it('lets timers run while a consumer works through a backlog', async () => {
    const database = await openPglite(undefined);
    await database.migrate();
    const bus = new LogBus({ db: database.db, logger: testLogger, pollMs: 20 });
    try {
      await bus.ensureTopics([{ name: 'busy', partitions: 1 }, { name: 'busy.dlq', partitions: 1 }]);
      const total = 1_500;
      await bus.publish('busy', Array.from({ length: total }, (_, i) => ({ value: String(i) })));
      let handledWhenTimerFired = -1;
      let handled = 0;
      const started = Date.now();
      setTimeout(() => (handledWhenTimerFired = handled), 20);
      await consumeUntil(
        bus,
        {
          groupId: 'g',
          topics: ['busy'],
          fromBeginning: true,
          handler: async () => {
            await database.db.execute(sql`select 1`); // a handler that only talks to PGlite
            handled++;
          },
        },
        (s) => s.length >= total,
      );
      expect(handled).toBe(total);
      // The 20 ms timer fired while the backlog was still being worked through.
      expect(handledWhenTimerFired).toBeGreaterThanOrEqual(0);
      expect(handledWhenTimerFired).toBeLessThan(total);
      expect(Date.now() - started).toBeGreaterThan(20);
    } finally {
      await bus.close();
      await database.close();
    }
  });
});
