// `npm run bench -- reconcile [--persons N] [--seed S] [--batch N] [--one-partition] [--repair]`: member observations of a
// seeded population from Kafka to master records in PostgreSQL. In one run on one machine it
// measures (1) raw kafkajs consuming the very same messages, (2) `yibiao reconcile --drain` in a
// child process of its own (its wall time, rate and peak RSS), (3) pairwise quality of the result
// against the generator's truth. The default size is the issue's target: about 1M observations.
// Needs KAFKA_BROKERS and DATABASE_URL (a role that may create databases); works in a database and
// under a topic prefix of its own and drops the database afterwards. `--one-partition` publishes
// every event under one key: a total order, so two runs decide exactly alike (an A/B check that a
// change leaves every decision as it was; across partitions the interleaving differs run to run).
// `--repair` then runs `yibiao reconcile --reestimate` with YIBIAO_TF_OVER_MASTERS=on and scores
// the masters again (stream/tf-recount.ts).
import { spawn } from 'node:child_process';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Kafka, logLevel } from 'kafkajs';
import { pino } from 'pino';
import { repoRoot } from '../services/paths.ts';
import { MEMBER_TOPIC } from '../services/reconciler/stream/consumer.ts';
import { messagesOf, populationEvents } from '../services/reconciler/stream/population-events.ts';
import { lineage, qualityOf } from '../services/reconciler/stream/read-model.ts';
import { benchStores } from './bench-store.ts';
import { writeResults } from './results.ts';

