// Noise our generator never makes, laid over its events for the evaluation commands
// (`--foreign-noise`): the hub is judged on independent data with a noise model of its own, and
// a matcher tuned on one generator's errors can fail on another's. Each kind is an error a
// real source commits and a different generator could well model; the rates say how often, per
// record that carries the field. The population's truth is unchanged: noise moves no record to
// another person.
import { Rng } from '../../connectors/population/rng.ts';
import type { MemberObserved } from '../../schemas/events/member-observed.ts';
import { splitChineseName } from './name-parts.ts';
import { namePinyin, normaliseName } from './normalise/name.ts';
import type { PopulationEvents } from './stream/population-events.ts';
import { recordKey } from './stream/record-key.ts';

export const FOREIGN_KINDS = [
  // the person's birth date stated by a record that has none (an HR system, a sign-up form); first,
  // so that birthDateTypo applies to it too
  'birthDateStated',
  'birthDateTypo', // the stated birth date off: day and month swapped, or one of them, or the year, off by one
  'phoneTypo', // one digit of the phone wrong, or two neighbouring digits swapped
  'phoneFormat', // +86, dashes or spaces around the phone's digits
  'idFormat', // spaces or dashes inside the ID number, as typed into a free-text field
  'nameSpacing', // a space between surname and given name (王 伟), as some forms lay names out
  'genderFlip', // the stated gender wrong
  'namePinyin', // the name in pinyin letters (Wang Wei, WANG Wei, wangwei), as account directories hold it
  // the name in letters, given name first (Wei Wang, Wei WANG), as English-language forms and
  // foreign-facing directories put it; last, so that the rates before it draw as they did
  'nameWestern',
  // a register row giving another member's phone as the contact number (a spouse's, a child's:
  // elderly members often do); per person, laid by householdPhones, since it needs a second person
  'householdPhone',
  // one character of a name in characters replaced by another, neither a homophone nor a look-alike:
  // a generic generator's typo (a character drawn from common name characters), where ours
  // mistypes on a pinyin IME and so lands on a homophone; last, so the kinds before draw as they did
  'nameCharTypo',
  // a note a source system adds to the name field: 王伟（退休）, 王伟(借调), 王伟【预备】, or the number an
  // OA gives a second user of one name (王伟2); last, so the kinds before draw as they did
  'nameAnnotation',
] as const;
export type ForeignKind = (typeof FOREIGN_KINDS)[number];
export type ForeignRates = Readonly<Record<ForeignKind, number>>;

const NONE: ForeignRates = Object.fromEntries(FOREIGN_KINDS.map((k) => [k, 0])) as Record<ForeignKind, number>;

/**
 * `--foreign-noise` as rates: a number gives every kind that rate; `kind=rate,…` names them
 * (the others stay 0). Errors name the part that is wrong and what would be right.
 */
export function parseForeignNoise(text: string): ForeignRates {
  const rate = (s: string, what: string): number => {
    const x = Number(s);
    if (s.trim() === '' || !Number.isFinite(x) || x < 0 || x > 1) throw new Error(`--foreign-noise: ${what} must be a rate from 0 to 1, got "${s}"`);
    return x;
  };
  if (!text.includes('=')) {
    const x = rate(text, 'the rate');
    return Object.fromEntries(FOREIGN_KINDS.map((k) => [k, x])) as Record<ForeignKind, number>;
  }
  const out: Record<ForeignKind, number> = { ...NONE };
  for (const part of text.split(',')) {
    const [kind, value] = part.split('=') as [string, string | undefined];
    if (!(FOREIGN_KINDS as readonly string[]).includes(kind)) throw new Error(`--foreign-noise: unknown kind "${kind}" (kinds: ${FOREIGN_KINDS.join(', ')})`);
    out[kind as ForeignKind] = rate(value ?? '', kind);
  }
  return out;
}

export function describeForeignNoise(rates: ForeignRates): string {
  const on = FOREIGN_KINDS.filter((k) => rates[k] > 0);
  return on.length === 0 ? '' : ` · foreign noise ${on.map((k) => `${k} ${rates[k]}`).join(', ')}`;
}

const pad2 = (n: number) => String(n).padStart(2, '0');
const daysIn = (y: number, m: number) => new Date(Date.UTC(y, m, 0)).getUTCDate();

