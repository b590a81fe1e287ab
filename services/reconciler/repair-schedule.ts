// The periodic repair scan (reconciler lessons §3: a repair path from the start, with a periodic
// master-vs-master duplicate scan). Arrival order leaves some masters apart that the evidence
// joins once every record is in — a record that came before the one bridging it, a block that
// has since filled, a never-link a steward retracted — and nothing but a look at the stored
// records again brings them together. The hub runs stream/scan.ts on a node-cron schedule and on
// demand (API); one scan at a time, stopped between pages when the hub closes. The scan goes
// through the consumer's own transaction and locks, so it runs beside live consumption.
// Before it scans, a topic that has grown to `growth` times the size the active model was
// estimated at gets its model re-estimated (model-store.ts): the scan then decides the stored
// records under the model of the data as it is now (a system wired after the estimate, say). With
// YIBIAO_TF_OVER_MASTERS=on, so does a model whose term frequencies were counted before any master
// existed: the re-estimate counts them over the masters (stream/tf-recount.ts).
import cron, { type ScheduledTask } from 'node-cron';
import type { Logger } from 'pino';
import type { EventBus } from '../bus/port.ts';
import type { Db } from '../db/database.ts';
import { MEMBER_TOPIC } from './stream/consumer.ts';
import { activeModelInfo, loadModel, reestimateModel, type Reestimated } from './stream/model-store.ts';

type ActiveModel = NonNullable<Awaited<ReturnType<typeof activeModelInfo>>>;
import { recordScanEnd, recordScanProgress, recordScanStart, scanHistory, type ScanHistoryEntry } from './scan-runs.ts';
import { scanForDuplicates, type ScanStats } from './stream/scan.ts';
import { hasLinkedRecords } from './stream/tf-recount.ts';

export class ScanAlreadyRunningError extends Error {
  override readonly name = 'ScanAlreadyRunningError';
}
/** No model is stored yet: nothing has been reconciled, so there is nothing to scan. */
export class NoModelError extends Error {
  override readonly name = 'NoModelError';
}

export interface ScanRun {
  /** Its row in the scan history (scan-runs.ts). */
  readonly id: string;
  readonly startedAt: string;
  finishedAt: string | null;
  readonly trigger: 'schedule' | 'manual';
  /** The person whose API token started a manual scan; null for the schedule (and callers in-process). */
  readonly triggeredBy: string | null;
  stats: ScanStats;
  /** False while running, and for a scan stopped by shutdown or failed. */
  complete: boolean;
  error: string | null;
  /** The model re-estimated before the scan (the topic had grown), else null. */
  model: Reestimated | null;
}

export interface RepairScanStatus {
  readonly cron: string | null;
  /** Re-estimate before a scan at this growth of member.observed (null: never). */
  readonly reestimateGrowth: number | null;
  readonly running: boolean;
  readonly nextRun: string | null;
  readonly last: ScanRun | null;
}

export interface RepairScanOptions {
  readonly db: Db;
  readonly bus: EventBus | null;
  readonly logger: Logger;
  /** node-cron expression; null: on demand only. */
  readonly cron: string | null;
  /** Records per transaction (stream/scan.ts default when unset). */
  readonly pageSize?: number;
  /** How often a running scan logs its progress. */
  readonly progressMs?: number;
  /**
   * Re-estimate the model first when member.observed holds this many times the events it was
   * estimated on (default 2; Infinity: never; YIBIAO_REESTIMATE_GROWTH). Needs the bus.
   */
  readonly growth?: number;
  /** Count the model's term frequencies over the masters (YIBIAO_TF_OVER_MASTERS; default false). */
  readonly tfOverMasters?: boolean;
}

export class RepairScan {
  private task: ScheduledTask | null = null;
  /** The scan of this process; `run` is null while it is being started (model check, history row). */
  private current: { run: ScanRun | null; done: Promise<ScanRun>; abort: AbortController } | null = null;
  private last: ScanRun | null = null;
  private readonly o: RepairScanOptions;
  private readonly growth: number;

  constructor(o: RepairScanOptions) {
    if (o.cron !== null && !cron.validate(o.cron)) throw new Error(`repair scan: invalid cron expression "${o.cron}"`);
    this.o = o;
    this.growth = o.growth ?? 2;
  }

