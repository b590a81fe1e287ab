// Runs connectors on their cron schedules and on demand (CLI, API). One connector never runs
// twice at once in this process: a scheduled tick while a run is going is skipped with a log
// line, a manual trigger gets a clear "already running" answer.
import cron, { type ScheduledTask } from 'node-cron';
import type { Logger } from 'pino';
import type { Connector } from '../../connectors/contract.ts';
import { syncStream, type RunDeps, type RunResult } from './run-connector.ts';

export interface ScheduledConnector {
  readonly connector: Connector;
  readonly streams: readonly string[];
  /** node-cron expression; undefined: only on demand. */
  readonly cron?: string;
}

export class AlreadyRunningError extends Error {
  override readonly name = 'AlreadyRunningError';
}

export interface ConnectorStatus {
  name: string;
  system: string;
  streams: readonly string[];
  cron: string | null;
  running: boolean;
  nextRun: string | null;
  last: RunResult[] | null;
}

export class IngestScheduler {
  private readonly deps: RunDeps;
  private readonly log: Logger;
  private readonly entries = new Map<string, ScheduledConnector>();
  private readonly tasks = new Map<string, ScheduledTask>();
  private readonly running = new Map<string, { done: Promise<RunResult[]>; abort: AbortController }>();
  private readonly last = new Map<string, RunResult[]>();

  constructor(deps: RunDeps) {
    this.deps = deps;
    this.log = deps.logger.child({ component: 'ingest' });
  }

  add(entry: ScheduledConnector): void {
    if (entry.cron !== undefined && !cron.validate(entry.cron)) throw new Error(`connector ${entry.connector.name}: invalid cron expression "${entry.cron}"`);
    this.entries.set(entry.connector.name, entry);
  }

  isRunning(name: string): boolean {
    return this.running.has(name);
  }

  names(): string[] {
    return [...this.entries.keys()];
  }

  /**
   * Runs every stream of a connector once; rejects with AlreadyRunningError if it is running.
   * `triggeredBy`: the person who asked (API), recorded on each run; none for the schedule.
   * `fromStart`: read every stream whole again instead of from its cursor (syncStream).
   */
  trigger(name: string, triggeredBy?: string, opts: { fromStart?: boolean } = {}): Promise<RunResult[]> {
    const entry = this.entries.get(name);
    if (!entry) return Promise.reject(new Error(`unknown connector "${name}"; configured: ${this.names().join(', ') || 'none'}`));
    if (this.running.has(name)) return Promise.reject(new AlreadyRunningError(`connector ${name} is already running`));
    const abort = new AbortController();
    const done = (async () => {
      const results: RunResult[] = [];
      for (const stream of entry.streams) {
        if (abort.signal.aborted) break;
        results.push(await syncStream(this.deps, entry.connector, stream, { signal: abort.signal, triggeredBy, ...(opts.fromStart === true ? { fromStart: true } : {}) }));
      }
      this.last.set(name, results);
      return results;
    })().finally(() => this.running.delete(name));
    this.running.set(name, { done, abort });
    return done;
  }

  start(): void {
    for (const entry of this.entries.values()) {
      if (entry.cron === undefined || this.tasks.has(entry.connector.name)) continue;
      const name = entry.connector.name;
      const task = cron.schedule(
        entry.cron,
        async () => {
          if (this.running.has(name)) {
            this.log.warn({ connector: name }, `scheduled sync of ${name} skipped: the previous run is still going`);
            return;
          }
          await this.trigger(name).catch((err: unknown) => this.log.error({ err, connector: name }, 'scheduled sync failed'));
        },
        { name: `sync-${name}`, noOverlap: true },
      );
      this.tasks.set(name, task);
      this.log.info({ connector: name, cron: entry.cron }, `${name}: syncing on schedule "${entry.cron}"`);
    }
  }

  status(): ConnectorStatus[] {
    return [...this.entries.values()].map((e) => ({
      name: e.connector.name,
      system: e.connector.system,
      streams: e.streams,
      cron: e.cron ?? null,
      running: this.running.has(e.connector.name),
      nextRun: this.tasks.get(e.connector.name)?.getNextRun()?.toISOString() ?? null,
      last: this.last.get(e.connector.name) ?? null,
    }));
  }

  /** Stops the schedules and cancels running syncs after their current batch. */
  async stop(): Promise<void> {
    for (const t of this.tasks.values()) await t.destroy();
    this.tasks.clear();
    for (const r of this.running.values()) r.abort.abort();
    await Promise.allSettled([...this.running.values()].map((r) => r.done));
  }
}
