// The matching core end to end on a seeded population: the properties the issue asks for, each
// measured against the generator's truth.
import { describe, expect, it } from 'vitest';
import { pairwiseQuality } from './evaluate.ts';
import { DEFAULT_MODEL_CONFIG, isDisagreement, modelConfigSchema } from './model-config.ts';
import { normaliseObservation } from './normalise/index.ts';
import { populationFixture } from './offline/fixtures.ts';
import { formatWaterfall, scorePair } from './score.ts';

const { pop, input, truth, result } = populationFixture(3000, 'model');
const { records, model, clustering } = result;
const co = clustering.clusterOf;
const noise = new Map(pop.truth.records.map((t) => [`${t.system}:${t.id}`, t.noise]));

describe('configuration', () => {
  it('is plain data validated by its schema', () => {
    expect(modelConfigSchema.parse(JSON.parse(JSON.stringify(DEFAULT_MODEL_CONFIG)))).toEqual(DEFAULT_MODEL_CONFIG);
    const bad = structuredClone(DEFAULT_MODEL_CONFIG);
    bad.comparisons[0]!.levels.pop();
    expect(modelConfigSchema.safeParse(bad).success).toBe(false);
    // Only a disagreement level's m can be counted in rule-decided pairs.
    const counted = structuredClone(DEFAULT_MODEL_CONFIG);
    counted.comparisons[0]!.levels.find((l) => l.kind === 'exact')!.counted = true;
    expect(modelConfigSchema.safeParse(counted).error?.issues[0]?.message).toMatch(/only a disagreement level/u);
  });

  it('refuses a dependency on a level it cannot sample or count by, naming the rule', () => {
    const [dep] = DEFAULT_MODEL_CONFIG.dependencies;
    expect(dep).toBeDefined();
    const issue = (d: Partial<typeof dep>) => {
      const r = modelConfigSchema.safeParse({ ...DEFAULT_MODEL_CONFIG, dependencies: [{ ...dep, ...d }] });
      return r.success ? null : { path: r.error.issues[0]!.path.join('.'), message: r.error.issues[0]!.message };
    };
    expect(issue({})).toBeNull();
    expect(issue({ field: 'address' })).toEqual({ path: 'dependencies.0', message: 'no comparison "address"' });
    expect(issue({ given: { field: 'phone', level: 'last four digits' } })?.message).toBe('no level "last four digits" in comparison "phone"');
    // A jaro-winkler level's pairs share no one value to sample them by.
    expect(issue({ given: { field: 'name', level: 'pinyin jw≥0.9' }, strangers: { field: 'birthDate', level: 'else' } })?.message).toMatch(/^given must be an exact level .* is jaroWinkler/u);
    // Agreement says nothing of strangers.
    expect(issue({ strangers: { field: 'name', level: 'exact' } })?.message).toMatch(/^strangers must be a disagreement level/u);
    expect(issue({ given: { field: 'org', level: 'exact' } })?.message).toMatch(/three different comparisons/u);
  });
});

