// `yibiao export lineage|masters`: the master data as CSV on stdout (or --out FILE), for
// spreadsheets and audits; masters also as .xlsx (`--format xlsx --out FILE`, zh-CN headers).
// Lineage says which source record became which master. Masters are read page by page, so a
// large export does not hold them all; the columns are read-model.ts's, whatever the format.
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { parseArgs } from 'node:util';
import type { Command } from '../command.ts';
import { configOrExit } from '../config-or-exit.ts';
import { createLogger } from '../../logger.ts';
import { openHub } from '../../hub/hub.ts';
import { writeMastersXlsx } from '../../reconciler/stream/masters-xlsx.ts';
import { csvLine, lineage, MASTER_COLUMNS, masterCsvLine, streamActiveMasters } from '../../reconciler/stream/read-model.ts';

const USAGE = 'usage: yibiao export lineage [--out FILE]\n       yibiao export masters [--format csv|xlsx] [--out FILE]   (xlsx needs --out; csv is the default)\n';

export const exportCommand: Command = {
  name: 'export',
  summary: 'write master data: lineage (source record → master) or masters, as CSV or xlsx [--format csv|xlsx] [--out FILE]',
  async run(argv) {
    let parsed;
    try {
      parsed = parseArgs({ args: argv, allowPositionals: true, options: { out: { type: 'string' }, format: { type: 'string', default: 'csv' } } });
    } catch (err) {
      process.stderr.write(`yibiao export: ${(err as Error).message}\n${USAGE}`);
      return 2;
    }
    const { values, positionals } = parsed;
    const what = positionals[0];
    const format = values.format;
    if ((what !== 'lineage' && what !== 'masters') || (format !== 'csv' && format !== 'xlsx') || (format === 'xlsx' && (what !== 'masters' || !values.out))) {
      process.stderr.write(USAGE);
      return 2;
    }
    const config = configOrExit();
    const hub = await openHub(config, createLogger(config.LOG_LEVEL === 'info' ? 'warn' : config.LOG_LEVEL), { ensureTopics: false });
    try {
      if (format === 'xlsx') {
        const n = await writeMastersXlsx(values.out!, streamActiveMasters(hub.database.db));
        process.stderr.write(`${n} masters → ${values.out!}\n`);
        return 0;
      }
      const out = values.out ? createWriteStream(values.out) : process.stdout;
      const write = async (line: string) => {
        if (!out.write(`${line}\n`)) await once(out, 'drain');
      };
      if (what === 'lineage') {
        await write('source_system,source_record_id,master_id');
        for (const r of await lineage(hub.database.db)) await write(csvLine([r.system, r.recordId, r.masterId]));
      } else {
        await write(csvLine(MASTER_COLUMNS.map((c) => c.key)));
        for await (const m of streamActiveMasters(hub.database.db)) await write(masterCsvLine(m));
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
