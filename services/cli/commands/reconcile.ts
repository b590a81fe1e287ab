// `yibiao reconcile --drain`: consume member.observed into master records until every partition
// reaches the end it had at start, then exit (batch use, evaluation, benchmarks). Progress goes
// to stderr; a summary to stdout. A killed run resumes from the committed offsets: the work of
// the batch in hand is one transaction, and a redelivery of it is a no-op.
import { parseArgs } from 'node:util';
import type { Command } from '../command.ts';
import { configOrExit } from '../config-or-exit.ts';
import { createLogger } from '../../logger.ts';
import { openHub } from '../../hub/hub.ts';
import type { Logger } from 'pino';
import type { EventBus } from '../../bus/port.ts';
import type { Db } from '../../db/database.ts';
import { drainReconciler, MEMBER_TOPIC, RECONCILER_BATCH, RECONCILER_GROUP, startReconciler } from '../../reconciler/stream/consumer.ts';
import { progress } from '../progress.ts';
import { sampleMemoryPeak } from '../memory-peak.ts';
import { count } from 'drizzle-orm';
import { reconcilerSourceRecords } from '../../../schemas/db/reconciler.ts';
import { loadModel, reestimateModel } from '../../reconciler/stream/model-store.ts';
import { scanForDuplicates } from '../../reconciler/stream/scan.ts';
import { RepairScan } from '../../reconciler/repair-schedule.ts';

const USAGE = `usage: yibiao reconcile [--drain [--timeout MIN] | --scan | --reestimate] [--group ID] [--sample N] [--batch N]

  (default)    consume member.observed continuously until SIGINT/SIGTERM, with the repair
               scan on its schedule (YIBIAO_REPAIR_SCAN_CRON)
  --drain      consume until the member.observed partitions reach their current ends, then exit
  --timeout M  with --drain: give up (exit 1) after M minutes (default 30)
  --scan       decide every stored record again and merge the masters the evidence now joins
               (after retracted never-links, or records that arrived in an unlucky order), then exit
  --reestimate estimate the model again from member.observed as it is now (after wiring another
               system, say; with YIBIAO_TF_OVER_MASTERS=on the names' frequencies counted
               over the masters), make it the active one, then scan as --scan does
  --group ID   consumer group (default ${RECONCILER_GROUP})
  --sample N   events sampled to estimate the model when none is stored yet (default 20000)
  --batch N    events per transaction (default ${RECONCILER_BATCH}); the result does not depend on it
`;

export const reconcile: Command = {
  name: 'reconcile',
  summary: 'resolve member.observed into master records (--drain: until the topic ends, then exit)',
  async run(argv) {
    let values;
    try {
      ({ values } = parseArgs({ args: argv, strict: true, options: { drain: { type: 'boolean', default: false }, scan: { type: 'boolean', default: false }, reestimate: { type: 'boolean', default: false }, group: { type: 'string' }, sample: { type: 'string' }, batch: { type: 'string' }, timeout: { type: 'string' }, help: { type: 'boolean', short: 'h', default: false } } }));
    } catch (err) {
      process.stderr.write(`yibiao reconcile: ${(err as Error).message}\n\n${USAGE}`);
      return 2;
    }
    if (values.help) {
      process.stdout.write(USAGE);
      return 0;
    }
    const sampleSize = values.sample === undefined ? undefined : Number(values.sample);
    if (sampleSize !== undefined && (!Number.isSafeInteger(sampleSize) || sampleSize < 2)) {
      process.stderr.write(`yibiao reconcile: --sample must be an integer ≥ 2, got "${values.sample}"\n`);
      return 2;
    }
    const batchSize = values.batch === undefined ? undefined : Number(values.batch);
    if (batchSize !== undefined && (!Number.isSafeInteger(batchSize) || batchSize < 1)) {
      process.stderr.write(`yibiao reconcile: --batch must be an integer ≥ 1, got "${values.batch}"\n`);
      return 2;
    }
    const timeoutMin = values.timeout === undefined ? 30 : Number(values.timeout);
    if (!(timeoutMin > 0)) {
      process.stderr.write(`yibiao reconcile: --timeout must be a number of minutes > 0, got "${values.timeout}"\n`);
      return 2;
    }
    const config = configOrExit();
    const logger = createLogger(config.LOG_LEVEL === 'info' ? 'warn' : config.LOG_LEVEL);
    const hub = await openHub(config, logger);
    try {
      const groupId = values.group ?? RECONCILER_GROUP;
      if (values.reestimate) return await reestimate(hub.database.db, hub.bus, sampleSize, batchSize, config.YIBIAO_TF_OVER_MASTERS === 'on');
      if (values.scan) return await scan(hub.database.db, hub.bus, batchSize);
      if (!values.drain) return await follow(hub.database.db, hub.bus, logger, { groupId, sampleSize, batchSize, repairCron: config.YIBIAO_REPAIR_SCAN_CRON, growth: config.YIBIAO_REESTIMATE_GROWTH, tfOverMasters: config.YIBIAO_TF_OVER_MASTERS === 'on' });
      const ends = await hub.bus.fetchTopicEnds(MEMBER_TOPIC);
      const committed = new Map((await hub.bus.fetchGroupOffsets(groupId, MEMBER_TOPIC)).map((p) => [p.partition, Number(p.offset)]));
      const total = ends.reduce((s, e) => s + Math.max(0, Number(e.offset) - (committed.get(e.partition) ?? 0)), 0);
      const bar = progress('reconcile');
      const modelBar = progress('model (sample and term frequencies)');
      const started = performance.now();
      const memory = sampleMemoryPeak();
      memory.phase('model: reading the topic');
      const { stats, model } = await drainReconciler({
        db: hub.database.db, bus: hub.bus, logger, groupId, ...(sampleSize ? { sampleSize } : {}), ...(batchSize ? { batchSize } : {}),
        onModelProgress: (read, all) => {
          memory.phase('model: reading the topic');
          modelBar.update(read, all, 'events read');
          if (read === all) modelBar.stop();
        },
        onModelStep: (step) => memory.phase(step === 'ready' ? 'model ready, before the first batch' : `model: ${step}`),
        onProgress: (s) => {
          const done = s.handled + s.invalid;
          memory.phase(`batches, ${Math.floor((10 * done) / Math.max(total, 1)) * 10} % of events done`);
          bar.update(done, total, `masters created ${s.created}, merges ${s.merges}, duplicates ${s.duplicates}`);
        },
      }, timeoutMin * 60_000);
      bar.stop();
      const secs = (performance.now() - started) / 1000;
      process.stdout.write(
        `reconciled ${stats.handled} events in ${secs.toFixed(1)} s (${(stats.handled / Math.max(secs, 1e-3)).toFixed(0)}/s)` +
          `${model ? ` with model ${model.version}` : ' (nothing to do)'}\n` +
          `  applied ${stats.applied} · duplicates ${stats.duplicates} · stale ${stats.stale} · invalid ${stats.invalid} · masters created ${stats.created} · merges ${stats.merges} · refused merges ${stats.refusedMerges}\n` +
          `  ${memory.stop()}\n` +
          `  RSS by phase (MiB, highest sampled): ${[...memory.byPhase()].map(([k, v]) => `${k} ${v}`).join(' · ')}\n`,
      );
      return 0;
    } finally {
      await hub.close();
    }
  },
};

