// The streaming reconciler's decisions without Kafka or PostgreSQL, for fast quality work:
// `node services/reconciler/stream/eval-stream.ts --persons N --seed S [--sample N] [--verbose] [--calibration] [--no-offline]
// [--noise-scale X] [--hard-negatives-scale X] [--foreign-noise RATE | KIND=RATE,…]`.
// The stream's decisions in arrival order (decide-in-order.ts), scored pairwise against the
// generator's truth, next to the offline core's on the same records.
import { parseArgs } from 'node:util';
import { pairwiseQuality } from '../evaluate.ts';
import { matchBatch } from '../pipeline.ts';
import { formatWaterfall, scorePair } from '../score.ts';
import { calibrationReport } from './eval-calibration.ts';
import { MODEL_SAMPLE_SIZE } from './model-sample.ts';
import { populationEvents } from './population-events.ts';
import { describeKnobs, POPULATION_KNOBS, populationKnobs } from '../population-knobs.ts';
import { describeForeignNoise, layForeignNoise, parseForeignNoise } from '../foreign-noise.ts';
import { decideInOrder } from './decide-in-order.ts';

const { values } = parseArgs({ allowNegative: true, options: {
  persons: { type: 'string', default: '20000' }, seed: { type: 'string', default: '1' }, sample: { type: 'string', default: String(MODEL_SAMPLE_SIZE) }, verbose: { type: 'boolean', default: false }, calibration: { type: 'boolean', default: false },
  offline: { type: 'boolean', default: true }, 'foreign-noise': { type: 'string', default: '0' }, ...POPULATION_KNOBS,
} });
const t0 = performance.now();
// Errors our generator does not make (foreign-noise.ts), laid over its events.
const foreign = parseForeignNoise(values['foreign-noise']);
const fx = populationEvents(Number(values.persons), values.seed, { ...populationKnobs(values), withBirthDates: foreign.birthDateStated > 0 });
const truthOf = new Map(fx.truth.map((t) => [`${t.system}/default/${t.id}`, t.personId]));
const events = describeForeignNoise(foreign) === '' ? fx.events : layForeignNoise(fx, foreign, values.seed);
const { model, items, decisions: d, partitions, sampleRecords, decideMs } = decideInOrder(events, { sampleSize: Number(values.sample) });
const t2 = performance.now();
const t1 = t2 - decideMs;

const keys = items.map((i) => i.key);
const masterIndex = new Map<string, number>();
const clusterOf = keys.map((k) => {
  const m = d.masterOf(k);
  if (!masterIndex.has(m)) masterIndex.set(m, masterIndex.size);
  return masterIndex.get(m)!;
});
const q = pairwiseQuality(clusterOf, keys.map((k) => truthOf.get(k) ?? null));
const f = (x: number) => x.toFixed(5);
console.log(`persons ${values.persons} · seed ${values.seed}${describeKnobs(values)}${describeForeignNoise(foreign)} · events ${items.length} · partitions ${partitions} · sample ${sampleRecords}`);
console.log(`streaming: precision ${f(q.precision)} · recall ${f(q.recall)} · F1 ${f(q.f1)} · masters ${q.clusters} (persons ${q.persons}, exact ${q.exactClusters}) · merges ${d.counts.merges} · refused ${d.counts.refusedMerges} · re-clustered ${d.counts.reclustered} (records taken ${d.counts.pulled})`);
if (values.offline) {
  // The core's offline pipeline over the same records, with a model estimated on all of them.
  const offline = matchBatch(items.map((i) => ({ ref: i.key, payload: i.event.payload })));
  const oq = pairwiseQuality(offline.clustering.clusterOf, keys.map((k) => truthOf.get(k) ?? null));
  console.log(`offline:   precision ${f(oq.precision)} · recall ${f(oq.recall)} · F1 ${f(oq.f1)} · clusters ${oq.clusters}`);
}
for (const dep of model.dependencies ?? []) console.log(`dependency: ${model.comparisons[dep.comparison]!.field} given ${dep.label}, u among ${dep.pairs} strangers' pairs`);
console.log(`time: prepare ${((t1 - t0) / 1000).toFixed(1)} s · decide ${((t2 - t1) / 1000).toFixed(1)} s (${(items.length / ((t2 - t1) / 1000)).toFixed(0)} events/s)`);

if (values.calibration) console.log(calibrationReport(model, d, new Map(items.map((i) => [i.key, i.normalised])), truthOf).join('\n'));

if (values.verbose) {
  // Wrongly merged masters, with the links that brought each record in.
  const norm = new Map(items.map((i) => [i.key, i.normalised]));
  const members = new Map<string, string[]>();
  for (const k of keys) members.set(d.masterOf(k), [...(members.get(d.masterOf(k)) ?? []), k]);
  let shown = 0;
  for (const ks of members.values()) {
    const persons = new Set(ks.map((k) => truthOf.get(k)));
    if (persons.size < 2 || shown++ >= 12) continue;
    console.log(`\nWRONG MERGE (${persons.size} persons):`);
    for (const k of ks) {
      const l = d.newLinks.get(k);
      console.log(`  ${k} [${truthOf.get(k)}] ${JSON.stringify(items.find((i) => i.key === k)!.event.payload)}\n    ← ${l?.reason ?? '?'}`);
      if (l?.viaRecordKey && truthOf.get(l.viaRecordKey) !== truthOf.get(k)) console.log(formatWaterfall(scorePair(model, norm.get(k)!, norm.get(l.viaRecordKey)!)).map((x) => `      ${x}`).join('\n'));
    }
  }
}
