// Org names to a comparable core. Systems name the same branch as 中共南昌市东湖区交通运输局机关
// 第一支部委员会, 交通局机关第1党支部, 机关一支部 and 机关第一支部委员会; the core strips the party
// prefix and the "committee" suffixes and writes ordinals one way (一), so the local names become
// equal or suffixes of the official one. Mapping a core to an org code is org reconciliation,
// which comes later; for person matching, agreeing cores are evidence, not identity.
import { memoised } from './memo.ts';
import { simplify } from './text.ts';

export interface NormalisedOrg {
  readonly core: string | null;
  /** The core without its trailing branch designator (机关一支部 → 机关): the department stem. */
  readonly stem: string | null;
}

const DIGITS = '零一二三四五六七八九';
const NUMERALS = '零一二三四五六七八九十百';

/** 1..99 as Chinese numerals (10 → 十, 12 → 十二, 20 → 二十); other numbers digit by digit. */
export function chineseNumber(n: string): string {
  const v = Number(n);
  if (!Number.isInteger(v) || v <= 0 || v >= 100) return [...n].map((c) => DIGITS.charAt(Number(c))).join('');
  const tens = Math.floor(v / 10);
  const ones = v % 10;
  if (tens === 0) return DIGITS.charAt(ones);
  return `${tens === 1 ? '' : DIGITS.charAt(tens)}十${ones === 0 ? '' : DIGITS.charAt(ones)}`;
}

export function orgCore(raw: string): string {
  return simplify(raw)
    .replace(/^(中国共产党|中共)/u, '')
    .replace(/第?(\d+)/gu, (_m, d: string) => chineseNumber(d))
    .replace(/第([零一二三四五六七八九十]+)/gu, '$1')
    .replace(/党?总支部?(委员会)?/gu, '总支')
    .replace(/党?支部(委员会)?/gu, '支部')
    .replace(/(党委员会|党委)/gu, '党委')
    .replace(/委员会$/u, '');
}

const NO_ORG: NormalisedOrg = Object.freeze({ core: null, stem: null });

/** Distinct org names kept normalised (memo.ts): a district has thousands, not hundreds of thousands. */
const orgOf = memoised(50_000, (raw: string): NormalisedOrg => {
  const core = orgCore(raw);
  return core === '' ? NO_ORG : Object.freeze({ core, stem: stemOf(core) });
});

export function normaliseOrg(raw: string | undefined | null): NormalisedOrg {
  return raw == null ? NO_ORG : orgOf(raw);
}

/** An org core without its trailing branch designator (机关一支部 → 机关); null if nothing is left. */
export function stemOf(core: string): string | null {
  const stem = core.replace(/[零一二三四五六七八九十]*(总支|支部|党委|党组)$/u, '');
  return stem === '' ? null : stem;
}

/** One name is the other's local form: it ends the longer one and is not just a designator. */
export function isSuffixOf(a: string, b: string, minLength: number): boolean {
  const [short, long] = a.length <= b.length ? [a, b] : [b, a];
  if (short.length < minLength || !long.endsWith(short)) return false;
  // 二支部 is not the local name of 十二支部: a suffix may not split a numeral.
  const before = long.charAt(long.length - short.length - 1);
  return !(NUMERALS.includes(before) && NUMERALS.includes(short.charAt(0)));
}
