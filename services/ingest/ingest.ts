// The ingest engine of a running hub: connectors built from the configuration, their schedules,
// and counts in /metrics.
import type { Logger } from 'pino';
import type { Hub } from '../hub/hub.ts';
import { buildConnectors, type BuiltConnectors } from './build-connectors.ts';
import { CursorRepository } from './cursor-repository.ts';
import type { RunDeps } from './run-connector.ts';
import { RunRepository } from './run-repository.ts';
import { IngestScheduler } from './scheduler.ts';

export interface Ingest {
  readonly scheduler: IngestScheduler;
  readonly built: BuiltConnectors;
  close(): Promise<void>;
}

/** Runner dependencies on a hub: metrics per batch, plus the caller's own listener (a progress bar). */
export function runDeps(hub: Hub, logger: Logger = hub.logger, onBatch?: RunDeps['onBatch']): RunDeps {
  const { ingested } = hub.metrics;
  return {
    bus: hub.bus,
    cursors: new CursorRepository(hub.database.db),
    runs: new RunRepository(hub.database.db),
    logger,
    onBatch: (connector, b, totals) => {
      ingested.inc({ connector, outcome: 'read' }, b.recordsRead);
      ingested.inc({ connector, outcome: 'emitted' }, b.eventsEmitted);
      ingested.inc({ connector, outcome: 'dead_lettered' }, b.deadLettered);
      onBatch?.(connector, b, totals);
    },
  };
}

export async function openIngest(hub: Hub): Promise<Ingest> {
  const built = await buildConnectors(hub.config, hub.logger);
  const scheduler = new IngestScheduler(runDeps(hub));
  for (const e of built.entries) scheduler.add(e);
  return {
    scheduler,
    built,
    close: async () => {
      await scheduler.stop();
      await built.close();
    },
  };
}
