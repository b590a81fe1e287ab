// PostgreSQL plans the batch's reads from table statistics. A drain fills the reconciler's tables
// from empty far faster than autovacuum re-analyses them (and autovacuum may be off, as on the
// machines this runs on): planned for empty tables, "the links of these masters" became a
// sequential scan of every link, so each batch got slower as the tables grew (measured: 2,200 →
// 690 events/s over 343,434 events). The consumer therefore analyses the tables itself each time
// the records it has written double, and vacuums the masters and links, whose rows batches rewrite,
// and the block rows: a vacuumed page is all-visible, so a block's scan reads its record keys from
// the index alone (measured at 171,617 records: a batch's 5,615 block scans touched 16,788 buffers
// instead of 31,154).
import { sql } from 'drizzle-orm';
import type { Logger } from 'pino';
import type { Db } from '../../db/database.ts';

/** Records written by this process before the first refresh. */
const FIRST_REFRESH = 5_000;

export interface TableStats {
  /** Counts records written; refreshes the statistics when due. Never throws: stale statistics only slow batches down. */
  written(records: number): Promise<void>;
}

export function tableStats(db: Db, logger: Logger): TableStats {
  let written = 0;
  let due = FIRST_REFRESH;
  let running: Promise<void> | null = null;
  return {
    async written(n) {
      written += n;
      if (written < due || running !== null) return;
      due = written * 2;
      const t = performance.now();
      running = (async () => {
        // VACUUM cannot run inside a transaction; each statement runs on its own here.
        await db.execute(sql`vacuum (analyze) reconciler_masters, reconciler_links, reconciler_blocks`);
        await db.execute(sql`analyze reconciler_source_records, reconciler_overfull_keys, reconciler_never_links, reconciler_link_history`);
      })();
      try {
        await running;
        logger.info({ records: written, ms: Math.round(performance.now() - t) }, 'reconciler: table statistics refreshed');
      } catch (err) {
        logger.warn({ err }, 'reconciler: refreshing table statistics failed');
      } finally {
        running = null;
      }
    },
  };
}
