// `yibiao datagen`: writes a seeded synthetic population (each system's native files plus the
// ground truth) for simulators, tests and benchmarks. See connectors/population/README.md.
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { generatePopulation, writePopulation } from '../../../connectors/population/index.ts';
import type { Command } from '../command.ts';

const USAGE = `usage: yibiao datagen --persons N --seed S --out DIR [options]

  --persons N        party members to generate (positive integer; non-members come on top)
  --seed S           any string or number; the same seed always gives the same bytes
  --out DIR          directory to write into (created if missing; files are overwritten)
  --noise-scale X    multiply every noise rate by X (0 = clean data; default 1)
  --quarters Q       quarters of tasks and study records, ending with --as-of's (default 2)
  --as-of DATE       reference date YYYY-MM-DD (default 2025-06-30)
  --quiet            no progress on stderr
`;

function fail(message: string): number {
  process.stderr.write(`yibiao datagen: ${message}\n\n${USAGE}`);
  return 2;
}

function positiveInt(text: string | undefined, name: string): number | string {
  if (text === undefined) return `--${name} is required`;
  if (!/^\d+$/u.test(text) || Number(text) < 1 || !Number.isSafeInteger(Number(text))) return `--${name} must be a positive integer, got "${text}"`;
  return Number(text);
}

export const datagen: Command = {
  name: 'datagen',
  summary: 'write a seeded synthetic population with ground truth (--persons N --seed S --out DIR)',
  async run(argv) {
    let values;
    try {
      ({ values } = parseArgs({
        args: argv,
        strict: true,
        allowPositionals: false,
        options: {
          persons: { type: 'string' }, seed: { type: 'string' }, out: { type: 'string' },
          'noise-scale': { type: 'string' }, quarters: { type: 'string' }, 'as-of': { type: 'string' },
          quiet: { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h', default: false },
        },
      }));
    } catch (err) {
      return fail((err as Error).message);
    }
    if (values.help) {
      process.stdout.write(USAGE);
      return 0;
    }
    const persons = positiveInt(values.persons, 'persons');
    if (typeof persons === 'string') return fail(persons);
    if (values.seed === undefined || values.seed === '') return fail('--seed is required');
    if (values.out === undefined || values.out === '') return fail('--out is required');
    const quarters = values.quarters === undefined ? 2 : positiveInt(values.quarters, 'quarters');
    if (typeof quarters === 'string') return fail(quarters);
    const noiseScale = values['noise-scale'] === undefined ? 1 : Number(values['noise-scale']);
    if (!Number.isFinite(noiseScale) || noiseScale < 0) return fail(`--noise-scale must be a number ≥ 0, got "${values['noise-scale']}"`);
    const asOf = values['as-of'];
    if (asOf !== undefined && (!/^\d{4}-\d{2}-\d{2}$/u.test(asOf) || Number.isNaN(Date.parse(`${asOf}T00:00:00Z`)))) {
      return fail(`--as-of must be a date YYYY-MM-DD, got "${asOf}"`);
    }

    const out = resolve(values.out);
    const quiet = values.quiet;
    const started = performance.now();
    let lastPhase = '';
    let lastAt = 0;
    const progress = (phase: string, done: number, total: number) => {
      if (quiet) return;
      const now = performance.now();
      if (phase === lastPhase && now - lastAt < 1000) return;
      lastPhase = phase;
      lastAt = now;
      const pct = total > 0 && done > 0 && done < total ? ` ${Math.floor((done / total) * 100)}%` : '';
      process.stderr.write(`[${((now - started) / 1000).toFixed(1)}s] ${phase}${pct}\n`);
    };

    let population;
    try {
      population = generatePopulation({ persons, seed: values.seed, noiseScale, quarters, ...(asOf ? { asOf } : {}), onProgress: progress });
    } catch (err) {
      return fail((err as Error).message);
    }
    const generated = performance.now();
    const manifest = await writePopulation(population, out, (file) => progress(`writing ${file}`, 0, 0));
    const done = performance.now();
    const c = manifest.counts;
    process.stdout.write(
      `wrote ${c.records} source records for ${c.persons} members and ${c.outsiders} non-members ` +
        `(${c.orgs} orgs, ${c.tasks} tasks) to ${out}\n` +
        `generated in ${((generated - started) / 1000).toFixed(1)}s, written in ${((done - generated) / 1000).toFixed(1)}s\n`,
    );
    for (const [file, n] of Object.entries(manifest.files)) process.stdout.write(`  ${file.padEnd(28)} ${n}\n`);
    return 0;
  },
};