  start(): void {
    if (this.o.cron === null || this.task !== null) return;
    this.task = cron.schedule(this.o.cron, async () => {
      if (this.current !== null) {
        this.o.logger.warn('scheduled repair scan skipped: the previous scan is still going');
        return;
      }
      await this.trigger('schedule').catch((err: unknown) => {
        if (err instanceof NoModelError) this.o.logger.info('scheduled repair scan skipped: no model stored yet (nothing reconciled)');
        else this.o.logger.error({ err }, 'scheduled repair scan failed');
      });
    }, { name: 'reconciler-repair-scan', noOverlap: true });
    this.o.logger.info({ cron: this.o.cron }, `reconciler: repair scan on schedule "${this.o.cron}"`);
  }

  isRunning(): boolean {
    return this.current !== null;
  }

  /** Runs a scan and resolves when it ends (also when it failed or was stopped); see begin(). */
  async trigger(trigger: ScanRun['trigger'] = 'manual', triggeredBy: string | null = null): Promise<ScanRun> {
    return (await this.begin(trigger, triggeredBy)).done;
  }

  /**
   * Starts a scan: resolves once it has started, with `done` for its end. Throws, starting nothing,
   * when a scan is running or no model is stored yet.
   */
  async begin(trigger: ScanRun['trigger'], triggeredBy: string | null = null): Promise<{ readonly done: Promise<ScanRun> }> {
    if (this.current !== null) throw new ScanAlreadyRunningError('a repair scan is already running');
    const abort = new AbortController();
    const startedAt = new Date().toISOString();
    // Claimed before the first await, so two starts in one tick cannot both run.
    let settle: (r: ScanRun) => void = () => undefined;
    const claim = { run: null as ScanRun | null, abort, done: new Promise<ScanRun>((r) => (settle = r)) };
    this.current = claim;
    let run: ScanRun;
    try {
      const info = await activeModelInfo(this.o.db);
      if (info === null) throw new NoModelError('no model stored yet: nothing has been reconciled');
      const id = await recordScanStart(this.o.db, { trigger, triggeredBy, startedAt });
      run = { id, startedAt, finishedAt: null, trigger, triggeredBy, stats: { scanned: 0, merges: 0, relinked: 0, changedMasters: 0 }, complete: false, error: null, model: null };
      claim.run = run;
      void this.scan(run, info, abort.signal).then(async () => {
        run.finishedAt = new Date().toISOString();
        const status = run.error !== null ? 'failed' : run.complete ? 'finished' : 'stopped';
        await recordScanEnd(this.o.db, run.id, { status, finishedAt: run.finishedAt, stats: run.stats, model: run.model, error: run.error })
          .catch((err: unknown) => this.o.logger.error({ err, scan: run.id }, 'reconciler: the repair scan ended but its history row was not updated'));
        this.last = run;
        this.current = null;
        settle(run);
      });
    } catch (err) {
      this.current = null;
      // A stop() already waiting on this claim must not wait forever for a scan that never began.
      settle({ id: '', startedAt, finishedAt: new Date().toISOString(), trigger, triggeredBy, stats: { scanned: 0, merges: 0, relinked: 0, changedMasters: 0 }, complete: false, error: err instanceof Error ? err.message : String(err), model: null });
      throw err;
    }
    return { done: claim.done };
  }

  /** The latest scans of every process, newest first, from the history table. */
  async history(limit = 20): Promise<ScanHistoryEntry[]> {
    return scanHistory(this.o.db, limit);
  }

