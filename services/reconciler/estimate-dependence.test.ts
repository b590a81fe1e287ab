// Strangers who share a phone share a branch (a register row giving a branch-mate's number:
// foreign-noise.ts householdPhone), on a seeded population with names mistyped a character at a
// time as well. The org's u among such strangers is counted where the phone agrees, found by
// names with nothing in common; it should be what all the phone-sharing non-matches show, and
// scoring with it should merge fewer of them than scoring the phone and the branch as independent.
import { describe, expect, it } from 'vitest';
import { compareRecords } from './comparisons.ts';
import { pairwiseQuality } from './evaluate.ts';
import { countStrangers, givenRecords, MIN_STRANGER_PAIRS } from './estimate-dependence.ts';
import { layForeignNoise, parseForeignNoise } from './foreign-noise.ts';
import { DEFAULT_MODEL_CONFIG, type ModelConfig } from './model-config.ts';
import { normaliseObservation, type NormalisedRecord } from './normalise/index.ts';
import { formatWaterfall, scorePair } from './score.ts';
import { decideInOrder } from './stream/decide-in-order.ts';
import { ModelInput } from './stream/model-input.ts';
import { populationEvents } from './stream/population-events.ts';
import { recordKey } from './stream/record-key.ts';

const SEED = 'household-branch';
const fx = populationEvents(3000, SEED);
const personOf = new Map(fx.truth.map((t) => [`${t.system}/default/${t.id}`, t.personId]));
const keys = fx.events.map((e) => recordKey(e.source));
const noisy = layForeignNoise(fx, parseForeignNoise('householdPhone=0.3,nameCharTypo=0.1'), SEED);
const records = noisy.map((e, i) => normaliseObservation(e.payload, keys[i]));
const config = DEFAULT_MODEL_CONFIG;
const org = config.comparisons.findIndex((c) => c.field === 'org');
const orgLevels = config.comparisons[org]!.levels;
const INDEPENDENT: ModelConfig = { ...config, dependencies: [] };

// Every pair of records on one phone, found the long way, and which of them are two people.
const phonePairs: Array<readonly [NormalisedRecord, NormalisedRecord]> = [];
const twoPeople: Array<readonly [number, number]> = [];
for (let a = 0; a < records.length; a++) {
  for (let b = a + 1; b < records.length; b++) {
    if (records[a]!.phone === null || records[a]!.phone !== records[b]!.phone) continue;
    phonePairs.push([records[a]!, records[b]!]);
    if (personOf.get(keys[a]!) !== personOf.get(keys[b]!)) twoPeople.push([a, b]);
  }
}

