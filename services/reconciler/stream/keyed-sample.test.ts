// The rule-decided pairs sampled by rule key: every pair of a kept key, the same keys for any
// order of the topic, a record's latest revision only; and counted over the whole topic they
// are far more than the model's record sample holds.
import { describe, expect, it } from 'vitest';
import { applyRules } from '../rules.ts';
import { normaliseObservation, type NormalisedRecord } from '../normalise/index.ts';
import { KeyedSample } from './keyed-sample.ts';
import { ruleKeys } from '../rules.ts';
import { parseForeignNoise, withForeignNoise } from '../foreign-noise.ts';
import { ModelInput } from './model-input.ts';
import { DEFAULT_MODEL_CONFIG } from '../model-config.ts';
import { estimateFromSample } from './model-store.ts';
import { populationEvents } from './population-events.ts';
import { recordKey } from './record-key.ts';

const { events } = populationEvents(1500, 'decided-sample');
const live = events.filter((e) => !e.payload.deleted);
const records = live.map((e) => normaliseObservation(e.payload, recordKey(e.source)));
const idOf = (pair: readonly [NormalisedRecord, NormalisedRecord]) => [pair[0].ref, pair[1].ref].sort().join(' ');
const sampled = (size: number, order: readonly NormalisedRecord[]) => {
  const s = new KeyedSample(size, 'decided-sample', ruleKeys);
  for (const r of order) s.offer(r.ref, r);
  return new Set(s.pairs().map(idOf));
};

// Every pair of records that share a valid ID number or an account, found the long way.
const allSharing = new Set<string>();
for (let a = 0; a < records.length; a++) {
  for (let b = a + 1; b < records.length; b++) {
    const [x, y] = [records[a]!, records[b]!];
    if ((x.idNumber !== null && x.idNumber === y.idNumber) || x.accounts.some((k) => y.accounts.includes(k))) allSharing.add(idOf([x, y]));
  }
}

describe('KeyedSample by rule key', () => {
  it('holds every pair that shares a rule key when it keeps every key', () => {
    expect(allSharing.size).toBeGreaterThan(1000);
    expect(sampled(1_000_000, records)).toEqual(allSharing);
  });

  it('keeps a part of the keys, the same part for any order the topic is read in', () => {
    const part = sampled(300, records);
    expect(part.size).toBeGreaterThan(20);
    expect(part.size).toBeLessThan(allSharing.size / 2);
    for (const id of part) expect(allSharing.has(id)).toBe(true);
    expect(sampled(300, [...records].reverse())).toEqual(part);
  });

  it('says what share of the keys it kept: 1 while it kept all, the k-minimum-values estimate after', () => {
    const keys = new Set(records.flatMap(ruleKeys));
    const share = (size: number) => {
      const s = new KeyedSample(size, 'decided-sample', ruleKeys);
      for (const r of records) s.offer(r.ref, r);
      return s.keyShare();
    };
    expect(share(1_000_000)).toBe(1);
    for (const size of [300, 1000]) {
      expect(share(size) / (size / keys.size), `size ${size}`).toBeGreaterThan(0.8);
      expect(share(size) / (size / keys.size), `size ${size}`).toBeLessThan(1.25);
    }
  });

  it("takes a record's latest revision: a restated account leaves the old key's pairs, a deletion leaves all", () => {
    const [pair] = [...allSharing].map((id) => id.split(' ')).filter(([a, b]) => {
      const [x, y] = [records.find((r) => r.ref === a)!, records.find((r) => r.ref === b)!];
      return x.idNumber === null && y.idNumber === null && x.accounts.length === 1;
    });
    expect(pair).toBeDefined();
    const [a, b] = pair!;
    const s = new KeyedSample(1_000_000, 'decided-sample', ruleKeys);
    for (const r of records) s.offer(r.ref, r);
    const x = records.find((r) => r.ref === a)!;
    s.offer(a!, { ...x, accounts: ['oa-login:someone-else'] });
    expect(new Set(s.pairs().map(idOf)).has(`${a} ${b}`)).toBe(false);
    s.offer(a!, x);
    expect(new Set(s.pairs().map(idOf)).has(`${a} ${b}`)).toBe(true);
    s.offer(a!, null);
    expect(s.pairs().some(([p, q]) => p.ref === a || q.ref === a)).toBe(false);
  });
});