export async function run(argv: string[]): Promise<void> {
  const { values } = parseArgs({ args: argv, options: { persons: { type: 'string', default: '290000' }, seed: { type: 'string', default: '1' }, batch: { type: 'string' }, 'one-partition': { type: 'boolean', default: false }, 'heap-mib': { type: 'string' }, repair: { type: 'boolean', default: false } } });
  const logger = pino({ level: 'warn' });
  const stores = await benchStores('reconcile', logger);
  try {
    const { database, bus, brokers, prefix, url } = await stores.open();
    let t = performance.now();
    const fx = populationEvents(Number(values.persons), values.seed);
    const generateS = (performance.now() - t) / 1000;
    const n = fx.events.length;
    console.log(`persons ${values.persons} · seed ${values.seed} · ${n} member observations generated in ${generateS.toFixed(1)} s`);
    t = performance.now();
    const chunk = 5000;
    for (let i = 0; i < n; i += chunk) await bus.publish(MEMBER_TOPIC, messagesOf(fx.events.slice(i, i + chunk), values['one-partition'] ? 'one-partition' : null));
    console.log(`published to Kafka in ${((performance.now() - t) / 1000).toFixed(1)} s`);
    const truth = fx.truth;
    fx.events.length = 0;

    const raw = await rawConsume(brokers, `${prefix}${MEMBER_TOPIC}`, n);
    console.log(`raw kafkajs consume: ${n} messages in ${raw.toFixed(1)} s = ${(n / raw).toFixed(0)}/s`);

    // Debug level: the reconciler logs each batch's phase times (JSON lines on stdout), summed below.
    const env = { ...process.env, DATABASE_URL: url, KAFKA_BROKERS: brokers.join(','), YIBIAO_TOPIC_PREFIX: prefix, LOG_LEVEL: 'debug' };
    // --heap-mib N: V8's old-space limit for the reconciler (node --max-old-space-size), to see
    // how much of the peak RSS is garbage V8 chose not to collect yet.
    const heap = values['heap-mib'] === undefined ? [] : [`--max-old-space-size=${Number(values['heap-mib'])}`];
    const args = [...heap, join(repoRoot, 'services', 'cli', 'main.ts'), 'reconcile', '--drain', '--timeout', '240', ...(values.batch ? ['--batch', values.batch] : [])];
    t = performance.now();
    const childStart = Date.now();
    const output = await child(args, env);
    const childEnd = Date.now();
    const wallS = (performance.now() - t) / 1000;
    const phases = { lock: 0, load: 0, decide: 0, write: 0, survive: 0 };
    const steps = new Map<string, number>();
    let batches = 0;
    const timeline: BatchLine[] = [];
    const plain: string[] = [];
    // The reconciler's warnings and errors (a batch failed and redone one event at a time, say): a
    // run that had them is not the figure it seems.
    const warnings = new Map<string, number>();
    for (const line of output.split('\n')) {
      if (!line.startsWith('{')) {
        plain.push(line);
        continue;
      }
      const j = JSON.parse(line) as { msg?: string; ms?: typeof phases; steps?: Record<string, number>; time?: string | number; events?: number; level?: number | string; reason?: string; component?: string };
      // kafkajs's own warnings are start-up notices (partitioner, retries); its errors (a lost
      // session, a rebalance) are the reconciler's too.
      const level = levelOf(j.level);
      if (level >= pino.levels.values.warn! && (j.component !== 'kafkajs' || level >= pino.levels.values.error!)) {
        const what = `${j.msg ?? ''}${j.reason === undefined ? '' : `: ${j.reason.slice(0, 200)}`}`;
        warnings.set(what, (warnings.get(what) ?? 0) + 1);
      }
      if (j.msg !== 'reconciler batch' || !j.ms) continue;
      batches++;
      // The hub's logger writes ISO times; pino's default is epoch milliseconds.
      timeline.push({ time: typeof j.time === 'string' ? Date.parse(j.time) : (j.time ?? 0), events: j.events ?? 0, ms: j.ms });
      for (const k of Object.keys(phases) as Array<keyof typeof phases>) phases[k] += j.ms[k];
      for (const [k, v] of Object.entries(j.steps ?? {})) steps.set(k, (steps.get(k) ?? 0) + v);
    }
    const out = plain.join('\n');
    // The wall time in three: start-up and model estimation (until the first batch began), the batches, and after the last.
    const first = timeline[0];
    const firstStart = first ? first.time - Object.values(first.ms).reduce((a, b) => a + b, 0) : NaN;
    const lastEnd = timeline.length > 0 ? timeline[timeline.length - 1]!.time : NaN;
    const split = { beforeBatchesS: (firstStart - childStart) / 1000, batchesS: (lastEnd - firstStart) / 1000, afterBatchesS: (childEnd - lastEnd) / 1000 };
    const rss = Number(/peak RSS (\d+) MiB/u.exec(out)?.[1] ?? NaN);
    // Where it peaked (services/cli/memory-peak.ts): the phase and how the memory was made up.
    const rssAt = /peak RSS \d+ MiB \((.*)\)/u.exec(out)?.[1] ?? null;
    const drainS = Number(/in ([\d.]+) s/u.exec(out)?.[1] ?? NaN);
    const q = qualityOf(await lineage(database.db), truth);
    const rate = n / wallS;
    // --repair: then the repair a hub with YIBIAO_TF_OVER_MASTERS=on schedules after a first drain
    // (`yibiao reconcile --reestimate`: the model again, its term frequencies counted over the
    // masters, and a scan).
    let repair: { wallS: number; precision: number; recall: number; masters: number; output: string } | null = null;
    if (values.repair) {
      t = performance.now();
      const output = await child([...heap, join(repoRoot, 'services', 'cli', 'main.ts'), 'reconcile', '--reestimate', ...(values.batch ? ['--batch', values.batch] : [])], { ...env, LOG_LEVEL: 'warn', YIBIAO_TF_OVER_MASTERS: 'on' });
      const r = qualityOf(await lineage(database.db), truth);
      repair = { wallS: (performance.now() - t) / 1000, precision: r.precision, recall: r.recall, masters: r.clusters, output: output.trim() };
    }
    const figures = {
      persons: Number(values.persons), seed: values.seed, onePartition: values['one-partition'], heapMiB: values['heap-mib'] === undefined ? null : Number(values['heap-mib']), observations: n, machine: { cpus: cpus().length, memGiB: Math.round(totalmem() / 2 ** 30) },
      rawConsumeS: raw, rawConsumeRate: n / raw,
      reconcileWallS: wallS, reconcileDrainS: drainS, reconcileRate: rate, ratioToRaw: rate / (n / raw), peakRssMiB: rss, peakRssAt: rssAt,
      wallSplit: split, batches, phaseSeconds: Object.fromEntries(Object.entries(phases).map(([k, v]) => [k, v / 1000])),
      stepSeconds: Object.fromEntries([...steps].map(([k, v]) => [k, v / 1000])),
      warnings: Object.fromEntries(warnings),
      quality: { precision: q.precision, recall: q.recall, f1: q.f1, masters: q.clusters, persons: q.persons, exactClusters: q.exactClusters },
      repair: repair === null ? null : { wallS: repair.wallS, precision: repair.precision, recall: repair.recall, masters: repair.masters },
      targets: { wallS: 60, peakRssMiB: 1536, ratioToRaw: 0.5, precision: 0.999, recall: 0.99 },
    };
    const f5 = (x: number) => x.toFixed(5);
    const lines = [
      `# Reconcile benchmark (${new Date().toISOString()})`,
      '',
      `Command: \`npm run bench -- reconcile --persons ${values.persons} --seed ${values.seed}${values.batch ? ` --batch ${values.batch}` : ''}${values['one-partition'] ? ' --one-partition' : ''}${values['heap-mib'] ? ` --heap-mib ${values['heap-mib']}` : ''}${values.repair ? ' --repair' : ''}\` on ${figures.machine.cpus} cores / ${figures.machine.memGiB} GiB.`,
      '',
      '| figure | measured | target |',
      '|---|---|---|',
      `| member observations | ${n} | ~1,000,000 |`,
      `| raw kafkajs consume | ${(n / raw).toFixed(0)}/s (${raw.toFixed(1)} s) | — |`,
      `| \`yibiao reconcile --drain\` wall time (process start to exit, model estimation included) | ${wallS.toFixed(1)} s | ≤ 60 s for 1M |`,
      `| reconciler rate | ${rate.toFixed(0)}/s | — |`,
      `| reconciler / raw consume | ${(rate / (n / raw)).toFixed(3)} | ≥ 0.5 |`,
      `| reconciler peak RSS | ${rss} MiB${rssAt === null ? '' : ` (${rssAt})`} | ≤ 1536 MiB |`,
      `| pairwise precision | ${f5(q.precision)} | ≥ 0.999 |`,
      `| pairwise recall | ${f5(q.recall)} | ≥ 0.99 |`,
      `| masters / persons (exact clusters) | ${q.clusters} / ${q.persons} (${q.exactClusters}) | — |`,
      ...(repair === null ? [] : [
        `| then \`yibiao reconcile --reestimate\` (term frequencies over the masters, scan) | ${repair.wallS.toFixed(1)} s | — |`,
        `| after it: precision · recall · masters | ${f5(repair.precision)} · ${f5(repair.recall)} · ${repair.masters} | ≥ 0.999 · ≥ 0.99 |`,
      ]),
      '',
      `The wall time: ${split.beforeBatchesS.toFixed(1)} s before the first batch (start-up, model estimation over the topic), ${split.batchesS.toFixed(1)} s of batches, ${split.afterBatchesS.toFixed(1)} s after the last (shutdown).`,
      '',
      `Where the reconciler's transactions spent their time (${batches} batches, seconds summed): ${Object.entries(phases).map(([k, v]) => `${k} ${(v / 1000).toFixed(1)}`).join(' · ')}` +
        ' (lock includes waiting for the other batch in flight).',
      '',
      `By statement (seconds summed): ${[...steps].sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => `${k} ${(v / 1000).toFixed(1)}`).join(' · ')}.`,
      '',
      'The same by tenths of the events, in the order they were reconciled (rate: events over the wall time between batch ends):',
      '',
      ...tenths(timeline),
      '',
      ...(warnings.size === 0 ? ['The reconciler logged no warning.'] : [`The reconciler logged ${[...warnings.values()].reduce((a, b) => a + b, 0)} warnings:`, '', ...[...warnings].slice(0, 10).map(([w, k]) => `- ${k} × ${w}`)]),
      '',
      'Reconciler output:',
      '',
      '```',
      out.trim(),
      '```',
      '',
      ...(repair === null ? [] : ['Output of `yibiao reconcile --reestimate`:', '', '```', repair.output, '```', '']),
    ];
    console.log(lines.join('\n'));
    for (const f of writeResults('reconcile', figures, lines.join('\n'))) console.log(`wrote ${f}`);
  } finally {
    await stores.close();
  }
}

