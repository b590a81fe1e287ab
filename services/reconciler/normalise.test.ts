import { describe, expect, it } from 'vitest';
import { generatePopulation, toFullWidth, toTraditional } from '../../connectors/population/index.ts';
import { convert18to15 } from '../../schemas/id-number.ts';
import { hamming, normaliseDate, normaliseId, normaliseName, normaliseObservation, normaliseOrg, normalisePhone } from './normalise/index.ts';
import { chineseNumber, isSuffixOf } from './normalise/org.ts';
import { memoised } from './normalise/memo.ts';
import { splitChineseName } from './name-parts.ts';
import { observationsOf, truthOf } from './offline/adapters.ts';

const pop = generatePopulation({ persons: 3000, seed: 'normalise' });
const persons = new Map(pop.persons.map((p) => [p.id, p]));
const rows = pop.systems.memberSystem.rows;
const noiseOf = new Map(pop.truth.records.map((t) => [`${t.system}:${t.id}`, t]));
const input = observationsOf(pop);
const truth = truthOf(pop, input);
const withNoise = (kind: string) => input
  .map((r, i) => ({ r, person: persons.get(truth[i] ?? ''), noise: noiseOf.get(r.ref)?.noise ?? [] }))
  .filter((x) => x.person !== undefined && x.noise.includes(kind as never));

