// `yibiao eval --truth FILE`: pairwise precision, recall, F1 and cluster counts of the stored
// links against a truth file: the truth.ndjson `yibiao datagen` writes, or a CSV or NDJSON from
// elsewhere (truth-file.ts reads both), with the core's pairwise evaluation.
import { parseArgs } from 'node:util';
import type { Command } from '../command.ts';
import { configOrExit } from '../config-or-exit.ts';
import { createLogger } from '../../logger.ts';
import { openHub } from '../../hub/hub.ts';
import { lineage, qualityOf } from '../../reconciler/stream/read-model.ts';
import { readTruthFile, TruthFileError } from '../../reconciler/truth-file.ts';

export const evalCommand: Command = {
  name: 'eval',
  summary: 'pairwise precision/recall/F1 of the stored links against a truth file (--truth FILE)',
  async run(argv) {
    const { values } = parseArgs({ args: argv, options: { truth: { type: 'string' }, json: { type: 'boolean', default: false } } });
    if (!values.truth) {
      process.stderr.write('usage: yibiao eval --truth FILE [--json]\n  FILE: NDJSON lines {system, id, personId} (as yibiao datagen writes truth.ndjson) or a CSV with a header\n  (source_system, source_record_id, person_id; other usual names are understood)\n');
      return 2;
    }
    let truth;
    try {
      truth = readTruthFile(values.truth);
    } catch (err) {
      if (!(err instanceof TruthFileError)) throw err;
      process.stderr.write(`yibiao eval: ${err.message}\n`);
      return 2;
    }
    const config = configOrExit();
    const hub = await openHub(config, createLogger(config.LOG_LEVEL === 'info' ? 'warn' : config.LOG_LEVEL), { ensureTopics: false });
    try {
      const q = qualityOf(await lineage(hub.database.db), truth);
      // A truth keyed otherwise than the hub (other system names, ids with a prefix) scores as if
      // every record were nobody's: say so rather than print a figure that only looks bad.
      if (q.records > 0 && q.unknown > q.records / 2) {
        const systems = [...new Set(truth.map((t) => t.system))].slice(0, 8).join(', ');
        process.stderr.write(`yibiao eval: ${q.unknown} of ${q.records} stored records are not in the truth; its systems are ${systems}. ` +
          'The truth must name records as `yibiao export lineage` does (source_system, source_record_id).\n');
      }
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
