// The reconciler inside a running hub: it starts once the first syncs are on the bus (so the
// model, estimated from the topic when the consumer starts, sees a representative sample rather
// than the first few hundred; a repair scan estimates it again once the topic has grown), logs
// its progress, runs the repair scan on its schedule, and stops before the bus and database close.
import type { Hub } from '../hub/hub.ts';
import { RepairScan } from './repair-schedule.ts';
import { startReconciler, type RunningReconciler } from './stream/consumer.ts';

export interface HubReconciler {
  /** The periodic repair scan (also triggered on demand through the API). */
  readonly repair: RepairScan;
  close(): Promise<void>;
}

export function startHubReconciler(hub: Hub, after: Promise<unknown>): HubReconciler {
  const log = hub.logger.child({ component: 'reconciler' });
  const repair = new RepairScan({ db: hub.database.db, bus: hub.bus, logger: log, cron: hub.config.YIBIAO_REPAIR_SCAN_CRON, growth: hub.config.YIBIAO_REESTIMATE_GROWTH, tfOverMasters: hub.config.YIBIAO_TF_OVER_MASTERS === 'on' });
  let running: RunningReconciler | null = null;
  let closed = false;
  let reported = -1;
  const ticker = setInterval(() => {
    const s = running?.stats;
    if (!s || s.handled === reported) return;
    reported = s.handled;
    log.info({ ...s }, `reconciler: ${s.handled} observations handled, ${s.created} masters created, ${s.merges} merges, ${s.duplicates} duplicates`);
  }, 10_000).unref();
  const starting = after.then(() => {
    if (closed) return;
    running = startReconciler({ db: hub.database.db, bus: hub.bus, logger: log });
    repair.start();
    log.info('reconciler: consuming member.observed into master records');
  });
  return {
    repair,
    close: async () => {
      closed = true;
      clearInterval(ticker);
      await starting.catch(() => undefined);
      await repair.stop();
      await running?.close();
    },
  };
}