describe('KeyedSample by phone number', () => {
  it('takes no pairs from a number more records hold than a block would (a placeholder number)', () => {
    const placeholder = '13800138000';
    const crowd = records.map((r, i) => (i < 250 ? { ...r, phone: placeholder } : r));
    const byPhone = (maxGroup?: number) => {
      const s = new KeyedSample(1_000_000, 'stranger-sample', (r) => (r.phone === null ? [] : [r.phone]), maxGroup);
      for (const r of crowd) s.offer(r.ref, r);
      return s.pairs();
    };
    const onPlaceholder = (ps: ReturnType<typeof byPhone>) => ps.filter(([x, y]) => x.phone === placeholder && y.phone === placeholder).length;
    expect(onPlaceholder(byPhone())).toBe((250 * 249) / 2);
    const bounded = byPhone(200);
    expect(onPlaceholder(bounded)).toBe(0);
    // The other numbers' pairs are all still there.
    expect(bounded.length).toBe(byPhone().length - (250 * 249) / 2);
    expect(bounded.length).toBeGreaterThan(100);
  });
});

describe("the model input's rule-decided pairs", () => {
  it('come from the whole topic, far more than the record sample holds', () => {
    const input = new ModelInput(200, DEFAULT_MODEL_CONFIG);
    for (const e of events) input.offerEvent(e);
    const sample = input.records().map((r) => normaliseObservation(r.payload, r.ref));
    let inSample = 0;
    for (let a = 0; a < sample.length; a++) for (let b = a + 1; b < sample.length; b++) if (applyRules(sample[a]!, sample[b]!).decision === 'match') inSample++;
    const name = DEFAULT_MODEL_CONFIG.comparisons.findIndex((c) => c.field === 'name');
    const counted = input.decided()[name]!.reduce((s, x) => s + x, 0);
    expect(counted).toBeGreaterThan(10 * Math.max(inSample, 20));
    // The same counts for any order, with redeliveries.
    const again = new ModelInput(200, DEFAULT_MODEL_CONFIG);
    for (const e of [...events].reverse()) again.offerEvent(e);
    again.offerEvent(events[3]!);
    expect(again.decided()).toEqual(input.decided());
  });

  it("give a counted level its share of the counted pairs with both values present, whatever the sample", () => {
    // Names mistyped a character at a time, so the name's counted levels hold pairs.
    const noisy = events.map((e) => withForeignNoise(e, parseForeignNoise('nameCharTypo=0.15'), 'decided-sample'));
    const name = DEFAULT_MODEL_CONFIG.comparisons.findIndex((c) => c.field === 'name');
    const levels = DEFAULT_MODEL_CONFIG.comparisons[name]!.levels;
    const [nullAt, typoAt] = [levels.findIndex((l) => l.kind === 'null'), levels.findIndex((l) => l.kind === 'oneCharApart')];
    expect(levels[typoAt]!.counted).toBe(true);
    for (const size of [300, 1200]) {
      const input = new ModelInput(size, DEFAULT_MODEL_CONFIG);
      for (const e of noisy) input.offerEvent(e);
      const counts = input.decided()[name]!;
      const present = counts.reduce((s, x) => s + x, 0) - counts[nullAt]!;
      const model = estimateFromSample(input.records(), DEFAULT_MODEL_CONFIG, input.tf(), input.counts())!;
      const ms = model.comparisons[name]!.levels.map((l) => l.m);
      expect(counts[typoAt]!, `sample ${size}`).toBeGreaterThan(20);
      expect(ms[typoAt], `sample ${size}`).toBeCloseTo(counts[typoAt]! / present, 9);
      // The levels of a present pair share all of it.
      expect(ms.reduce((s, m, li) => s + (li === nullAt ? 0 : m), 0), `sample ${size}`).toBeCloseTo(1, 4);
    }
  });
});
