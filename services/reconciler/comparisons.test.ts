// The org levels that read the OA's host unit, and the department-vs-branch disagreement level,
// on hand-written records (each system's spelling) and on the population's OA records.
import { describe, expect, it } from 'vitest';
import { checkDigit } from '../../schemas/id-number.ts';
import { compareRecords, tfValue } from './comparisons.ts';
import { DEFAULT_MODEL_CONFIG } from './model-config.ts';
import { normaliseObservation, type NormalisedRecord, type ObservationPayload } from './normalise/index.ts';
import { populationFixture } from './offline/fixtures.ts';

const org = DEFAULT_MODEL_CONFIG.comparisons.find((c) => c.field === 'org')!;
const levelOf = (a: Partial<ObservationPayload>, b: Partial<ObservationPayload>) => {
  const [i] = compareRecords([org], normaliseObservation({ name: '王伟', ...a }), normaliseObservation({ name: '王伟', ...b }));
  return org.levels[i!]!.label;
};
const oa = (orgName: string, orgUnit: string) => ({ orgName, orgUnit });

describe('name in letters level', () => {
  const name = DEFAULT_MODEL_CONFIG.comparisons.find((c) => c.field === 'name')!;
  const pair = (a: string, b: string) => [normaliseObservation({ name: a }), normaliseObservation({ name: b })] as const;
  const level = (a: string, b: string) => name.levels[compareRecords([name], ...pair(a, b))[0]!]!.label;
  it('holds for a name in letters against the characters it reads as, in either order', () => {
    for (const latin of ['Wang Wei', 'WANG Wei', 'wangwei', 'Wei Wang', 'Wei WANG']) {
      expect(level('王伟', latin), latin).toBe('in letters');
      expect(level(latin, '王伟'), latin).toBe('in letters');
    }
    expect(level('Wang Wei', 'Wei Wang')).toBe('in letters');
  });
  it('does not hold between two names in characters, or for letters of another name', () => {
    expect(level('王伟', '汪伟')).toBe('homophone');
    expect(level('王伟', '王伟')).toBe('exact');
    expect(level('王伟', 'Wang Fang')).not.toBe('in letters');
    // Capitals say WEI is the surname: 魏王, not 王伟.
    expect(level('王伟', 'Wang WEI')).not.toBe('in letters');
  });
  it('tells a surname apart, one other character apart, names apart but for a character or a sound, and names wholly apart', () => {
    const cases: ReadonlyArray<readonly [string, string, string]> = [
      ['刘福涵', '雪福涵', 'surname differs'],
      ['王宝', '桂宝', 'surname differs'],
      // A compound surname is one surname: 修 is the given name of both.
      ['欧阳修', '司马修', 'surname differs'],
      // One character of the given name apart: a typo, or siblings.
      ['王宝', '王芳', 'one character apart'],
      ['田小超', '田周超', 'one character apart'],
      // Two characters apart, or the lengths apart, with a character or a sound in common: else.
      ['王宝', '李小宝', 'else'],
      ['魏涛', '郑滔', 'else'], // tao
      ['宇伟', '李炜', 'else'], // wei
      ['邱宁', '谢凝', 'else'], // ning
      ['张静', '王金', 'else'], // jing and jin read alike
      // No character and no sound in common.
      ['王宝', '李芳', 'nothing in common'],
      ['杨刚宇', '英斌庆', 'nothing in common'],
      ['肖明志', '林静婷', 'nothing in common'],
      ['Mary Smith', '王伟', 'nothing in common'],
      // A homophone surname stays a homophone.
      ['王宝', '汪宝', 'homophone'],
    ];
    for (const [a, b, expected] of cases) expect(level(a, b), `${a} / ${b}`).toBe(expected);
  });
  it('looks up the frequency of the key the names agree on', () => {
    const spec = name.levels.find((l) => l.label === 'in letters')!;
    expect(tfValue(spec, ...pair('Wei Wang', '王伟'))).toBe(normaliseObservation({ name: '王伟' }).nameKey);
  });
});

describe('ID number typo level', () => {
  const id = DEFAULT_MODEL_CONFIG.comparisons.find((c) => c.field === 'idNumber')!;
  const level = (a: string, b: string) => {
    const [i] = compareRecords([id], normaliseObservation({ name: '王伟', idNumber: a }), normaliseObservation({ name: '王伟', idNumber: b }));
    return id.levels[i!]!.label;
  };
  const valid = '11010519491231002X';
  it('holds for one wrong digit, two adjacent digits swapped, and a typo in a 15-digit number', () => {
    expect(level(valid, '11010519491231003X')).toBe('one typo');
    expect(level(valid, '11010519419231002X')).toBe('one typo'); // 49 → 94
    expect(level(valid, '110105491231002')).toBe('exact'); // the 15-digit form of the same number
    expect(level(valid, '110105491231012')).toBe('one typo'); // its 15-digit form with one typo
  });
  it('does not hold for two valid numbers, or two typos', () => {
    const neighbour = `11010519491231003${checkDigit('11010519491231003')}`; // valid, one digit apart
    expect(level(valid, neighbour)).toBe('else');
    expect(level(valid, '11010519491231113X')).toBe('else');
  });
});

