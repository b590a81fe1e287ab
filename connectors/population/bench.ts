// Generation throughput: `node connectors/population/bench.ts [--persons N] [--seed S] [--write DIR]`.
// Prints source records per second for the in-memory generator (and for writing, with --write).
// It prints figures only; recording them under bench/results is the benchmark harness's job.
import { parseArgs } from 'node:util';
import { generatePopulation, writePopulation } from './index.ts';

const { values } = parseArgs({
  options: { persons: { type: 'string', default: '250000' }, seed: { type: 'string', default: 'bench' }, write: { type: 'string' } },
});
const persons = Number(values.persons);
if (!Number.isSafeInteger(persons) || persons < 1) {
  process.stderr.write(`--persons must be a positive integer, got "${values.persons}"\n`);
  process.exit(2);
}

const heapBefore = process.memoryUsage().heapUsed;
const t0 = performance.now();
const pop = generatePopulation({ persons, seed: values.seed });
const seconds = (performance.now() - t0) / 1000;
const heapMiB = (process.memoryUsage().heapUsed - heapBefore) / 2 ** 20;
const records = pop.counts.records;

const lines = [
  `population generate: ${persons} members, ${pop.outsiders.length} non-members, ${records} source records`,
  `  by system: ${JSON.stringify(pop.counts.bySystem)}`,
  `  time ${seconds.toFixed(2)} s, ${Math.round(records / seconds)} records/s, heap +${heapMiB.toFixed(0)} MiB`,
  `  1M records would take ~${((1_000_000 / records) * seconds).toFixed(1)} s at this rate (budget: 60 s)`,
];
if (values.write !== undefined) {
  const t1 = performance.now();
  await writePopulation(pop, values.write);
  const w = (performance.now() - t1) / 1000;
  lines.push(`population write: ${w.toFixed(2)} s, ${Math.round(records / w)} records/s to ${values.write}`);
}
process.stdout.write(`${lines.join('\n')}\n`);