describe('names', () => {
  it('maps traditional, full-width and spaced forms to the simplified name', () => {
    for (const p of pop.persons.slice(0, 300)) {
      const expected = normaliseName(p.name).name;
      expect(normaliseName(toTraditional(p.name)).name).toBe(expected);
      expect(normaliseName(` ${[...p.name].join(' ')}\u3000`).name).toBe(expected);
    }
  });

  it('drops the notes a source adds to a name: brackets and a namesake\'s number', () => {
    for (const p of pop.persons.slice(0, 300)) {
      const expected = normaliseName(p.name);
      for (const noted of [`${p.name}（退休）`, `${p.name}(借调)`, `${p.name}【预备】`, `${p.name}（已调离`, `${p.name}2`, `${toTraditional(p.name)}１`]) {
        expect(normaliseName(noted), noted).toEqual(expected);
      }
    }
    // A name that is nothing but a note stays what it is rather than vanish.
    expect(normaliseName('（退休）').name).toBe('退休');
  });

  it('undoes the traditional-character noise of every record that has it', () => {
    const hit = withNoise('traditional');
    expect(hit.length).toBeGreaterThan(0);
    for (const { r, person } of hit) {
      if (r.payload.name !== person!.name && !noiseOf.get(r.ref)?.noise.includes('nameTypo')) {
        expect(normaliseName(r.payload.name).name).toBe(person!.name);
      }
    }
  });

  it('gives most IME typos the same homophone key as the true name', () => {
    const hit = withNoise('nameTypo');
    const same = hit.filter(({ r, person }) => normaliseName(r.payload.name).key === normaliseName(person!.name).key);
    // Typos are homophones or look-alikes (王→玉 is not a homophone); the key is for the former.
    expect(hit.length).toBeGreaterThan(20);
    expect(same.length / hit.length).toBeGreaterThan(0.6);
  });

  it('takes forms of address (老王, 小李, 王书记, 李主任) for no name, and no real name for one', () => {
    for (const n of ['老王', '小李', '老欧阳', '王书记', '李副书记', '张老师', '陈师傅', '刘总', '欧阳主任']) expect(normaliseName(n).name, n).toBeNull();
    for (const n of ['王伟', '欧阳娜', '王小明', '李书']) expect(normaliseName(n).name, n).toBe(n);
    for (const p of [...pop.persons, ...pop.outsiders]) expect(normaliseName(p.name).name, p.name).not.toBeNull();
  });

  it('gives a name written in pinyin letters the pinyin and homophone key of the name in characters', () => {
    const cap = (x: string) => x.charAt(0).toUpperCase() + x.slice(1);
    const checked = { spaced: 0, joined: 0 };
    const same = { spaced: 0, joined: 0 };
    for (const p of pop.persons) {
      const han = normaliseName(p.name);
      const [surname = '', ...given] = han.pinyin!.split(' ');
      const forms = { spaced: [`${cap(surname)} ${cap(given.join(''))}`, `${surname.toUpperCase()} ${given.join('')}`], joined: [`${surname}${given.join('')}`] };
      for (const [how, names] of Object.entries(forms) as Array<[keyof typeof forms, string[]]>) {
        for (const latin of names) {
          checked[how]++;
          if (normaliseName(latin).key === han.key) same[how]++;
        }
      }
    }
    // Written without apostrophes, a vowel syllable after n or ng can be cut two ways (姜爱 jiangai);
    // the space between surname and given name is a cut the reading keeps (Jiang Ai).
    expect(checked.joined).toBeGreaterThan(1000);
    expect(same.joined / checked.joined).toBeGreaterThan(0.99);
    expect(same.spaced / checked.spaced).toBeGreaterThan(same.joined / checked.joined);
    const jiangAi = normaliseName('姜爱').key;
    for (const latin of ['Jiang Ai', 'JIANG Ai', 'Ai JIANG', "jiang'ai"]) expect(normaliseName(latin).key, latin).toBe(jiangAi);
    expect(normaliseName('Ai Jiang').keyAlt).toBe(jiangAi);
    expect(normaliseName('jiangai').key).not.toBe(jiangAi);
    expect(normaliseName('Wang Wei').pinyin).toBe('wang wei');
    expect(normaliseName('OUYANG Cuihua').pinyin).toBe('ou yang cui hua');
    expect(normaliseName('jianan').pinyin).toBe('jia nan');
    expect(normaliseName('xian').pinyin).toBe('xian');
    // Not pinyin: the letters stay as they are.
    expect(normaliseName('Mary Smith').pinyin).toBe('marysmith');
  });

  it('reads a name in letters either way round, unless capitals show the surname', () => {
    const cap = (x: string) => x.charAt(0).toUpperCase() + x.slice(1);
    let checked = 0;
    const same = { alt: 0, caps: 0 };
    for (const p of pop.persons) {
      const han = normaliseName(p.name);
      const split = splitChineseName(p.name);
      if (split === null) continue;
      const syllables = han.pinyin!.split(' ');
      const [surname, given] = [syllables.slice(0, split[0].length).join(''), syllables.slice(split[0].length).join('')];
      checked++;
      // Given name first with nothing to say so: the other reading is the name's.
      if (normaliseName(`${cap(given)} ${cap(surname)}`).keyAlt === han.key) same.alt++;
      // The surname in capitals, wherever it stands, is read first.
      if (normaliseName(`${cap(given)} ${surname.toUpperCase()}`).key === han.key) same.caps++;
      expect(han.keyAlt).toBeNull();
    }
    expect(checked).toBeGreaterThan(1000);
    expect(same.alt / checked).toBeGreaterThan(0.99);
    expect(same.caps / checked).toBeGreaterThan(0.99);
    expect(normaliseName('Xiu OUYANG')).toMatchObject({ pinyin: 'ou yang xiu', keyAlt: null });
    expect(normaliseName('Wang Wei')).toMatchObject({ key: 'wanwei', keyAlt: 'weiwan' });
    // One word, or both readings alike: nothing else to read.
    expect(normaliseName('wangwei').keyAlt).toBeNull();
    expect(normaliseName('Wei Wei').keyAlt).toBeNull();
  });

  it('reads surnames with their surname pronunciation', () => {
    expect(normaliseName('单雄信').pinyin).toBe('shan xiong xin');
    expect(normaliseName('曾国藩').pinyin?.startsWith('zeng')).toBe(true);
  });
});

describe('ID numbers', () => {
  it('converts 15-digit numbers and accepts lower-case x and full-width digits', () => {
    const old = pop.persons.filter((p) => p.birthDate < '1982');
    for (const p of old.slice(0, 200)) expect(normaliseId(convert18to15(p.idNumber)).valid).toBe(p.idNumber);
    for (const p of pop.persons.slice(0, 500)) {
      expect(normaliseId(p.idNumber.toLowerCase()).valid).toBe(p.idNumber);
      expect(normaliseId(toFullWidth(p.idNumber)).valid).toBe(p.idNumber);
    }
  });

  it('flags a wrong digit as invalid, one position away from the true number', () => {
    const hit = withNoise('idWrongDigit').filter((x) => x.r.payload.idNumber !== undefined);
    expect(hit.length).toBeGreaterThan(0);
    for (const { r, person } of hit) {
      const n = normaliseObservation(r.payload);
      expect(n.idNumber).toBeNull();
      expect(n.idInvalid).toBe(true);
      expect(hamming(n.idDigits ?? '', person!.idNumber)).toBe(1);
    }
  });

  it('derives birth date and gender and flags a contradiction', () => {
    const row = rows.find((r) => r.出生日期 !== '' && r.公民身份证号码 !== '' && normaliseId(r.公民身份证号码).valid !== null)!;
    const ok = normaliseObservation({ name: row.姓名, idNumber: row.公民身份证号码, birthDate: row.出生日期 });
    expect(ok.idConflict).toBe(false);
    const wrong = normaliseObservation({ name: row.姓名, idNumber: row.公民身份证号码, birthDate: '1900-01-01' });
    expect(wrong.idConflict).toBe(true);
    expect(wrong.birthDate).toBe(row.出生日期);
  });
});

