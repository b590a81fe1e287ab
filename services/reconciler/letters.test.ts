// Names written in letters (Wang Wei, WANG Wei, Wei Wang) on a seeded population, with foreign
// noise (foreign-noise.ts) turning some names into letters: such a name must weigh about what
// the name in characters would, and cost little recall, without the matcher knowing the rate.
import { describe, expect, it } from 'vitest';
import { pairwiseQuality } from './evaluate.ts';
import { parseForeignNoise, withForeignNoise } from './foreign-noise.ts';
import { normaliseObservation } from './normalise/index.ts';
import { hasHan } from './normalise/text.ts';
import { matchBatch } from './pipeline.ts';
import { scorePair } from './score.ts';
import { populationEvents } from './stream/population-events.ts';
import { recordKey } from './stream/record-key.ts';

const SEED = 'letters';
const fx = populationEvents(3000, SEED);
const noisy = fx.events.map((e) => withForeignNoise(e, parseForeignNoise('namePinyin=0.1,nameWestern=0.1'), SEED));
const keys = fx.events.map((e) => recordKey(e.source));
// Record keys as recordKey writes them (system/instance/id), as eval-stream.ts reads the truth.
const personOf = new Map(fx.truth.map((t) => [`${t.system}/default/${t.id}`, t.personId]));
const persons = keys.map((k) => personOf.get(k) ?? null);
const run = (events: typeof fx.events) => matchBatch(events.map((e, i) => ({ ref: keys[i]!, payload: e.payload })));
const clean = run(fx.events);
const lettered = run(noisy);

describe('names in letters', () => {
  it('are found in the data and weighed by the model, not refused', () => {
    const share = lettered.records.filter((r) => r.name !== null && !hasHan(r.name)).length / lettered.records.length;
    expect(share).toBeGreaterThan(0.1);
    const level = lettered.model.comparisons.find((c) => c.field === 'name')!.levels.find((l) => l.label === 'in letters')!;
    expect(level.refused).toBe(false);
    expect(level.tfScale).toBeGreaterThan(0);
  });

  it('weigh about what the same name in characters weighs against the person\'s other records', () => {
    const { model, records } = lettered;
    const nameWeight = (a: number, b: number, original = false) => {
      const x = original ? normaliseObservation(fx.events[a]!.payload, keys[a]) : records[a]!;
      return scorePair(model, x, records[b]!).contributions.find((c) => c.field === 'name')!.weight;
    };
    const byPerson = new Map<string, number[]>();
    persons.forEach((p, i) => { if (p !== null) byPerson.set(p, [...(byPerson.get(p) ?? []), i]); });
    const gaps: number[] = [];
    for (const [i, r] of records.entries()) {
      if (r.name === null || hasHan(r.name) || persons[i] === null) continue;
      for (const j of byPerson.get(persons[i]!)!) {
        // Against a mate that holds the name in the same characters the record had before the noise.
        if (j === i || records[j]!.name !== normaliseObservation(fx.events[i]!.payload).name) continue;
        gaps.push(nameWeight(i, j) - nameWeight(i, j, true));
      }
    }
    expect(gaps.length).toBeGreaterThan(200);
    const mean = gaps.reduce((s, g) => s + g, 0) / gaps.length;
    expect(Math.abs(mean)).toBeLessThan(1);
  });

  it('cost little recall and no precision', () => {
    const q0 = pairwiseQuality(clean.clustering.clusterOf, persons);
    const q1 = pairwiseQuality(lettered.clustering.clusterOf, persons);
    expect(q1.precision).toBeGreaterThanOrEqual(0.999);
    expect(q0.recall - q1.recall).toBeLessThan(0.01);
  });
});
