import { existsSync } from 'node:fs';
import type { Command } from '../command.ts';
import { configOrExit } from '../config-or-exit.ts';
import { createLogger } from '../../logger.ts';
import { openHub } from '../../hub/hub.ts';
import { buildConnectors, CONNECTOR_NAMES } from '../../ingest/build-connectors.ts';
import { runDeps } from '../../ingest/ingest.ts';
import { importFile } from '../../ingest/run-connector.ts';
import { ingestDetail, progress } from '../progress.ts';

export const importCommand: Command = {
  name: 'import',
  summary: 'ingest a native export file through the same mapping and dead letters as a sync: import <connector> <file>',
  async run(argv) {
    const [name, file] = argv;
    if (!name || !file || !(CONNECTOR_NAMES as readonly string[]).includes(name)) {
      process.stderr.write(`usage: yibiao import <${CONNECTOR_NAMES.join('|')}> <file>\n`);
      return 2;
    }
    if (!existsSync(file)) {
      process.stderr.write(`yibiao import: ${file}: no such file\n`);
      return 2;
    }
    const config = configOrExit();
    const logger = createLogger(config.LOG_LEVEL === 'info' ? 'warn' : config.LOG_LEVEL);
    const hub = await openHub(config, logger);
    const built = await buildConnectors(config, logger, { only: name, forImport: true });
    try {
      const entry = built.entries[0];
      if (!entry) throw new Error(`connector ${name} is not available`);
      const parse = progress(`${name}: reading ${file}`);
      const deps = runDeps(hub, logger, (_c, _b, t) => parse.update(t.recordsRead, undefined, ingestDetail(t)));
      const r = await importFile(deps, entry.connector, file, (done, total) => parse.update(done, total, 'parsed'));
      parse.stop();
      process.stdout.write(
        r.status === 'succeeded'
          ? `${file}: read ${r.recordsRead} records, emitted ${r.eventsEmitted} events, dead-lettered ${r.deadLettered} in ${(r.durationMs / 1000).toFixed(1)} s\n`
          : `${file}: refused — ${r.error ?? 'unknown error'} (${r.recordsRead === 0 ? 'nothing was published' : `${r.eventsEmitted} events from the first ${r.recordsRead} records were published before the failure; a rerun republishes them with the same event ids`})\n`,
      );
      return r.status === 'succeeded' ? 0 : 1;
    } finally {
      await built.close();
      await hub.close();
    }
  },
};
