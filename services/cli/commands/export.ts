// `yibiao export lineage|masters`: the master data as CSV on stdout (or --out FILE), for
// spreadsheets and audits. Lineage says which source record became which master.
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { parseArgs } from 'node:util';
import type { Command } from '../command.ts';
import { configOrExit } from '../config-or-exit.ts';
import { createLogger } from '../../logger.ts';
import { openHub } from '../../hub/hub.ts';
import { activeMasters, csvLine, lineage, MASTER_CSV_FIELDS, masterCsvLine } from '../../reconciler/stream/read-model.ts';

const USAGE = 'usage: yibiao export <lineage|masters> [--out FILE]\n';

export const exportCommand: Command = {
  name: 'export',
  summary: 'write master data as CSV: lineage (source record → master) or masters [--out FILE]',
  async run(argv) {
    const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { out: { type: 'string' } } });
    const what = positionals[0];
    if (what !== 'lineage' && what !== 'masters') {
      process.stderr.write(USAGE);
      return 2;
    }
    const config = configOrExit();
    const hub = await openHub(config, createLogger(config.LOG_LEVEL === 'info' ? 'warn' : config.LOG_LEVEL), { ensureTopics: false });
    const out = values.out ? createWriteStream(values.out) : process.stdout;
    const write = async (line: string) => {
      if (!out.write(`${line}\n`)) await once(out, 'drain');
    };
    try {
      if (what === 'lineage') {
        await write('source_system,source_record_id,master_id');
        for (const r of await lineage(hub.database.db)) await write(csvLine([r.system, r.recordId, r.masterId]));
      } else {
        await write(csvLine(['master_id', 'revision', ...MASTER_CSV_FIELDS]));
        for (const m of await activeMasters(hub.database.db)) await write(masterCsvLine(m));
      }
      if (out !== process.stdout) {
        out.end();
        await once(out, 'finish');
      }
      return 0;
    } finally {
      await hub.close();
    }
  },
};
