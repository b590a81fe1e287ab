// Offline quality check: `node services/reconciler/eval-offline.ts --persons N --seed S [--noise-scale X] [--hard-negatives-scale X]`.
// Generates a population, runs the matching core over every person-bearing record, and prints
// pairwise precision / recall / F1 and cluster counts against the generator's truth.
import { parseArgs } from 'node:util';
import { generatePopulation } from '../../connectors/population/index.ts';
import { pairwiseQuality } from './evaluate.ts';
import { observationsOf, truthOf } from './offline/adapters.ts';
import { DEFAULT_MODEL_CONFIG, modelConfigSchema } from './model-config.ts';
import { matchBatch } from './pipeline.ts';
import { describeKnobs, POPULATION_KNOBS, populationKnobs } from './population-knobs.ts';
import { formatWaterfall } from './score.ts';

const { values } = parseArgs({ options: {
  persons: { type: 'string', default: '5000' }, seed: { type: 'string', default: '1' }, verbose: { type: 'boolean', default: false },
  match: { type: 'string' }, possible: { type: 'string' }, ...POPULATION_KNOBS,
} });
const started = performance.now();
const pop = generatePopulation({ ...populationKnobs(values), persons: Number(values.persons), seed: values.seed });
const input = observationsOf(pop);
const truth = truthOf(pop, input);
const t1 = performance.now();
// Thresholds may be overridden to show the precision/recall trade-off; weights are never set by hand.
const config = modelConfigSchema.parse({
  ...DEFAULT_MODEL_CONFIG,
  thresholds: {
    match: values.match === undefined ? DEFAULT_MODEL_CONFIG.thresholds.match : Number(values.match),
    possible: values.possible === undefined ? DEFAULT_MODEL_CONFIG.thresholds.possible : Number(values.possible),
  },
});
const result = matchBatch(input, config);
const t2 = performance.now();
const q = pairwiseQuality(result.clustering.clusterOf, truth);
// Records carrying nothing but a name (a WeChat remark) cannot reach 0.999 precision by any
// matcher; recall over the other records shows what the model does where evidence exists.
const identified = result.records.map((r) => r.idDigits !== null || r.phone !== null || r.birthDate !== null);
const qIdentified = pairwiseQuality(
  Int32Array.from(result.clustering.clusterOf.filter((_c, i) => identified[i])),
  truth.filter((_t, i) => identified[i]),
);
const reviewTrue = result.possible.filter((p) => truth[p.i] !== null && truth[p.i] === truth[p.j]).length;

console.log(`persons ${values.persons} · seed ${values.seed}${describeKnobs(values)} · records ${input.length} · candidate pairs ${result.candidatePairs} · over-full blocks ${result.model.config.blocking.maxBlockSize}+: ${result.overfullBlocks}`);
console.log(`model prior ${result.model.prior.toFixed(2)} bits · expected matches ${result.model.expectedMatches.toFixed(0)} · refused levels: ${result.model.refused.join(', ') || 'none'}`);
console.log(`system-pair priors: ${Object.entries(result.model.systemPriors ?? {}).map(([k, v]) => `${k} ${v.toFixed(2)}`).join(' · ') || 'none'}`);
console.log(`estimation sessions: ${(result.model.sessions ?? []).map((s) => `${s.name} ${s.pairs} pairs/${s.expectedMatches.toFixed(0)} matches`).join(' · ')}`);
for (const c of result.model.comparisons) {
  console.log(`  ${c.field}: ${c.levels.map((l) => `${l.label} ${l.weight.toFixed(2)}${l.refused ? '(refused)' : ''}`).join(' | ')}`);
}
console.log(`precision ${q.precision.toFixed(5)} · recall ${q.recall.toFixed(5)} · F1 ${q.f1.toFixed(5)}`);
console.log(`records with an ID number, phone or birth date (${identified.filter(Boolean).length}): precision ${qIdentified.precision.toFixed(5)} · recall ${qIdentified.recall.toFixed(5)} · F1 ${qIdentified.f1.toFixed(5)}`);
console.log(`pairs: true ${q.truePairs} · predicted ${q.predictedPairs} · correct ${q.correctPairs}`);
console.log(`clusters ${q.clusters} (persons ${q.persons}, exact ${q.exactClusters}) · match edges ${result.matches} · refused unions ${result.clustering.refusedEdges} (contradicted ${result.clustering.contradicted ?? 0})`);
console.log(`review band pairs ${result.possible.length} (of which true matches ${reviewTrue})`);
console.log(`time: generate ${((t1 - started) / 1000).toFixed(1)} s · match ${((t2 - t1) / 1000).toFixed(1)} s`);

if (values.verbose) {
  // Diagnostics: a few wrongly merged and missed pairs with their waterfalls.
  const { scorePair } = await import('./score.ts');
  const co = result.clustering.clusterOf;
  let fp = 0;
  let fn = 0;
  const byPerson = new Map<string, number[]>();
  truth.forEach((p, i) => { if (p !== null) byPerson.set(p, [...(byPerson.get(p) ?? []), i]); });
  for (const idx of byPerson.values()) {
    for (let a = 0; a < idx.length && fn < 15; a++) for (let b = a + 1; b < idx.length && fn < 15; b++) {
      const [i, j] = [idx[a]!, idx[b]!];
      if (co[i] === co[j] || !identified[i] || !identified[j]) continue;
      fn++;
      console.log(`MISSED ${input[i]!.ref} ~ ${input[j]!.ref}`, JSON.stringify(input[i]!.payload), JSON.stringify(input[j]!.payload));
      console.log(formatWaterfall(scorePair(result.model, result.records[i]!, result.records[j]!)).join('\n'));
    }
  }
  const byCluster = new Map<number, number[]>();
  co.forEach((c, i) => byCluster.set(c, [...(byCluster.get(c) ?? []), i]));
  for (const idx of byCluster.values()) {
    const persons = new Set(idx.map((i) => truth[i]));
    if (persons.size < 2 || fp >= 10) continue;
    fp++;
    console.log(`WRONG MERGE ${[...persons].join(',')}: ${idx.map((i) => `${input[i]!.ref} ${JSON.stringify(input[i]!.payload)}`).join('\n  ')}`);
  }
}
