import { describe, expect, it } from 'vitest';
import { defaultEntity, suffixTfKey, TermFrequencies, tfTables } from './term-frequencies.ts';
import { namePartsShare, splitChineseName } from './name-parts.ts';
import { DEFAULT_MODEL_CONFIG } from './model-config.ts';
import { normaliseObservation } from './normalise/index.ts';
import { populationEvents } from './stream/population-events.ts';
import { recordKey } from './stream/record-key.ts';

describe('term frequencies', () => {
  it('splits Han names into surname and given name, compound surnames included', () => {
    expect(splitChineseName('王伟')).toEqual(['王', '伟']);
    expect(splitChineseName('欧阳翠花')).toEqual(['欧阳', '翠花']);
    expect(splitChineseName('欧阳')).toEqual(['欧', '阳']);
    expect(splitChineseName('阿依古丽·买买提')).toBeNull();
    expect(splitChineseName('Li')).toBeNull();
  });

  it('never rates a name rarer than its surname and given name make it', () => {
    // Ten people: 胡伟 held by one of them, but 胡 and 伟 are each common.
    const names = ['胡伟', '胡军', '胡军', '胡勇', '李伟', '张伟', '陈伟', '王芳', '赵敏', '孙丽'];
    const records = names.map((name, i) => normaliseObservation({ name }, `r${i}`));
    const f = tfTables(DEFAULT_MODEL_CONFIG, records, (i) => `p${i}`).name!;
    expect(f.get('胡伟')).toBeGreaterThanOrEqual((4 / 10) * (4 / 10) - 1e-12);
    expect(f.get('胡军')).toBeCloseTo(2 / 10, 9);
  });

  it('keeps the name parts, so a name the estimate never saw is as common as its parts say', () => {
    const names = ['胡军', '胡勇', '李伟', '张伟'];
    const records = names.map((name, i) => normaliseObservation({ name }, `r${i}`));
    const tf = tfTables(DEFAULT_MODEL_CONFIG, records, (i) => `p${i}`);
    expect(tf.name!.has('胡伟')).toBe(false);
    expect(namePartsShare(tf, 'name', '胡伟')).toBeCloseTo((2 / 4) * (2 / 4), 9);
    expect(namePartsShare(tf, 'name', '欧阳伟')).toBeNull();
  });

  it('counts an org local name by the people whose org ends with it, once per person', () => {
    const rows = [
      { name: '甲', orgName: '中共南昌市东湖区财政局机关第一支部委员会' },
      { name: '甲', orgName: '机关一支部' }, // the same person, local form
      { name: '乙', orgName: '中共南昌市东湖区教育局机关第一支部委员会' },
      { name: '丙', orgName: '中共南昌市东湖区教育局后勤支部委员会' },
    ];
    const records = rows.map((r, i) => normaliseObservation(r, `r${i}`));
    const f = tfTables(DEFAULT_MODEL_CONFIG, records, (i) => rows[i]!.name)[suffixTfKey('orgCore')]!;
    expect(f.get('机关一支部')).toBeCloseTo(2 / 3, 9);
  });

  it('counts record by record to the same tables in any order, each person once per value', () => {
    const records = populationEvents(1500, 'tf-order').events.map((e) => normaliseObservation(e.payload, recordKey(e.source)));
    const tablesOf = (rs: typeof records) => {
      const t = new TermFrequencies(DEFAULT_MODEL_CONFIG);
      for (const r of rs) t.add(r, defaultEntity(r));
      return t.tables();
    };
    const forward = tablesOf(records);
    // Reversed, and every record offered twice (a redelivered or restated event).
    const again = tablesOf([...records].reverse().flatMap((r) => [r, r]));
    expect(Object.keys(again).sort()).toEqual(Object.keys(forward).sort());
    for (const [k, table] of Object.entries(forward)) expect(new Map([...again[k]!].sort()), k).toEqual(new Map([...table].sort()));
    // Each name counts once per entity: its share is the number of entities holding it over all entities with a name.
    const named = records.filter((r) => r.name !== null);
    const entities = new Set(named.map((r) => `${defaultEntity(r)}|${r.name}`));
    const holders = (v: string) => [...entities].filter((e) => e.endsWith(`|${v}`)).length;
    const common = [...forward.name!].sort((a, b) => b[1] - a[1])[0]![0];
    expect(holders(common)).toBeGreaterThan(5);
    expect(forward.name!.get(common)).toBeCloseTo(holders(common) / entities.size, 9);
  });
});
