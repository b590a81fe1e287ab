import { parseArgs } from 'node:util';
import type { Command } from '../command.ts';
import { configOrExit } from '../config-or-exit.ts';
import { createLogger } from '../../logger.ts';
import { openHub } from '../../hub/hub.ts';
import { buildConnectors, CONNECTOR_NAMES } from '../../ingest/build-connectors.ts';
import { runDeps } from '../../ingest/ingest.ts';
import { syncStream } from '../../ingest/run-connector.ts';
import { ingestDetail, progress } from '../progress.ts';

export const sync: Command = {
  name: 'sync',
  summary: `sync one connector now from its cursor (${CONNECTOR_NAMES.join(', ')}) [--stream NAME] [--from-start]`,
  async run(argv) {
    const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { stream: { type: 'string' }, 'from-start': { type: 'boolean', default: false } } });
    const name = positionals[0];
    if (!name || !(CONNECTOR_NAMES as readonly string[]).includes(name)) {
      process.stderr.write(`usage: yibiao sync <${CONNECTOR_NAMES.join('|')}> [--stream NAME] [--from-start]\n`);
      return 2;
    }
    const config = configOrExit();
    const logger = createLogger(config.LOG_LEVEL === 'info' ? 'warn' : config.LOG_LEVEL);
    const hub = await openHub(config, logger);
    const built = await buildConnectors(config, logger, { only: name });
    try {
      const entry = built.entries[0];
      if (!entry) {
        process.stderr.write(`yibiao sync: connector ${name} is not configured (set its YIBIAO_*_URL, or YIBIAO_DEMO=on)\n`);
        return 1;
      }
      const streams = values.stream ? [values.stream] : entry.streams;
      let failed = 0;
      for (const stream of streams) {
        const bar = progress(`${name}/${stream}`);
        const r = await syncStream(runDeps(hub, logger, (_c, _b, t) => bar.update(t.recordsRead, undefined, ingestDetail(t))), entry.connector, stream, { fromStart: values['from-start'] });
        bar.stop();
        process.stdout.write(`${name}/${stream}: ${r.status} — read ${r.recordsRead}, emitted ${r.eventsEmitted}, dead-lettered ${r.deadLettered} in ${(r.durationMs / 1000).toFixed(1)} s${r.error ? ` (${r.error})` : ''}\n`);
        if (r.status === 'failed') failed++;
      }
      return failed === 0 ? 0 : 1;
    } finally {
      await built.close();
      await hub.close();
    }
  },
};
