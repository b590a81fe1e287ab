// `npm run bench -- block-rows [--persons N] [--seed S]`: what a reconciler batch asks PostgreSQL
// for as the population grows, counted without a database. Events arrive as the consumer reads
// them (population-events.ts arrivalOrder); each batch's blocking-key lookups return at most their
// bound + 1 rows (batch-state.ts), and an over-full key is read no more. Printed per tenth of the
// events: block rows per batch by key kind, and the distinct candidate records they name — the
// rows the load phase reads, which is why it grows while the writes stay flat (bench reconcile).
import { cpus, totalmem } from 'node:os';
import { parseArgs } from 'node:util';
import { topicSpec } from '../schemas/topics.ts';
import { blockLimit } from '../services/reconciler/blocking.ts';
import { DEFAULT_MODEL_CONFIG } from '../services/reconciler/model-config.ts';
import { RECONCILER_BATCH } from '../services/reconciler/stream/consumer.ts';
import { arrivalOrder, populationEvents } from '../services/reconciler/stream/population-events.ts';
import { prepareEvent } from '../services/reconciler/stream/reconcile-batch.ts';
import { writeResults } from './results.ts';

// Synchronous work; the Promise is the benchmarks' common interface (main.ts).
export function run(argv: string[]): Promise<void> {
  const { values } = parseArgs({ args: argv, options: { persons: { type: 'string', default: '290000' }, seed: { type: 'string', default: '1' } } });
  const fx = populationEvents(Number(values.persons), values.seed);
  const { arrival } = arrivalOrder(fx.events, topicSpec('member.observed').partitions, RECONCILER_BATCH);
  const blocking = DEFAULT_MODEL_CONFIG.blocking;
  const overfull = new Set<string>();
  const recordsOf = new Map<string, string[]>();
  const tenth = Math.ceil(arrival.length / 10);
  const rows: Array<{ upTo: number; perKind: Record<string, number>; total: number; candidates: number }> = [];
  let perKind = new Map<string, number>();
  let candidates = 0;
  let batches = 0;
  // A batch looks each distinct key up once, in the state the batches before it left (batch-state.ts).
  for (let b = 0; b < arrival.length; b += RECONCILER_BATCH) {
    const items = arrival.slice(b, b + RECONCILER_BATCH).map((e) => prepareEvent(e));
    const keys = new Set(items.flatMap((item) => item.blockingKeys));
    const named = new Set<string>();
    for (const k of keys) {
      if (overfull.has(k)) continue;
      const kind = k.slice(0, k.indexOf(':'));
      const stored = recordsOf.get(k) ?? [];
      perKind.set(kind, (perKind.get(kind) ?? 0) + Math.min(stored.length, blockLimit(blocking, k) + 1));
      if (stored.length <= blockLimit(blocking, k)) for (const r of stored) named.add(r);
    }
    candidates += named.size;
    batches++;
    for (const item of items) {
      for (const k of new Set(item.blockingKeys)) {
        if (overfull.has(k)) continue;
        const list = recordsOf.get(k) ?? [];
        list.push(item.key);
        recordsOf.set(k, list);
        // Over-full once it holds more than its bound of others: never read or written again.
        if (list.length > blockLimit(blocking, k) + 1) {
          overfull.add(k);
          recordsOf.delete(k);
        }
      }
    }
    const done = Math.min(b + RECONCILER_BATCH, arrival.length);
    if (Math.floor(done / tenth) > Math.floor(b / tenth) || done === arrival.length) {
      const since = done - (rows.at(-1)?.upTo ?? 0);
      const per = (x: number) => Math.round((x / since) * RECONCILER_BATCH);
      const kinds = Object.fromEntries([...perKind].sort((x, y) => y[1] - x[1]).map(([k, v]) => [k, per(v)]));
      rows.push({ upTo: done, perKind: kinds, total: per([...perKind.values()].reduce((x, y) => x + y, 0)), candidates: Math.round(candidates / batches) });
      perKind = new Map();
      candidates = 0;
      batches = 0;
    }
  }
  const totals = new Map<string, number>();
  for (const r of rows) for (const [k, v] of Object.entries(r.perKind)) totals.set(k, (totals.get(k) ?? 0) + v);
  const kinds = [...totals].sort((a, b) => b[1] - a[1]).map(([k]) => k);
  const lines = [
    `# Block rows per reconciler batch (${new Date().toISOString()})`,
    '',
    `Command: \`npm run bench -- block-rows --persons ${values.persons} --seed ${values.seed}\` on ${cpus().length} cores / ${Math.round(totalmem() / 2 ** 30)} GiB; ${arrival.length} member observations, batches of ${RECONCILER_BATCH}.`,
    '',
    `| events up to | block rows | ${kinds.join(' | ')} | distinct candidates |`,
    `|---:|---:|${kinds.map(() => '---:').join('|')}|---:|`,
    ...rows.map((r) => `| ${r.upTo} | ${r.total} | ${kinds.map((k) => r.perKind[k] ?? 0).join(' | ')} | ${r.candidates} |`),
    '',
    `Bounds: ${blocking.maxBlockSize} per key, ${blocking.maxNameOnlyBlockSize ?? blocking.maxBlockSize} for the name-only key (n:); over-full keys at the end: ${overfull.size}.`,
    '',
  ];
  console.log(lines.join('\n'));
  for (const f of writeResults('block-rows', { persons: Number(values.persons), seed: values.seed, observations: arrival.length, rows, overfull: overfull.size }, lines.join('\n'))) console.log(`wrote ${f}`);
  return Promise.resolve();
}
