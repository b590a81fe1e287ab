// Runs one stream of one connector (a live sync from its cursor, or a native file import) onto
// the bus. The cursor moves only after a batch's events and dead letters are acknowledged, so a
// run killed at any point resumes exactly after the last acknowledged batch.
import type { Logger } from 'pino';
import type { Connector, ReadBatch } from '../../connectors/contract.ts';
import type { EventBus } from '../bus/port.ts';
import { publishBatch } from './publish-batch.ts';
import type { CursorRepository } from './cursor-repository.ts';
import type { RunCounts, RunRepository } from './run-repository.ts';

export interface RunDeps {
  readonly bus: EventBus;
  readonly cursors: CursorRepository;
  readonly runs: RunRepository;
  readonly logger: Logger;
  /** After each acknowledged batch: that batch's counts and the run's totals so far. */
  readonly onBatch?: (connector: string, batch: RunCounts, totals: RunCounts & { batch: number }) => void;
}

export interface RunResult extends RunCounts {
  readonly runId: string;
  readonly status: 'succeeded' | 'failed';
  readonly durationMs: number;
  readonly error?: string;
}

async function drive(
  deps: RunDeps,
  connector: Connector,
  run: { stream: string; mode: 'sync' | 'import'; source?: string; triggeredBy?: string },
  batches: (signal?: AbortSignal) => Promise<AsyncIterable<ReadBatch>>,
  afterBatch: (batch: ReadBatch) => Promise<void>,
  signal?: AbortSignal,
): Promise<RunResult> {
  const started = Date.now();
  const runId = await deps.runs.start({ connector: connector.name, ...run });
  const counts: RunCounts = { recordsRead: 0, eventsEmitted: 0, deadLettered: 0 };
  const log = deps.logger.child({ connector: connector.name, stream: run.stream, mode: run.mode, runId });
  let n = 0;
  try {
    const it = (await batches(signal))[Symbol.asyncIterator]();
    // The next batch is read while this one is published: the source and the bus work in
    // parallel, and the cursor still moves strictly in order, after each acknowledgement.
    let next = it.next();
    for (;;) {
      const step = await next;
      if (step.done) break;
      const batch = step.value;
      next = it.next();
      next.catch(() => undefined); // surfaced by the await above; not unhandled meanwhile
      const c = await publishBatch(deps.bus, { system: connector.system, instance: connector.instance }, batch);
      await afterBatch(batch);
      counts.recordsRead += batch.recordsRead;
      counts.eventsEmitted += c.emitted;
      counts.deadLettered += c.deadLettered;
      deps.onBatch?.(connector.name, { recordsRead: batch.recordsRead, eventsEmitted: c.emitted, deadLettered: c.deadLettered }, { ...counts, batch: ++n });
      if (n % 20 === 0) await deps.runs.progress(runId, counts);
      if (signal?.aborted) {
        await it.return?.();
        throw new Error('run cancelled');
      }
    }
    await deps.runs.finish(runId, counts);
    const durationMs = Date.now() - started;
    log.info({ ...counts, durationMs }, `${connector.name}/${run.stream} ${run.mode}: read ${counts.recordsRead}, emitted ${counts.eventsEmitted}, dead-lettered ${counts.deadLettered} in ${durationMs} ms`);
    return { runId, status: 'succeeded', durationMs, ...counts };
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    await deps.runs.finish(runId, counts, message).catch(() => undefined);
    const durationMs = Date.now() - started;
    log.error({ ...counts, durationMs, err: message }, `${connector.name}/${run.stream} ${run.mode} failed after ${counts.recordsRead} records: ${message}`);
    return { runId, status: 'failed', durationMs, error: message, ...counts };
  }
}

/** Cursors belong to one deployment of a system: another instance starts from its own beginning. */
export function cursorKey(connector: Pick<Connector, 'name' | 'instance'>): string {
  return `${connector.name}@${connector.instance}`;
}

/**
 * `triggeredBy`: the person who asked for this sync through the API, kept in the run history.
 * `fromStart`: read the whole stream again instead of from the stored cursor, for sources whose
 * cursor only finds new records (WeChat followers) once their mapping has more to say about the
 * old ones (a QR scene table configured later, remark edits); unchanged records give the same
 * event ids and deduplicate downstream.
 */
export function syncStream(deps: RunDeps, connector: Connector, stream: string, opts: { signal?: AbortSignal; triggeredBy?: string; fromStart?: boolean } = {}): Promise<RunResult> {
  const { signal, triggeredBy } = opts;
  return drive(
    deps,
    connector,
    { stream, mode: 'sync', triggeredBy },
    async (s) => connector.read(stream, opts.fromStart === true ? null : await deps.cursors.get(cursorKey(connector), stream), s),
    (batch) => deps.cursors.set(cursorKey(connector), stream, batch.cursor),
    signal,
  );
}

export function importFile(
  deps: RunDeps,
  connector: Connector,
  file: string,
  onProgress?: (done: number, total: number | undefined) => void,
  signal?: AbortSignal,
): Promise<RunResult> {
  return drive(deps, connector, { stream: 'import', mode: 'import', source: file }, () => connector.importFile(file, onProgress), () => Promise.resolve(), signal);
}