describe("the org's u among strangers who share a phone", () => {
  const input = new ModelInput(2000, config);
  for (const e of noisy) input.offerEvent(e);
  const model = decideInOrder(noisy, { sampleSize: 2000 }).model;
  const [dep] = model.dependencies ?? [];

  it('is counted over the whole topic: with every phone kept, the pairs found the long way, in any order', () => {
    expect(input.strangers()).toEqual(countStrangers(config, phonePairs, 1, givenRecords(config, records)));
    const again = new ModelInput(2000, config);
    for (const e of [...noisy].reverse()) again.offerEvent(e);
    expect(again.strangers()).toEqual(input.strangers());
  });

  it('is what all the phone-sharing non-matches show, though only names with nothing in common tell them', () => {
    expect(dep).toBeDefined();
    expect(dep!.pairs).toBeGreaterThanOrEqual(MIN_STRANGER_PAIRS);
    expect(dep!.label).toBe('phone exact');
    const truth = new Array<number>(orgLevels.length).fill(0);
    for (const [a, b] of twoPeople) truth[compareRecords(config.comparisons, records[a]!, records[b]!)[org]!]!++;
    const present = truth.reduce((s, x, li) => s + (orgLevels[li]!.kind === 'null' ? 0 : x), 0);
    expect(present).toBeGreaterThan(dep!.pairs);
    orgLevels.forEach((l, li) => {
      const u = dep!.u[li];
      if (u === null || u === undefined) return;
      expect(u, l.label).toBeCloseTo(truth[li]! / present, 1);
    });
    // Household members share a branch: far more often than two random records do.
    const exact = orgLevels.findIndex((l) => l.label === 'exact');
    expect(dep!.u[exact]).toBeGreaterThan(10 * model.comparisons[org]!.levels[exact]!.u);
  });

  it("counts the phone's own u among the strangers: what all the phone-sharing non-matches make it", () => {
    const phone = config.comparisons.findIndex((c) => c.field === 'phone');
    const exact = config.comparisons[phone]!.levels.findIndex((l) => l.label === 'exact');
    const holders = records.filter((r) => r.phone !== null).length;
    const truth = twoPeople.length / ((holders * (holders - 1)) / 2);
    const counted = model.comparisons[phone]!.levels[exact]!.u;
    expect(counted / truth).toBeGreaterThan(0.8);
    expect(counted / truth).toBeLessThan(1.25);
  });

  it("caps the org's weight where the phone agrees, and only there", () => {
    const exact = orgLevels.findIndex((l) => l.label === 'exact');
    const pair = twoPeople.find(([a, b]) => compareRecords(config.comparisons, records[a]!, records[b]!)[org] === exact)!;
    expect(pair).toBeDefined();
    const [x, y] = [records[pair[0]]!, records[pair[1]]!];
    const orgOf = (s: ReturnType<typeof scorePair>) => s.contributions[org]!;
    const capped = orgOf(scorePair(model, x, y));
    expect(capped.given).toBe('phone exact');
    expect(capped.weight).toBeCloseTo(Math.log2(capped.m / dep!.u[exact]!), 9);
    // The explanation (CLI, API) says why the branch weighs so little.
    expect(formatWaterfall(scorePair(model, x, y)).find((l) => l.startsWith('org'))).toMatch(/ given phone exact → /u);
    const otherPhone = orgOf(scorePair(model, x, { ...y, phone: '13900000000', phoneTail: '0000' }));
    expect(otherPhone.given).toBeUndefined();
    expect(otherPhone.weight).toBeGreaterThan(capped.weight + 3);
  });
});

describe('a population in which no two people share a phone', () => {
  it('has no strangers to count, and scores as if independent', () => {
    const clean = populationEvents(1500, SEED).events;
    const { model } = decideInOrder(clean, { sampleSize: 1000 });
    expect(model.dependencies).toBeUndefined();
  });
});

describe('household strangers in the stream', () => {
  const [withIt, withoutIt] = [decideInOrder(noisy, { sampleSize: 2000 }), decideInOrder(noisy, { sampleSize: 2000, config: INDEPENDENT })];
  const clusterOf = (r: typeof withIt) => { const index = new Map<string, number>(); return keys.map((k) => { const m = r.decisions.masterOf(k); if (!index.has(m)) index.set(m, index.size); return index.get(m)!; }); };
  const quality = (r: typeof withIt) => pairwiseQuality(clusterOf(r), keys.map((k) => personOf.get(k) ?? null));
  const linked = (r: typeof withIt) => { const c = clusterOf(r); return twoPeople.filter(([a, b]) => c[a] === c[b]).length; };

  it('are merged less often than with the phone and the branch taken as independent, at no cost in recall', () => {
    expect(twoPeople.length).toBeGreaterThan(500);
    expect(linked(withoutIt)).toBeGreaterThan(0);
    expect(linked(withIt)).toBeLessThan(linked(withoutIt));
    expect(quality(withIt).precision).toBeGreaterThanOrEqual(0.999);
    expect(quality(withIt).precision).toBeGreaterThan(quality(withoutIt).precision);
    expect(quality(withIt).recall).toBeGreaterThan(quality(withoutIt).recall - 0.005);
  });
});
