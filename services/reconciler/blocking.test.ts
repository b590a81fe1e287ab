import { describe, expect, it } from 'vitest';
import { generatePopulation } from '../../connectors/population/index.ts';
import { blockingKeys, blockLimit, CandidateIndex } from './blocking.ts';
import { DEFAULT_MODEL_CONFIG } from './model-config.ts';
import { normaliseObservation } from './normalise/index.ts';
import { observationsOf, truthOf } from './offline/adapters.ts';

const pop = generatePopulation({ persons: 3000, seed: 'blocking' });
const input = observationsOf(pop);
const truth = truthOf(pop, input);
const records = input.map((r) => normaliseObservation(r.payload, r.ref));

describe('blocking', () => {
  it('never emits a pair that shares only over-full blocks', () => {
    const cap = 4;
    const index = new CandidateIndex({ maxBlockSize: cap });
    records.forEach((r, i) => index.add(i, r));
    const size = new Map<string, number>();
    for (const r of records) for (const k of blockingKeys(r)) size.set(k, (size.get(k) ?? 0) + 1);
    expect(index.overfullBlocks()).toBeGreaterThan(0);
    for (const [i, j] of index.pairs()) {
      const shared = blockingKeys(records[i]!).filter((k) => blockingKeys(records[j]!).includes(k));
      expect(shared.some((k) => (size.get(k) ?? 0) <= cap)).toBe(true);
    }
  });

  it('blocks a name in letters that may be given name first under both readings', () => {
    const keys = (name: string) => blockingKeys(normaliseObservation({ name, birthDate: '1980-01-02', orgName: '机关第一支部' }));
    const han = keys('王伟');
    for (const latin of ['Wei Wang', 'Wang Wei', 'Wei WANG']) expect(keys(latin).filter((k) => han.includes(k)), latin).toHaveLength(han.length);
    // Two readings: each name key twice over, no more.
    expect(keys('Wei Wang')).toHaveLength(2 * han.length);
    expect(keys('Wei WANG')).toHaveLength(han.length);
  });

  it('keeps the common-name crowd bounded while its true pairs stay candidates through other keys', () => {
    // The most frequent homophone key in this population stands in for 王伟.
    const byKey = new Map<string, number[]>();
    records.forEach((r, i) => { if (r.nameKey) byKey.set(r.nameKey, [...(byKey.get(r.nameKey) ?? []), i]); });
    const crowd = [...byKey.values()].sort((a, b) => b.length - a.length)[0]!;
    const cap = Math.floor(crowd.length / 2);
    const index = new CandidateIndex({ maxBlockSize: cap });
    records.forEach((r, i) => index.add(i, r));
    const pairs = index.pairs().filter(([i, j]) => crowd.includes(i) && crowd.includes(j));
    const all = (crowd.length * (crowd.length - 1)) / 2;
    expect(pairs.length).toBeLessThan(all / 2);
    const strong = pairs.filter(([i, j]) => truth[i] === truth[j]);
    expect(strong.length).toBeGreaterThan(0);
  });

  it('bounds the name-only key on its own: a crowd sharing just the name is skipped, the same crowd under another key is not', () => {
    const byKey = new Map<string, number[]>();
    records.forEach((r, i) => { for (const k of blockingKeys(r)) byKey.set(k, [...(byKey.get(k) ?? []), i]); });
    const name = [...byKey].filter(([k]) => k.startsWith('n:')).sort((a, b) => b[1].length - a[1].length)[0]!;
    const config = { maxBlockSize: 200, maxNameOnlyBlockSize: name[1].length - 1 };
    expect(blockLimit(config, name[0])).toBeLessThan(name[1].length);
    expect(blockLimit(config, `nb:${name[0].slice(2)}|1970-01-01`)).toBe(200);
    const index = new CandidateIndex(config);
    records.forEach((r, i) => index.add(i, r));
    const keysOf = (i: number) => new Set(blockingKeys(records[i]!));
    // Every pair of the crowd still offered shares some key besides the name.
    const crowd = new Set(name[1]);
    const offered = index.pairs().filter(([i, j]) => crowd.has(i) && crowd.has(j));
    for (const [i, j] of offered) expect([...keysOf(i)].some((k) => k !== name[0] && keysOf(j).has(k))).toBe(true);
    // Without the bound the name alone offers every pair of the crowd.
    const open = new CandidateIndex({ maxBlockSize: 200 });
    records.forEach((r, i) => open.add(i, r));
    expect(open.pairs().filter(([i, j]) => crowd.has(i) && crowd.has(j)).length).toBe((crowd.size * (crowd.size - 1)) / 2);
    expect(offered.length).toBeLessThan((crowd.size * (crowd.size - 1)) / 2);
  });

  it('puts most true pairs of the default index in a common block', () => {
    const index = new CandidateIndex(DEFAULT_MODEL_CONFIG.blocking);
    records.forEach((r, i) => index.add(i, r));
    const cand = new Set(index.pairs().map(([i, j]) => `${i}/${j}`));
    let truePairs = 0;
    let found = 0;
    const byPerson = new Map<string, number[]>();
    truth.forEach((p, i) => { if (p !== null) byPerson.set(p, [...(byPerson.get(p) ?? []), i]); });
    for (const idx of byPerson.values()) for (let a = 0; a < idx.length; a++) for (let b = a + 1; b < idx.length; b++) {
      truePairs++;
      if (cand.has(`${idx[a]}/${idx[b]}`)) found++;
    }
    // Blocking recall bounds matching recall; with the name key in play it should miss only typo'd,
    // field-poor records.
    expect(found / truePairs).toBeGreaterThan(0.97);
  });
});