describe('phone tail level', () => {
  const phone = DEFAULT_MODEL_CONFIG.comparisons.find((c) => c.field === 'phone')!;
  const level = (a: Partial<ObservationPayload>, b: Partial<ObservationPayload>) => {
    const [i] = compareRecords([phone], normaliseObservation({ name: '王伟', ...a }), normaliseObservation({ name: '王伟', ...b }));
    return phone.levels[i!]!.label;
  };
  it('holds when one side knows only the last four digits', () => {
    expect(level({ phone: '138-0013-8821' }, { phoneTail: '8821' })).toBe('last four');
    expect(level({ phone: '8821' }, { phone: '+86 13800138821' })).toBe('last four');
  });
  it('does not hold for two different full numbers that end alike: they disagree', () => {
    expect(level({ phone: '13800138821' }, { phone: '13912348821' })).toBe('else');
    expect(level({ phone: '13800138821' }, { phone: '0086 138 0013 8821' })).toBe('exact');
  });
});

describe('phone typo level', () => {
  const phone = DEFAULT_MODEL_CONFIG.comparisons.find((c) => c.field === 'phone')!;
  const level = (a: string, b: string) => {
    const [i] = compareRecords([phone], normaliseObservation({ name: '王伟', phone: a }), normaliseObservation({ name: '王伟', phone: b }));
    return phone.levels[i!]!.label;
  };
  it('holds for one wrong digit or two neighbouring digits swapped, whatever the format', () => {
    expect(level('13800138821', '13800138921')).toBe('one typo');
    expect(level('13800138821', '138-0013-8812')).toBe('one typo'); // 21 → 12
    expect(level('+86 13800138821', '13800183821')).toBe('one typo'); // 38 → 83
  });
  it('does not hold for two wrong digits, a swap of distant digits, or different numbers that end alike', () => {
    expect(level('13800138821', '13800139921')).toBe('else');
    expect(level('13800138821', '13810038821')).toBe('else'); // 0 and 1 three apart
    expect(level('13800138821', '13912348821')).toBe('else'); // ends alike, otherwise different
  });
});

describe('org levels reading the host unit and the kind of org', () => {
  it('agree when the unit occurs in the other org name, with or without the department', () => {
    expect(levelOf(oa('办公室', '东湖区审计局'), { orgName: '中共南昌市东湖区审计局办公室第三支部委员会' })).toBe('unit and department');
    expect(levelOf({ orgName: '中共南昌市东湖区审计局办公室第三支部委员会' }, oa('办公室', '东湖区审计局'))).toBe('unit and department');
    expect(levelOf(oa('综合科', '东湖区司法局'), { orgName: '中共南昌市东湖区司法局综合第三支部委员会' })).toBe('unit and department');
    expect(levelOf(oa('财务科', '東湖區財政局'), { orgName: '中共南昌市东湖区财政局机关第五支部委员会' })).toBe('same unit');
    expect(levelOf(oa('办公室', '东湖区审计局'), oa('办公室', '东湖区审计局'))).toBe('unit and department');
    expect(levelOf(oa('办公室', '东湖区审计局'), oa('人事科', '东湖区审计局'))).toBe('same unit');
  });

  it('do not agree on another district\'s unit of the same name, or a unit too short to say anything', () => {
    expect(levelOf(oa('办公室', '东湖区审计局'), { orgName: '中共南昌市西湖区审计局办公室第三支部委员会' })).not.toMatch(/unit/u);
    expect(levelOf(oa('办公室', '东湖区审计局'), oa('办公室', '西湖区审计局'))).not.toMatch(/unit/u);
    expect(levelOf(oa('办公室', '局'), { orgName: '中共南昌市东湖区审计局办公室第三支部委员会' })).not.toMatch(/unit/u);
  });

  it('treat a record stored before the unit existed (no orgUnit key) as naming no unit', () => {
    const { orgUnit: _drop, ...rest } = normaliseObservation({ name: '王伟', orgName: '办公室' });
    const old = JSON.parse(JSON.stringify(rest)) as NormalisedRecord;
    const [i] = compareRecords([org], old, old);
    expect(org.levels[i!]!.label).toBe('exact');
  });

  it('tell a workplace department against a branch from two branches that differ', () => {
    expect(levelOf(oa('后勤科', '东湖区图书馆'), { orgName: '机关一支部' })).toBe('department vs branch');
    expect(levelOf({ orgName: '办公室' }, { orgName: '中共南昌市东湖区第三医院后勤第六支部委员会' })).toBe('department vs branch');
    expect(levelOf({ orgName: '机关一支部' }, { orgName: '中共南昌市东湖区审计局业务第三支部委员会' })).toBe('else');
  });

  it('hold for most members\' OA records against their own member-system row', () => {
    const { input, truth, result } = populationFixture(3000, 'model');
    const rowOf = new Map<string, number>();
    input.forEach((r, i) => { if (r.system === 'member-system' && truth[i] !== null) rowOf.set(truth[i]!, i); });
    let pairs = 0;
    let unit = 0;
    input.forEach((r, i) => {
      const j = rowOf.get(truth[i] ?? '');
      if (r.system !== 'oa' || j === undefined) return;
      pairs++;
      const [l] = compareRecords([org], result.records[i]!, result.records[j]!);
      if (/unit/u.test(org.levels[l!]!.label)) unit++;
    });
    // The OA keeps the old workplace for a share of transferred members (orgStale): most, not all.
    expect(pairs).toBeGreaterThan(500);
    expect(unit / pairs).toBeGreaterThan(0.9);
  });
});
