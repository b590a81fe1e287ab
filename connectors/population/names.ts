// Names and phone numbers. Surnames follow their national frequency, so the common full names
// (王伟, 李娜, 张敏 …) recur the way they do in real rosters: the hard negatives any matcher meets.
import { Weighted, type Rng } from './rng.ts';
import { MOBILE_PREFIXES } from './tables/attributes.ts';
import { GIVEN_POOL, PINYIN, POPULAR_GIVEN } from './tables/given-names.ts';
import { SURNAMES } from './tables/surnames.ts';
import type { Gender } from './types.ts';

// Calibrated so the commonest full names come out near their real frequency: 王伟, 张伟, 李伟
// each name about 0.02 % of the country (≈290,000 people), i.e. 伟 is ~0.6 % of male given names.
/** Share of given names drawn whole from the nationally recurring ones. */
const POPULAR_SHARE = 0.03;
/** Share of one-character given names among the rest, before and after the 1990 cohort. */
const SINGLE_SHARE_OLDER = 0.15;
const SINGLE_SHARE_YOUNGER = 0.06;

const surnames = new Weighted(SURNAMES.map(([s, py, w]) => [[s, py] as const, w] as const));
const popular = {
  男: new Weighted(POPULAR_GIVEN.男),
  女: new Weighted(POPULAR_GIVEN.女),
};
// Earlier characters in a pool are the commoner ones: weight falls off as 1/sqrt(rank + 5).
const pools = {
  男: new Weighted(GIVEN_POOL.男.map((e, i) => [e, 1 / Math.sqrt(i + 5)] as const)),
  女: new Weighted(GIVEN_POOL.女.map((e, i) => [e, 1 / Math.sqrt(i + 5)] as const)),
};

export interface DrawnName {
  readonly name: string;
  readonly surname: string;
  readonly given: string;
  readonly pinyin: string;
}

export function pinyinOf(given: string): string {
  let out = '';
  for (const ch of given) {
    const py = PINYIN.get(ch);
    if (py === undefined) throw new Error(`no pinyin for "${ch}"`);
    out += py;
  }
  return out;
}

export function drawSurname(rng: Rng): readonly [string, string] {
  return surnames.draw(rng);
}

export function drawGiven(rng: Rng, gender: Gender, birthYear: number): string {
  if (rng.chance(POPULAR_SHARE)) return popular[gender].draw(rng);
  const first = pools[gender].draw(rng)[0];
  if (rng.chance(birthYear < 1990 ? SINGLE_SHARE_OLDER : SINGLE_SHARE_YOUNGER)) return first;
  let second = pools[gender].draw(rng)[0];
  // Reduplicated names (婷婷) exist but are rarer than a free draw would make them.
  if (second === first && !rng.chance(0.3)) second = pools[gender].draw(rng)[0];
  return first + second;
}

export function drawName(rng: Rng, gender: Gender, birthYear: number): DrawnName {
  const [surname, surnamePinyin] = drawSurname(rng);
  return withGiven(surname, surnamePinyin, drawGiven(rng, gender, birthYear));
}

export function withGiven(surname: string, surnamePinyin: string, given: string): DrawnName {
  return { name: surname + given, surname, given, pinyin: surnamePinyin + pinyinOf(given) };
}

/** An 11-digit mainland mobile number not yet in `used` (and then added to it). */
export function drawPhone(rng: Rng, used: Set<string>): string {
  for (;;) {
    const phone = rng.pick(MOBILE_PREFIXES) + String(rng.int(100_000_000)).padStart(8, '0');
    if (!used.has(phone)) {
      used.add(phone);
      return phone;
    }
  }
}
