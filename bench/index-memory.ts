// `npm run bench -- index-memory [--persons N] [--seed S]`: what a candidate index held in the
// consumer's memory would cost (docs/ARCHITECTURE.md, Reconciler: the next step for throughput),
// measured before building one. A seeded population's records are normalised as the consumer
// does (prepareEvent), then held three ways and the heap weighed after a full GC each time: the
// normalised records as objects (what scoring reads), the same as UTF-8 JSON buffers (a compact
// store to parse on use), and every blocking key with its records' keys (the blocks).
// Per record, so the 1M figure is the per-record cost × 997,440 plus the process's base.
import { cpus, totalmem } from 'node:os';
import { parseArgs } from 'node:util';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { populationEvents } from '../services/reconciler/stream/population-events.ts';
import { prepareEvent } from '../services/reconciler/stream/reconcile-batch.ts';
import { writeResults } from './results.ts';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const heap = (): number => {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
};
const mib = (x: number) => `${(x / 2 ** 20).toFixed(0)} MiB`;

export async function run(argv: string[]): Promise<void> {
  const { values } = parseArgs({ args: argv, options: { persons: { type: 'string', default: '100000' }, seed: { type: 'string', default: '1' } } });
  // Kept as JSON text first, so that building each structure below allocates all of it.
  const json: string[] = [];
  const keys: string[] = [];
  const blockingKeys: string[][] = [];
  {
    const fx = populationEvents(Number(values.persons), values.seed);
    for (const e of fx.events) {
      const p = prepareEvent(e);
      keys.push(p.key);
      json.push(JSON.stringify(p.normalised));
      blockingKeys.push([...p.blockingKeys]);
    }
  }
  const n = keys.length;
  const base = heap();
  const objects = json.map((s) => JSON.parse(s) as unknown);
  const afterObjects = heap();
  const buffers = json.map((s) => Buffer.from(s));
  const afterBuffers = heap();
  const external = buffers.reduce((s, b) => s + b.length, 0);
  const blocks = new Map<string, string[]>();
  keys.forEach((k, i) => {
    for (const b of blockingKeys[i]!) {
      let list = blocks.get(b);
      if (list === undefined) blocks.set(b, (list = []));
      list.push(k);
    }
  });
  const afterBlocks = heap();
  const per = { objects: (afterObjects - base) / n, buffers: (afterBuffers - afterObjects + external) / n, blocks: (afterBlocks - afterBuffers) / n };
  const at1M = (x: number) => mib(x * 997_440);
  const lines = [
    `# Memory of a candidate index in the consumer (${new Date().toISOString()})`,
    '',
    `Command: \`npm run bench -- index-memory --persons ${values.persons} --seed ${values.seed}\` on ${cpus().length} cores / ${Math.round(totalmem() / 2 ** 30)} GiB; ${n} records, ${blocks.size} blocking keys.`,
    '',
    '| held | bytes per record | at 997,440 records |',
    '|---|---:|---:|',
    `| normalised records as objects | ${per.objects.toFixed(0)} | ${at1M(per.objects)} |`,
    `| normalised records as UTF-8 JSON buffers | ${per.buffers.toFixed(0)} | ${at1M(per.buffers)} |`,
    `| blocking keys → record keys (strings) | ${per.blocks.toFixed(0)} | ${at1M(per.blocks)} |`,
    '',
    'The reconciler\'s peak RSS at 1M is about 1 GiB without an index (bench/results/reconcile-latest.md), against a 1.5 GiB target.',
    '',
  ];
  console.log(lines.join('\n'));
  for (const f of writeResults('index-memory', { persons: Number(values.persons), seed: values.seed, records: n, blockingKeys: blocks.size, bytesPerRecord: per }, lines.join('\n'))) console.log(`wrote ${f}`);
  // Each structure stays reachable until every one is weighed.
  void [objects, buffers];
  return Promise.resolve();
}
