import { describe, expect, it } from 'vitest';
import { defaultEntity, suffixTfKey, TermFrequencies, tfTables } from './term-frequencies.ts';
import { nameExcessKey, namePartsShare, splitChineseName } from './name-parts.ts';
import { DEFAULT_MODEL_CONFIG } from './model-config.ts';
import { normaliseObservation } from './normalise/index.ts';
import { populationEvents } from './stream/population-events.ts';
import { checkDigit } from '../../schemas/id-number.ts';
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
    // …and never commoner than a part: no more people are 胡军 than are 军.
    expect(f.get('胡军')).toBeLessThanOrEqual(2 / 10 + 1e-12);
  });

  it('leaves the pair out: a name is as common as the people other than the two agreeing on it', () => {
    // 400 people of distinct names, but for one name held by 12 of them: a pair agreeing on it
    // leaves 10 others. Surnames and given names are drawn apart, so the parts bound stays low.
    const surnames = [...'赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨朱秦尤许'];
    const given = [...'一二三四五六七八九十甲乙丙丁戊己庚辛壬癸'];
    const names = surnames.flatMap((s) => given.map((g) => s + g));
    const common = names[0]!;
    const all = [...names, ...Array.from({ length: 11 }, () => common)];
    const records = all.map((name, i) => normaliseObservation({ name }, `r${i}`));
    const tf = tfTables(DEFAULT_MODEL_CONFIG, records, (i) => `p${i}`);
    expect(tf.name!.get(common)).toBeCloseTo((12 - 2) / all.length, 12);
    // A name held by one or two people: no one else holds it, so its parts say how common it is.
    const rare = names[25]!;
    expect(tf.name!.get(rare)).toBeCloseTo(namePartsShare(tf, 'name', rare)!, 12);
    expect(tf.name!.get(rare)).toBeLessThan(1 / all.length);
  });

  // A name's share of people: over entities one person's register row, OA login and WeChat
  // account are three holders; over valid ID numbers k holders are k people, and a pair leaves
  // k − 1 others (idCensus). Held against the truth's persons, the same bound and floor applied.
  it('counts a name held by ID numbers over its people, not over the entities of one person', () => {
    const fx = populationEvents(3000, 'tf-census');
    const records = fx.events.map((e) => normaliseObservation(e.payload, recordKey(e.source)));
    const personOf = new Map<string, string>(fx.truth.flatMap((t) => (t.personId === null ? [] : [[`${t.system}/default/${t.id}`, t.personId]])));
    const holders = new Map<string, Set<string>>();
    for (const r of records) {
      const p = personOf.get(r.ref);
      if (p !== undefined && r.name !== null) holders.set(r.name, (holders.get(r.name) ?? new Set()).add(p));
    }
    const people = new Set(personOf.values()).size;
    const measured = tfTables(DEFAULT_MODEL_CONFIG, records);
    const entities = tfTables(DEFAULT_MODEL_CONFIG, records.map((r) => ({ ...r, idNumber: null })), (i) => defaultEntity(records[i]!));
    const error = (tf: typeof measured) => {
      const bits = [...holders].map(([v, ps]) => {
        const truth = Math.max((ps.size - 1) / people, namePartsShare(measured, 'name', v) ?? 0, DEFAULT_MODEL_CONFIG.estimation.minProbability);
        return Math.abs(Math.log2(tf.name!.get(v)! / truth));
      });
      return bits.reduce((a, b) => a + b, 0) / bits.length;
    };
    expect(holders.size).toBeGreaterThan(1000);
    // Mean error in bits of weight: the census is within a fifth of a bit, the entity count not within one.
    expect(error(measured)).toBeLessThan(0.2);
    expect(error(entities)).toBeGreaterThan(1);
  });

  it('counts people by ID numbers only where they hold the names of most accounts', () => {
    // Two people named 胡伟 under ID numbers, each also a WeChat account, and forty followers of
    // other names. Where ID numbers hold those names too, the register is a census: 胡伟's two
    // people leave one other among the 42 ID numbers. Where it does not (it covers 2 of 42
    // accounts' names), the entity count stays: four entities, the pair's two left out, of 44.
    const id = (seq: number) => { const body = `11010119800101${String(seq).padStart(3, '0')}`; return body + checkDigit(body); };
    const others = Array.from({ length: 40 }, (_, i) => `李${String.fromCodePoint(0x4e00 + i)}`);
    const hu = [{ name: '胡伟', idNumber: id(11) }, { name: '胡伟', idNumber: id(13) }, { name: '胡伟', wechat: 'o-a' }, { name: '胡伟', wechat: 'o-b' }];
    const followers = others.map((name, i) => ({ name, wechat: `o-${i}` }));
    const register = others.map((name, i) => ({ name, idNumber: id(100 + i) }));
    const tables = (rows: Array<{ name: string; idNumber?: string; wechat?: string }>) => tfTables(DEFAULT_MODEL_CONFIG, rows.map((r, i) => normaliseObservation({
      name: r.name, ...(r.idNumber ? { idNumber: r.idNumber } : {}), ...(r.wechat ? { accounts: [{ kind: 'wechat-openid' as const, value: r.wechat }] } : {}),
    }, `${r.idNumber ? 'member-system' : 'wechat'}/default/r${i}`)));
    const census = tables([...hu, ...followers, ...register]);
    expect(census.name!.get('胡伟')).toBeCloseTo(Math.max(1 / 42, namePartsShare(census, 'name', '胡伟')!), 12);
    const partial = tables([...hu, ...followers]);
    expect(partial.name!.get('胡伟')).toBeCloseTo(Math.max(2 / 44, namePartsShare(partial, 'name', '胡伟')!), 12);
  });

  it('raises the parts bound by how much more often whole names coincide than their parts', () => {
    // Surname and given name drawn together: every 胡 is 胡军 and every 军 is 胡军, so the names
    // coincide as often as their parts do, and the bound says so; drawn apart, it stays at 1.
    const together = ['胡军', '胡军', '胡军', '李伟', '张芳', '陈敏', '王丽', '赵强'];
    const apart = ['胡军', '胡伟', '李军', '李伟', '张芳', '张敏', '陈芳', '陈敏'];
    const excess = (names: string[]) => tfTables(DEFAULT_MODEL_CONFIG, names.map((name, i) => normaliseObservation({ name }, `r${i}`)), (i) => `p${i}`)[nameExcessKey('name')]!.get('')!;
    expect(excess(together)).toBeGreaterThan(2);
    expect(excess(apart)).toBe(1);
  });

  // One person is a register row, a WeChat account and an OA login: three entities of one name.
  // Counted over entities, those are collisions of "two people" and the excess comes out many
  // times what the truth's persons give; over valid ID numbers it is close to theirs, leaning high
  // where few ID numbers share a name (1,000 persons: about eight pairs).
  it.each([[1000, 0.8, 2.5], [3000, 0.8, 1.3]])('measures the excess over ID numbers, not over the entities of one person (%i persons)', (n, low, high) => {
    const fx = populationEvents(n, 'tf-excess');
    const records = fx.events.map((e) => normaliseObservation(e.payload, recordKey(e.source)));
    const personOf = new Map<string, string>(fx.truth.flatMap((t) => (t.personId === null ? [] : [[`${t.system}/default/${t.id}`, t.personId]])));
    const measured = tfTables(DEFAULT_MODEL_CONFIG, records)[nameExcessKey('name')]!.get('')!;
    const byPerson = new Map<string, (typeof records)[number]>();
    records.forEach((r) => { const p = personOf.get(r.ref); if (p !== undefined && r.name !== null && !byPerson.has(p)) byPerson.set(p, r); });
    const persons = [...byPerson.values()];
    const truth = tfTables(DEFAULT_MODEL_CONFIG, persons, (i) => `p${i}`)[nameExcessKey('name')]!.get('')!;
    const entities = tfTables(DEFAULT_MODEL_CONFIG, records.map((r) => ({ ...r, idNumber: null })), (i) => defaultEntity(records[i]!))[nameExcessKey('name')]!.get('')!;
    expect(measured / truth).toBeGreaterThan(low);
    expect(measured / truth).toBeLessThan(high);
    // The entity count would not pass.
    expect(entities / truth).toBeGreaterThan(high);
  });

  it('keeps the count over entities where too few ID numbers hold names for their parts to coincide', () => {
    // Three registered members whose surnames and given names all differ say nothing about how
    // often names coincide; the entities beside them do.
    const id = (n: number) => { const first17 = `11010119800101${String(n).padStart(3, '0')}`; return first17 + checkDigit(first17); };
    const registered = ['李伟', '张芳', '陈敏'].map((name, i) => normaliseObservation({ name, idNumber: id(i + 1) }, `m${i}`));
    const followers = ['胡军', '胡军', '胡军', '王丽', '赵强', '孙静'].map((name, i) => normaliseObservation({ name }, `w${i}`));
    expect(registered.every((r) => r.idNumber !== null)).toBe(true);
    const excess = (rs: typeof followers) => tfTables(DEFAULT_MODEL_CONFIG, rs, (i) => `p${i}`)[nameExcessKey('name')]!.get('')!;
    const withoutIds = excess([...registered.map((r) => ({ ...r, idNumber: null })), ...followers]);
    expect(withoutIds).toBeGreaterThan(1);
    expect(excess([...registered, ...followers])).toBe(withoutIds);
  });

  it('bounds a homophone key by the Han names it is made from together', () => {
    // 张伟 and 章伟 share the key zhangwei: the key is at least as common as both names' parts.
    const names = ['张伟', '章伟', '张军', '章军', '李伟', '王芳'];
    const records = names.map((name, i) => normaliseObservation({ name }, `r${i}`));
    const tf = tfTables(DEFAULT_MODEL_CONFIG, records, (i) => `p${i}`);
    const key = records[0]!.nameKey!;
    expect(records[1]!.nameKey).toBe(key);
    const both = namePartsShare(tf, 'name', '张伟')! + namePartsShare(tf, 'name', '章伟')!;
    expect(tf.nameKey!.get(key)).toBeCloseTo(both, 12);
    expect(tf.nameKey!.get(key)).toBeGreaterThan(tf.name!.get('张伟')!);
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
    // Where no ID numbers count its people (idCensus), each name counts once per entity: the
    // entities holding it, but the two of a pair, over all entities with a name.
    const named = records.filter((r) => r.name !== null).map((r) => ({ ...r, idNumber: null }));
    const byEntity = tablesOf(named);
    const entities = new Set(named.map((r) => `${defaultEntity(r)}|${r.name}`));
    const holders = (v: string) => [...entities].filter((e) => e.endsWith(`|${v}`)).length;
    const common = [...new Set(named.map((r) => r.name!))].sort((a, b) => holders(b) - holders(a))[0]!;
    expect(holders(common)).toBeGreaterThan(5);
    expect(byEntity.name!.get(common)).toBeCloseTo(Math.max((holders(common) - 2) / entities.size, namePartsShare(byEntity, 'name', common) ?? 0), 9);
  });
});