/** A log line's pino level as its number (numbers by default, names where a logger writes them). */
function levelOf(level: number | string | undefined): number {
  return typeof level === 'number' ? level : pino.levels.values[level ?? ''] ?? 0;
}

interface BatchLine { time: number; events: number; ms: Record<string, number> }

/** Rate and summed phase seconds per tenth of the events: where a drain slows down as the tables grow. */
function tenths(timeline: readonly BatchLine[]): string[] {
  const total = timeline.reduce((a, b) => a + b.events, 0);
  if (total === 0 || timeline.length < 2) return ['(no batch lines)'];
  const keys = Object.keys(timeline[0]!.ms);
  const out = [`| events | rate | ${keys.join(' | ')} |`, `|---|---:|${keys.map(() => '---:').join('|')}|`];
  let seen = 0;
  let start = 0;
  let prevTime = timeline[0]!.time - Object.values(timeline[0]!.ms).reduce((a, b) => a + b, 0);
  for (let i = 0; i < timeline.length; i++) {
    seen += timeline[i]!.events;
    const last = i === timeline.length - 1;
    if (!last && Math.floor((10 * seen) / total) === Math.floor((10 * (seen - timeline[i]!.events)) / total)) continue;
    const part = timeline.slice(start, i + 1);
    const events = part.reduce((a, b) => a + b.events, 0);
    const span = (timeline[i]!.time - prevTime) / 1000;
    const sums = keys.map((k) => (part.reduce((a, b) => a + (b.ms[k] ?? 0), 0) / 1000).toFixed(1));
    out.push(`| ${seen - events}–${seen} | ${span > 0 ? (events / span).toFixed(0) : '—'}/s | ${sums.join(' | ')} |`);
    start = i + 1;
    prevTime = timeline[i]!.time;
  }
  return out;
}

/** Seconds for a fresh kafkajs consumer group to read `n` messages of the topic, doing nothing with them. */
async function rawConsume(brokers: string[], topic: string, n: number): Promise<number> {
  const kafka = new Kafka({ clientId: 'bench-raw', brokers, logLevel: logLevel.NOTHING });
  const consumer = kafka.consumer({ groupId: `${topic}-raw`, maxBytesPerPartition: 8 * 1024 * 1024, maxBytes: 32 * 1024 * 1024 });
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  let seen = 0;
  let first = 0;
  const done = new Promise<number>((resolve) => {
    void consumer.run({
      eachBatch: async ({ batch }) => {
        if (first === 0) first = performance.now();
        seen += batch.messages.length;
        if (seen >= n) resolve(performance.now());
        await Promise.resolve();
      },
    });
  });
  const start = performance.now();
  const end = await done;
  await consumer.disconnect();
  // From the subscription (group join included), like the reconciler's wall time.
  return (end - start) / 1000;
}

function child(args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    p.stdout.on('data', (d: Buffer) => (out += d.toString()));
    p.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`reconciler child (${args.slice(-3).join(' ')}) exited with ${code}: ${out}`))));
  });
}
