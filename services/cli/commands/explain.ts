// `yibiao explain <masterId | recordA recordB>`: why records were (or were not) linked — the
// comparison levels and match weights in numbers, under the stored model.
import type { Command } from '../command.ts';
import { configOrExit } from '../config-or-exit.ts';
import { createLogger } from '../../logger.ts';
import { openHub } from '../../hub/hub.ts';
import { explainMaster, explainPair } from '../../reconciler/stream/explain.ts';

const USAGE = 'usage: yibiao explain <masterId>\n       yibiao explain <recordA> <recordB>   (a record: system/instance/recordId or system:recordId)\n';

export const explain: Command = {
  name: 'explain',
  summary: 'show the match waterfall of a master or of two source records',
  async run(argv) {
    const args = argv.filter((a) => !a.startsWith('-'));
    if (args.length !== 1 && args.length !== 2) {
      process.stderr.write(USAGE);
      return 2;
    }
    const config = configOrExit();
    const hub = await openHub(config, createLogger(config.LOG_LEVEL === 'info' ? 'warn' : config.LOG_LEVEL), { ensureTopics: false });
    try {
      const lines = args.length === 1 ? await explainMaster(hub.database.db, args[0]!) : await explainPair(hub.database.db, args[0]!, args[1]!);
      process.stdout.write(`${lines.join('\n')}\n`);
      return 0;
    } catch (err) {
      process.stderr.write(`yibiao explain: ${(err as Error).message}\n`);
      return 1;
    } finally {
      await hub.close();
    }
  },
};
