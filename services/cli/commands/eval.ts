// `yibiao eval --truth FILE`: pairwise precision, recall, F1 and cluster counts of the stored
// links against a truth.ndjson written by `yibiao datagen` (the core's pairwise evaluation).
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import type { Command } from '../command.ts';
import { configOrExit } from '../config-or-exit.ts';
import { createLogger } from '../../logger.ts';
import { openHub } from '../../hub/hub.ts';
import { lineage, qualityOf, type TruthRecord } from '../../reconciler/stream/read-model.ts';

async function readTruth(file: string): Promise<TruthRecord[]> {
  const out: TruthRecord[] = [];
  for await (const line of createInterface({ input: createReadStream(file), crlfDelay: Infinity })) {
    if (line.trim() === '') continue;
    const t = JSON.parse(line) as { system?: unknown; id?: unknown; personId?: unknown };
    if (typeof t.system !== 'string' || typeof t.id !== 'string') throw new Error(`${file}: not a truth line: ${line.slice(0, 120)}`);
    out.push({ system: t.system, id: t.id, personId: typeof t.personId === 'string' ? t.personId : null });
  }
  return out;
}

export const evalCommand: Command = {
  name: 'eval',
  summary: 'pairwise precision/recall/F1 of the stored links against a truth file (--truth FILE)',
  async run(argv) {
    const { values } = parseArgs({ args: argv, options: { truth: { type: 'string' }, json: { type: 'boolean', default: false } } });
    if (!values.truth) {
      process.stderr.write('usage: yibiao eval --truth truth.ndjson [--json]\n');
      return 2;
    }
    const truth = await readTruth(values.truth);
    const config = configOrExit();
    const hub = await openHub(config, createLogger(config.LOG_LEVEL === 'info' ? 'warn' : config.LOG_LEVEL), { ensureTopics: false });
    try {
      const q = qualityOf(await lineage(hub.database.db), truth);
      if (values.json) process.stdout.write(`${JSON.stringify(q)}\n`);
      else {
        process.stdout.write(
          `records ${q.records} (not in the truth: ${q.unknown}) · masters ${q.clusters} · persons ${q.persons} · exact masters ${q.exactClusters}\n` +
            `precision ${q.precision.toFixed(5)} · recall ${q.recall.toFixed(5)} · F1 ${q.f1.toFixed(5)}\n` +
            `pairs: true ${q.truePairs} · predicted ${q.predictedPairs} · correct ${q.correctPairs}\n`,
        );
      }
      return 0;
    } finally {
      await hub.close();
    }
  },
};