function dateTypo(iso: string, rng: Rng): string {
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
  const options: Array<[number, number, number]> = [];
  if (d <= 12 && d !== m) options.push([y, d, m]);
  for (const dd of [d - 1, d + 1]) if (dd >= 1 && dd <= daysIn(y, m)) options.push([y, m, dd]);
  for (const mm of [m - 1, m + 1]) if (mm >= 1 && mm <= 12 && d <= daysIn(y, mm)) options.push([y, mm, d]);
  for (const yy of [y - 1, y + 1]) if (d <= daysIn(yy, m)) options.push([yy, m, d]);
  const [a, b, c] = options[rng.int(options.length)]!;
  return `${a}-${pad2(b)}-${pad2(c)}`;
}

function phoneTypo(phone: string, rng: Rng): string {
  // NFKC first: a full-width number (our generator's own noise) has no ASCII digit to mistype.
  const digits = [...phone.normalize('NFKC')];
  // Positions after the leading "1" and the carrier digit: a typo there still looks like a mobile.
  const at = (): number => {
    const idx = digits.flatMap((c, i) => (/\d/u.test(c) ? [i] : []));
    return idx[2 + rng.int(Math.max(1, idx.length - 2))] ?? idx[idx.length - 1]!;
  };
  if (rng.chance(0.5)) {
    const i = at();
    digits[i] = String((Number(digits[i]) + 1 + rng.int(9)) % 10);
  } else {
    const i = at();
    const j = digits.findIndex((c, k) => k > i && /\d/u.test(c));
    if (j > 0 && digits[i] !== digits[j]) [digits[i], digits[j]] = [digits[j]!, digits[i]!];
    else digits[i] = String((Number(digits[i]) + 5) % 10);
  }
  return digits.join('');
}

function phoneFormat(phone: string, rng: Rng): string {
  const d = phone.normalize('NFKC').replace(/\D/gu, '');
  if (d.length !== 11) return phone;
  const forms = [`+86 ${d}`, `${d.slice(0, 3)}-${d.slice(3, 7)}-${d.slice(7)}`, `${d.slice(0, 3)} ${d.slice(3, 7)} ${d.slice(7)}`, `0086-${d}`, `(+86)${d}`];
  return forms[rng.int(forms.length)]!;
}

function idFormat(id: string, rng: Rng): string {
  if (id.length < 15) return id;
  const sep = rng.chance(0.5) ? ' ' : '-';
  return id.length >= 18 ? `${id.slice(0, 6)}${sep}${id.slice(6, 14)}${sep}${id.slice(14)}` : `${id.slice(0, 6)}${sep}${id.slice(6)}`;
}

const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** The name's surname and given name in letters: the normaliser's reading (surnames as surnames), ü written u. */
function latinParts(name: string): [string, string] {
  const syllables = namePinyin(name).map((s) => s.replace(/v/gu, 'u'));
  const k = splitChineseName(name)?.[0].length ?? 1; // 欧阳修 is Ouyang Xiu
  return [syllables.slice(0, k).join(''), syllables.slice(k).join('')];
}

function latinName(name: string, rng: Rng): string {
  const [surname, given] = latinParts(name);
  const forms = [`${cap(surname)} ${cap(given)}`, `${surname.toUpperCase()} ${cap(given)}`, `${surname}${given}`];
  return forms[rng.int(forms.length)]!;
}

function westernName(name: string, rng: Rng): string {
  const [surname, given] = latinParts(name);
  return rng.chance(0.5) ? `${cap(given)} ${cap(surname)}` : `${cap(given)} ${surname.toUpperCase()}`;
}

// Characters common in names (surnames and given names alike), the pool a generic generator's typo draws from.
const NAME_CHARACTERS = [...'王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰红建文志国荣春海林辉鹏飞宇浩晨欣怡婷雪琳玲慧'];

function nameCharTypo(name: string, rng: Rng): string {
  const chars = [...name];
  const at = rng.int(chars.length);
  const key = normaliseName(name).key;
  const replaced = (c: string) => [...chars.slice(0, at), c, ...chars.slice(at + 1)].join('');
  // Not a homophone, fuzzy readings included: that error our own generator makes already.
  const pool = NAME_CHARACTERS.filter((c) => normaliseName(replaced(c)).key !== key);
  return replaced(pool[rng.int(pool.length)]!);
}

const NOTES = ['退休', '离休', '预备', '借调', '已调离', '外出'];

function nameAnnotation(name: string, rng: Rng): string {
  const note = NOTES[rng.int(NOTES.length)]!;
  const forms = [`${name}（${note}）`, `${name}(${note})`, `${name}【${note}】`, `${name}${1 + rng.int(3)}`];
  return forms[rng.int(forms.length)]!;
}

/**
 * householdPhone: which register rows state another member's phone, and whose. A person is drawn at
 * `rate`; their register rows take the phone of the next member (in person order) of the same
 * branch, who is then a stranger with the same number. Record key → the phone it states.
 */