describe('phones, dates, orgs', () => {
  it('reduces phone formats to the 11-digit mobile', () => {
    for (const p of pop.persons.slice(0, 200)) {
      const ph = p.phones.at(-1)!;
      for (const raw of [ph, `+86 ${ph}`, `0086-${ph}`, toFullWidth(ph), `${ph.slice(0, 3)}-${ph.slice(3, 7)}-${ph.slice(7)}`]) {
        expect(normalisePhone(raw).phone).toBe(ph);
      }
      expect(normalisePhone(ph.slice(-4))).toEqual({ phone: null, tail: ph.slice(-4) });
      // A tail stated apart (a remark's 王伟 8821): used only when there is no number.
      expect(normalisePhone(undefined, toFullWidth(ph.slice(-4)))).toEqual({ phone: null, tail: ph.slice(-4) });
      expect(normalisePhone(ph, '0000')).toEqual({ phone: ph, tail: ph.slice(-4) });
    }
    expect(normaliseObservation({ name: '王伟', phoneTail: '8821' }).phoneTail).toBe('8821');
  });

  it('reads common date spellings', () => {
    for (const p of pop.persons.slice(0, 100)) {
      const [y, m, d] = p.birthDate.split('-');
      expect(normaliseDate(`${y}年${Number(m)}月${Number(d)}日`)).toBe(p.birthDate);
      expect(normaliseDate(`${y}/${Number(m)}/${Number(d)}`)).toBe(p.birthDate);
      expect(normaliseDate(`${y}${m}${d}`)).toBe(p.birthDate);
    }
    expect(normaliseDate('2023-02-29')).toBeNull();
  });

  it('brings each system\'s branch name to a core that the official one ends with', () => {
    const branches = pop.orgs.filter((o) => o.level === '党支部');
    expect(branches.length).toBeGreaterThan(10);
    for (const o of branches) {
      const official = normaliseOrg(o.names['member-system']).core!;
      for (const local of [o.names.wechat, o.names.xapi]) expect(isSuffixOf(normaliseOrg(local).core!, official, 3)).toBe(true);
      expect(normaliseOrg(o.names.oa).core).toBe(normaliseOrg(o.names.oa.replace(/第(\d+)/u, (_m, d: string) => `第${chineseNumber(d)}`)).core);
    }
    expect(isSuffixOf('二支部', '机关十二支部', 3)).toBe(false);
    // The OA's host unit (subcompanyname) occurs in the official name of every branch beneath it.
    for (const o of branches) expect(normaliseOrg(o.names['member-system']).core).toContain(normaliseObservation({ name: '王伟', orgUnit: o.unit }).orgUnit);
    expect(branches.some((o) => /\d/u.test(o.names.oa))).toBe(true);
  });
});

describe('kept normal forms (memo.ts)', () => {
  it('computes a value once while it is kept, again after it is evicted, to the same result', () => {
    const calls: string[] = [];
    const upper = memoised(2, (raw: string) => { calls.push(raw); return { v: raw.toUpperCase() }; });
    expect(upper('a')).toBe(upper('a'));
    upper('b');
    upper('c'); // evicts a, the least recently used
    expect(upper('a')).toEqual({ v: 'A' });
    expect(calls).toEqual(['a', 'b', 'c', 'a']);
  });

  it('hands out frozen forms, so a caller cannot change the next record\'s name', () => {
    const n = normaliseName('王伟');
    expect(Object.isFrozen(n)).toBe(true);
    expect(normaliseName('王伟')).toBe(n);
    expect(Object.isFrozen(normaliseOrg('机关第一支部'))).toBe(true);
    expect(normaliseName(null)).toEqual({ name: null, pinyin: null, key: null, keyAlt: null });
  });
});
