// A phone two members share (a register row giving a spouse's number: foreign-noise.ts
// householdPhone) on a seeded population: the estimate must not learn from such pairs that
// matches' names disagree, or a shared phone and a shared branch would merge two people.
import { describe, expect, it } from 'vitest';
import { pairwiseQuality } from './evaluate.ts';
import { householdPhones, layForeignNoise, parseForeignNoise } from './foreign-noise.ts';
import { matchBatch } from './pipeline.ts';
import { populationEvents } from './stream/population-events.ts';
import { recordKey } from './stream/record-key.ts';

const SEED = 'shared-phone';
const fx = populationEvents(3000, SEED);
const personOf = new Map(fx.truth.map((t) => [`${t.system}/default/${t.id}`, t.personId]));
const keys = fx.events.map((e) => recordKey(e.source));
const households = householdPhones(fx.events, (k) => personOf.get(k), 0.3, SEED);
const noisy = layForeignNoise(fx, parseForeignNoise('householdPhone=0.3'), SEED);
const result = matchBatch(noisy.map((e, i) => ({ ref: keys[i]!, payload: e.payload })));
const nameLevels = result.model.comparisons.find((c) => c.field === 'name')!.levels;

describe('a phone two members share', () => {
  it('is in the data: many register rows state another member\'s number', () => {
    expect(households.size).toBeGreaterThan(200);
    for (const [k, phone] of households) expect(noisy[keys.indexOf(k)]!.payload.phone).toBe(phone);
  });

  it('leaves a name that disagrees a contradiction (≤ −10 bits), as on data without it', () => {
    expect(nameLevels.at(-1)!.label).toBe('else');
    expect(nameLevels.at(-1)!.weight).toBeLessThanOrEqual(-10);
  });

  it('merges no two people on the phone and the branch alone', () => {
    const q = pairwiseQuality(result.clustering.clusterOf, keys.map((k) => personOf.get(k) ?? null));
    expect(q.precision).toBeGreaterThanOrEqual(0.999);
  });
});