export function householdPhones(events: readonly MemberObserved[], personOf: (recordKey: string) => string | null | undefined, rate: number, seed: string): Map<string, string> {
  const out = new Map<string, string>();
  if (rate <= 0) return out;
  const byBranch = new Map<string, Array<{ person: string; key: string; phone: string }>>();
  for (const e of events) {
    const key = recordKey(e.source);
    const person = personOf(key);
    if (e.source.system !== 'member-system' || e.payload.phone === undefined || e.payload.orgName === undefined || person == null) continue;
    const branch = byBranch.get(e.payload.orgName) ?? [];
    branch.push({ person, key, phone: e.payload.phone });
    byBranch.set(e.payload.orgName, branch);
  }
  for (const members of byBranch.values()) {
    members.sort((a, b) => (a.person < b.person ? -1 : a.person > b.person ? 1 : a.key < b.key ? -1 : 1));
    members.forEach((m, i) => {
      const other = members.slice(i + 1).concat(members.slice(0, i)).find((x) => x.person !== m.person);
      if (other !== undefined && Rng.of(`${seed}/${m.person}`, 'household-phone').chance(rate)) out.set(m.key, other.phone);
    });
  }
  return out;
}

/** What a record's noise needs beyond the record: its person's birth date, a household's phone. */
export interface NoiseContext { readonly birthDate?: string | undefined; readonly householdPhone?: string | undefined }

/**
 * One event with foreign noise laid over its payload; drawn from (seed, record), so order does not
 * matter. `birthDate`: the record's person's true birth date, for birthDateStated;
 * `householdPhone`: the number householdPhones gave the record.
 */
export function withForeignNoise(e: MemberObserved, rates: ForeignRates, seed: string, { birthDate, householdPhone }: NoiseContext = {}): MemberObserved {
  const own = Rng.of(`${seed}/${recordKey(e.source)}`, 'foreign-noise');
  const p = { ...e.payload };
  if (householdPhone !== undefined && p.phone !== undefined) p.phone = householdPhone;
  if (p.birthDate === undefined && birthDate !== undefined && own.chance(rates.birthDateStated)) p.birthDate = birthDate;
  if (p.birthDate !== undefined && own.chance(rates.birthDateTypo)) p.birthDate = dateTypo(p.birthDate, own);
  if (p.phone !== undefined && own.chance(rates.phoneTypo)) p.phone = phoneTypo(p.phone, own);
  if (p.phone !== undefined && own.chance(rates.phoneFormat)) p.phone = phoneFormat(p.phone, own);
  if (p.idNumber !== undefined && own.chance(rates.idFormat)) p.idNumber = idFormat(p.idNumber, own);
  if ([...p.name].length >= 2 && /^\p{Script=Han}+$/u.test(p.name) && own.chance(rates.nameSpacing)) {
    const chars = [...p.name];
    const cut = chars.length >= 4 && own.chance(0.5) ? 2 : 1;
    p.name = `${chars.slice(0, cut).join('')} ${chars.slice(cut).join('')}`;
  }
  if (p.gender !== undefined && own.chance(rates.genderFlip)) p.gender = p.gender === '男' ? '女' : '男';
  if (/^\p{Script=Han}{2,4}$/u.test(p.name) && own.chance(rates.namePinyin)) p.name = latinName(p.name, own);
  if (/^\p{Script=Han}{2,4}$/u.test(p.name) && own.chance(rates.nameWestern)) p.name = westernName(p.name, own);
  if (/^\p{Script=Han}{2,4}$/u.test(p.name) && own.chance(rates.nameCharTypo)) p.name = nameCharTypo(p.name, own);
  if (/^\p{Script=Han}{2,4}$/u.test(p.name) && own.chance(rates.nameAnnotation)) p.name = nameAnnotation(p.name, own);
  return { ...e, payload: p };
}

/**
 * A population's events with `rates` laid over them, as the evaluation commands and the tests that
 * stress the model lay them: households drawn first (householdPhones), each record given its
 * person's birth date where the population carries them (`withBirthDates`). The population is
 * left as it was.
 */
export function layForeignNoise(fx: PopulationEvents, rates: ForeignRates, seed: string): MemberObserved[] {
  const personOf = new Map(fx.truth.map((t) => [`${t.system}/default/${t.id}`, t.personId]));
  const households = householdPhones(fx.events, (k) => personOf.get(k), rates.householdPhone, seed);
  return fx.events.map((e) => {
    const key = recordKey(e.source);
    return withForeignNoise(e, rates, seed, { birthDate: fx.birthDates?.get(key), householdPhone: households.get(key) });
  });
}