/** A model estimated from the topic as it is now, made active (model-store.ts), then the repair pass under it. */
async function reestimate(db: Db, bus: EventBus, sampleSize: number | undefined, batchSize: number | undefined, overMasters: boolean): Promise<number> {
  const bar = progress('model (sample and term frequencies)');
  const started = performance.now();
  const counting = progress('term frequencies over the masters');
  const r = await reestimateModel(db, bus, {
    topic: MEMBER_TOPIC, ...(sampleSize ? { sampleSize } : {}), overMasters,
    onCounted: (records) => counting.update(records, undefined, 'stored records counted'),
    onProgress: (read, all) => {
      counting.stop();
      bar.update(read, all, 'events read');
    },
  });
  counting.stop();
  bar.stop();
  if (r === null) {
    process.stderr.write('yibiao reconcile --reestimate: member.observed holds fewer than two valid events\n');
    return 1;
  }
  const secs = ((performance.now() - started) / 1000).toFixed(1);
  process.stdout.write(r.changed
    ? `model ${r.previous ?? '(none)'} → ${r.current}, estimated from ${r.topicEvents} events in ${secs} s\n`
    : `model ${r.current} unchanged (${r.topicEvents} events, ${secs} s)\n`);
  return scan(db, bus, batchSize);
}

/** The repair pass over every stored record (scan.ts), with progress; needs a stored model. */
async function scan(db: Db, bus: EventBus, batchSize: number | undefined): Promise<number> {
  const model = await loadModel(db);
  if (model === null) {
    process.stderr.write('yibiao reconcile --scan: no model stored yet; run `yibiao reconcile --drain` first\n');
    return 1;
  }
  const [{ n } = { n: 0 }] = await db.select({ n: count() }).from(reconcilerSourceRecords);
  const bar = progress('scan');
  const started = performance.now();
  const stats = await scanForDuplicates(db, bus, model, { ...(batchSize ? { pageSize: batchSize } : {}), onProgress: (s) => bar.update(s.scanned, n, `merges ${s.merges}, re-linked ${s.relinked}`) });
  bar.stop();
  process.stdout.write(`scanned ${stats.scanned} records in ${((performance.now() - started) / 1000).toFixed(1)} s: merges ${stats.merges} · re-linked ${stats.relinked} · masters changed ${stats.changedMasters}\n`);
  return 0;
}

/**
 * Runs until SIGINT/SIGTERM, printing a progress line every few seconds on stderr; the repair
 * scan runs on its schedule (YIBIAO_REPAIR_SCAN_CRON), as in the hub.
 */
async function follow(db: Db, bus: EventBus, logger: Logger, o: { groupId: string; sampleSize: number | undefined; batchSize: number | undefined; repairCron: string | null; growth: number; tfOverMasters: boolean }): Promise<number> {
  const bar = progress('reconcile');
  const { groupId, sampleSize, batchSize } = o;
  const running = startReconciler({ db, bus, logger, groupId, ...(sampleSize ? { sampleSize } : {}), ...(batchSize ? { batchSize } : {}), onProgress: (s) => bar.update(s.handled, undefined, `masters created ${s.created}, merges ${s.merges}`) });
  const repair = new RepairScan({ db, bus, logger, cron: o.repairCron, growth: o.growth, tfOverMasters: o.tfOverMasters });
  repair.start();
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await repair.stop();
  await running.close();
  bar.stop();
  process.stdout.write(`reconciled ${running.stats.handled} events (applied ${running.stats.applied}, duplicates ${running.stats.duplicates})\n`);
  return 0;
}