describe('estimated weights', () => {
  it('never uses a level as evidence when its u is not below its m', () => {
    model.comparisons.forEach((c, ci) => c.levels.forEach((l, li) => {
      const kind = model.config.comparisons[ci]!.levels[li]!.kind;
      if (l.refused) expect(l.weight).toBe(0);
      // null and the disagreement levels (else, a department against a branch, …) are not evidence for a match.
      else if (kind !== 'null' && !isDisagreement(kind)) expect(l.m).toBeGreaterThan(l.u);
    }));
    expect(model.prior).toBeLessThan(0);
  });

  it('is deterministic: same data and config → same model', async () => {
    const { estimateModel } = await import('./estimate.ts');
    const { CandidateIndex } = await import('./blocking.ts');
    const index = new CandidateIndex(DEFAULT_MODEL_CONFIG.blocking);
    records.forEach((r, i) => index.add(i, r));
    const again = estimateModel(DEFAULT_MODEL_CONFIG, records, index.pairs());
    expect(again.comparisons).toEqual(model.comparisons);
    expect(again.prior).toBe(model.prior);
  });

  it('estimates m per session and a prior that blocking does not inflate', () => {
    // Every session estimates only comparisons its key does not read; the expected number of
    // matches (which sets the prior) must be near the true number of matching pairs — the
    // candidate-only EM this replaced expected 2.3 times too many at 50k persons.
    expect(model.sessions?.map((s) => s.name)).toEqual(['id number', 'phone', 'account', 'name']);
    const q = pairwiseQuality(co, truth);
    expect(model.expectedMatches / q.truePairs).toBeGreaterThan(0.8);
    expect(model.expectedMatches / q.truePairs).toBeLessThan(1.2);
  });

  it('estimates a prior per pair of systems: two register rows are rarely one person, a row and an OA entry often', () => {
    const priors = model.systemPriors!;
    const truePairs = (s: string, t: string) => {
      let n = 0;
      const idx = input.map((r, i) => i).filter((i) => input[i]!.system === s || input[i]!.system === t);
      const byPerson = new Map<string, number[]>();
      for (const i of idx) if (truth[i] !== null) byPerson.set(truth[i]!, [...(byPerson.get(truth[i]!) ?? []), i]);
      for (const xs of byPerson.values()) for (const a of xs) for (const b of xs) if (a < b && ((input[a]!.system === s && input[b]!.system === t) || (input[a]!.system === t && input[b]!.system === s))) n++;
      return n;
    };
    // At 3,000 persons the register holds few duplicates; shrunk towards the global rate, their
    // prior still lies well below it (falling back to the global prior gave a stream's sample
    // same-system priors 5–6 bits too high).
    const within = scorePair(model, normaliseObservation({ name: '王伟' }, 'member-system:a'), normaliseObservation({ name: '王伟' }, 'member-system:b')).prior;
    expect(within).toBe(priors['member-system|member-system']);
    expect(within).toBeLessThan(model.prior - 2);
    expect(within).toBeLessThan(priors['member-system|oa']!);
    // Within a factor of two of the truth for the pair the OA records need.
    const ms = input.filter((r) => r.system === 'member-system').length;
    const oa = input.filter((r) => r.system === 'oa').length;
    const expected = 2 ** priors['member-system|oa']! * ms * oa;
    expect(expected / truePairs('member-system', 'oa')).toBeGreaterThan(0.5);
    expect(expected / truePairs('member-system', 'oa')).toBeLessThan(2);
    // A pair of records without a system (refs without one) falls back to the global prior.
    expect(scorePair(model, normaliseObservation({ name: '王伟' }), normaliseObservation({ name: '王伟' })).prior).toBe(model.prior);
    expect(normaliseObservation({ name: '王伟' }, 'oa/main/17').system).toBe('oa');
    expect(normaliseObservation({ name: '王伟' }, 'oa:17').system).toBe('oa');
  });

  it('does not let a name held by one person look as common as 1/N (the pair left out)', () => {
    const f = model.tf.name!;
    const smallest = Math.min(...f.values());
    const people = new Set(clustering.clusterOf).size;
    expect(smallest).toBeLessThan(1 / people);
  });

  it('values agreement on a common name less than on a rare one (TF adjustment)', () => {
    const freq = new Map<string, number>();
    for (const p of pop.persons) freq.set(p.name, (freq.get(p.name) ?? 0) + 1);
    const sorted = [...freq].sort((a, b) => b[1] - a[1]);
    const common = sorted[0]![0];
    const rare = sorted.find(([n, k]) => k === 1 && [...n].length === [...common].length)![0];
    const w = (name: string) => scorePair(model, normaliseObservation({ name }), normaliseObservation({ name })).contributions[0]!;
    expect(sorted[0]![1]).toBeGreaterThan(3);
    expect(w(common).weight).toBeLessThan(w(rare).weight - 2);
    expect(w(common).tfValue).toBe(common);
  });

  it('explains a pair as a waterfall that adds up to its weight', () => {
    const i = records.findIndex((r) => r.idNumber !== null && r.phone !== null);
    const j = records.findIndex((r, k) => k !== i && truth[k] === truth[i]);
    const s = scorePair(model, { ...records[i]!, idNumber: null }, records[j]!);
    const sum = s.prior + s.contributions.reduce((a, c) => a + c.weight, 0);
    expect(s.weight).toBeCloseTo(sum, 9);
    expect(s.contributions.map((c) => c.field)).toEqual(DEFAULT_MODEL_CONFIG.comparisons.map((c) => c.field));
    expect(formatWaterfall(s).length).toBe(s.contributions.length + 2);
  });
});

describe('clustering against the truth', () => {
  it('never puts two different valid ID numbers in one cluster', () => {
    const ids = new Map<number, string>();
    records.forEach((r, i) => {
      if (r.idNumber === null) return;
      const seen = ids.get(co[i]!);
      if (seen !== undefined) expect(r.idNumber).toBe(seen);
      else ids.set(co[i]!, r.idNumber);
    });
  });

  it('keeps the common-name crowd apart', () => {
    const persons = new Map(pop.persons.map((p) => [p.id, p]));
    const count = new Map<string, number>();
    for (const p of pop.persons) count.set(p.name, (count.get(p.name) ?? 0) + 1);
    const crowd = input.map((_r, i) => i).filter((i) => (count.get(persons.get(truth[i] ?? '')?.name ?? '') ?? 0) >= 3);
    expect(new Set(crowd.map((i) => truth[i])).size).toBeGreaterThan(10);
    const q = pairwiseQuality(Int32Array.from(crowd, (i) => co[i]!), crowd.map((i) => truth[i]!));
    expect(q.precision).toBeGreaterThanOrEqual(0.99);
    expect(q.clusters).toBeGreaterThanOrEqual(new Set(crowd.map((i) => truth[i])).size);
  });

  it('still links a record whose ID number has a wrong digit to its person', () => {
    const bad = records.map((r, i) => i).filter((i) => records[i]!.idInvalid && noise.get(records[i]!.ref)?.includes('idWrongDigit'));
    const withValidTwin = bad.filter((i) => records.some((r, k) => truth[k] === truth[i] && r.idNumber !== null));
    expect(withValidTwin.length).toBeGreaterThan(3);
    const linked = withValidTwin.filter((i) => records.some((r, k) => k !== i && truth[k] === truth[i] && r.idNumber !== null && co[k] === co[i]));
    expect(linked.length / withValidTwin.length).toBeGreaterThanOrEqual(0.9);
  });

  it('reaches the precision floor and a recall floor on a 3,000-person population', () => {
    const q = pairwiseQuality(co, truth);
    // Floors, not targets: precision is the issue's 0.999. Recall: ~6 % of true pairs involve a
    // WeChat follower known only by a name in a remark; no matcher can link those at 0.999
    // precision, so they go to review. Raised from 0.8 to 0.86 with per-session EM, the corrected
    // u and the name frequencies (measured 0.88–0.90 on 5k–50k persons, seeds 1 and 2,
    // and 0.90 on this fixture); 0.86 leaves room for seed-to-seed variation.
    expect(q.precision).toBeGreaterThanOrEqual(0.999);
    expect(q.recall).toBeGreaterThanOrEqual(0.86);
    expect(result.possible.length).toBeGreaterThan(0);
  });
});