  /** The scan itself, with the re-estimate before it; never throws (a failure is the run's error). */
  private async scan(run: ScanRun, info: ActiveModel, signal: AbortSignal): Promise<void> {
    const log = this.o.logger;
    try {
      run.model = await this.reestimateIfGrown(info, signal);
      const model = await loadModel(this.o.db);
      if (model === null) throw new NoModelError('the stored model went away');
      log.info({ trigger: run.trigger, triggeredBy: run.triggeredBy }, 'reconciler: repair scan started');
      let lastLog = performance.now();
      const stats = await scanForDuplicates(this.o.db, this.o.bus, model, {
        signal,
        ...(this.o.pageSize ? { pageSize: this.o.pageSize } : {}),
        onProgress: (s) => {
          run.stats = { ...s };
          if (performance.now() - lastLog < (this.o.progressMs ?? 10_000)) return;
          lastLog = performance.now();
          log.info({ ...s }, `reconciler: repair scan ${s.scanned} records, ${s.merges} merges, ${s.relinked} re-linked`);
          // The history row shows how far it got, and that its process is alive (scan-runs.ts).
          void recordScanProgress(this.o.db, run.id, s).catch((err: unknown) => log.warn({ err }, 'reconciler: repair scan progress not recorded'));
        },
      });
      run.stats = stats;
      run.complete = !signal.aborted;
      log.info({ ...stats, complete: run.complete }, `reconciler: repair scan ${run.complete ? 'finished' : 'stopped'}: ${stats.scanned} records, ${stats.merges} merges, ${stats.relinked} re-linked, ${stats.changedMasters} masters changed`);
    } catch (err) {
      run.error = err instanceof Error ? err.message : String(err);
      log.error({ err }, 'reconciler: repair scan failed');
    }
  }

  /**
   * Re-estimates the model when the topic grew past `growth` times its size at the last estimate,
   * or, with `tfOverMasters`, when its term frequencies were counted before there were masters to
   * count them over (tf-recount.ts): the first scan after the first drain.
   */
  private async reestimateIfGrown(info: ActiveModel, signal: AbortSignal): Promise<Reestimated | null> {
    const growth = this.growth;
    const bus = this.o.bus;
    if (bus === null || !Number.isFinite(growth) || signal.aborted) return null;
    const events = (await bus.fetchTopicEnds(MEMBER_TOPIC)).reduce((s, e) => s + Number(e.offset), 0);
    // 0: stored before sizes were recorded; estimating again gives the same version if nothing changed.
    const grown = info.topicEvents === 0 || events >= growth * info.topicEvents;
    const uncounted = this.o.tfOverMasters === true && !grown && (await loadModel(this.o.db))?.model.tfOverMasters === undefined && (await hasLinkedRecords(this.o.db));
    if (!grown && !uncounted) return null;
    this.o.logger.info({ events, estimatedAt: info.topicEvents }, grown
      ? `reconciler: member.observed holds ${events} events, the model was estimated at ${info.topicEvents}: estimating it again`
      : 'reconciler: the model\'s term frequencies were counted before there were masters: estimating it again, counting them over the masters');
    let lastLog = performance.now();
    const onProgress = (read: number, total: number) => {
      if (performance.now() - lastLog < (this.o.progressMs ?? 10_000)) return;
      lastLog = performance.now();
      this.o.logger.info({ read, total }, `reconciler: model estimate ${read}/${total} events read`);
    };
    // Stopped by shutdown: nothing was stored, and the scan after it sees the abort too.
    const onCounted = (records: number) => {
      if (performance.now() - lastLog < (this.o.progressMs ?? 10_000)) return;
      lastLog = performance.now();
      this.o.logger.info({ records }, `reconciler: model estimate ${records} stored records counted over their masters`);
    };
    const r = await reestimateModel(this.o.db, bus, { topic: MEMBER_TOPIC, signal, onProgress, onCounted, overMasters: this.o.tfOverMasters === true }).catch((err: unknown) => {
      if (signal.aborted) return null;
      throw err;
    });
    if (r !== null) this.o.logger.info({ ...r }, r.changed ? `reconciler: model ${r.previous} → ${r.current}` : `reconciler: model ${r.current} unchanged`);
    return r;
  }

  status(): RepairScanStatus {
    return {
      cron: this.o.cron,
      reestimateGrowth: Number.isFinite(this.growth) ? this.growth : null,
      running: this.current !== null,
      nextRun: this.task?.getNextRun()?.toISOString() ?? null,
      last: this.current?.run ?? this.last,
    };
  }

  /** Stops the schedule and a running scan after its current page. */
  async stop(): Promise<void> {
    await this.task?.destroy();
    this.task = null;
    const c = this.current;
    if (c === null) return;
    c.abort.abort();
    await c.done;
  }
}
