// Population parameters of the truth itself (not noise): ages, membership history, life events.
// Shares after the CPC statistical communiqué where it gives them; otherwise estimates.
import { Weighted, type Rng } from './rng.ts';
import { addYears, dayOf, isoDay, yearOf } from './dates.ts';
import { checkDigit } from '../../schemas/id-number.ts';
import { LOCAL_REGIONS, LOCAL_SHARE, OTHER_REGIONS, type Region } from './tables/regions.ts';

export const TRAITS = {
  /** Share of members who changed phone numbers (previous number kept in some systems). */
  phoneChanged: 0.25,
  /** Share transferred between branches within the population in the last two years. */
  transferred: 0.04,
  /** Probationary members among those aged 35 and under, and among the older. */
  probationaryYoung: 0.08,
  probationaryOlder: 0.01,
  stopped: 0.003,
  lostContact: 0.006,
  floating: 0.04,
} as const;

/** Age bands at the reference date, in percent (communiqué: ~13 % ≤30, ~28 % ≥61 in 2023). */
const AGE_BANDS = new Weighted<readonly [number, number]>([
  [[18, 30], 13], [[31, 35], 11], [[36, 40], 11], [[41, 45], 9.5], [[46, 50], 9.5],
  [[51, 55], 9], [[56, 60], 9], [[61, 70], 15], [[71, 80], 9], [[81, 95], 4],
]);

/** A birth day for someone aged within a drawn band on `asOf`. */
export function drawBirthDay(rng: Rng, asOf: number): number {
  const [lo, hi] = AGE_BANDS.draw(rng);
  const latest = addYears(asOf, -lo);
  const earliest = addYears(asOf, -(hi + 1)) + 1;
  return earliest + rng.int(latest - earliest + 1);
}

/** The year a person's number was first issued: cards from 1985; numbers at birth from 1995. */
function issueYear(birthYear: number): number {
  return Math.max(1985, Math.min(birthYear + 16, Math.max(birthYear, 1995)));
}

function eligible(region: Region, year: number): boolean {
  return region.since <= year && year < region.retired;
}

export function drawRegion(rng: Rng, birthYear: number): Region {
  const year = issueYear(birthYear);
  const list = rng.chance(LOCAL_SHARE) ? LOCAL_REGIONS : OTHER_REGIONS;
  for (;;) {
    const region = rng.pick(list);
    if (eligible(region, year)) return region;
  }
}

/** A valid 18-digit number, unique in `used`; the sequence's parity carries the gender. */
export function drawIdNumber(rng: Rng, regionCode: string, birthDay: number, male: boolean, used: Set<string>, near?: number): string {
  const date = isoDay(birthDay).replaceAll('-', '');
  for (let attempt = 0; ; attempt++) {
    let seq: number;
    if (near !== undefined && attempt < 20) seq = Math.min(999, Math.max(0, near + (rng.chance(0.5) ? 1 : -1) * (1 + rng.int(3))));
    else seq = rng.int(1000);
    if (seq % 2 !== (male ? 1 : 0)) seq = seq === 999 ? 998 : seq + 1;
    const first17 = `${regionCode}${date}${String(seq).padStart(3, '0')}`;
    if (!used.has(first17)) {
      used.add(first17);
      return first17 + checkDigit(first17);
    }
  }
}

export interface Membership {
  readonly category: '正式党员' | '预备党员';
  readonly joinedAt: string;
  readonly fullMemberAt: string | null;
}

/** 入党 at 18 or later (mostly in one's twenties); 转正 exactly one year on for full members. */
export function drawMembership(rng: Rng, birthDay: number, asOf: number): Membership {
  const adult = addYears(birthDay, 18);
  const young = yearOf(asOf) - yearOf(birthDay) <= 35;
  const probationary = rng.chance(young ? TRAITS.probationaryYoung : TRAITS.probationaryOlder);
  const lastFullJoin = addYears(asOf, -1);
  if (probationary || adult > lastFullJoin) {
    const from = Math.max(adult, lastFullJoin + 1);
    const joined = from + rng.int(asOf - from + 1);
    return { category: '预备党员', joinedAt: isoDay(joined), fullMemberAt: null };
  }
  const joinAge = 18 + Math.min(40, Math.abs(rng.normal()) * 9);
  const joined = Math.min(lastFullJoin, addYears(birthDay, Math.floor(joinAge)) + rng.int(365));
  return { category: '正式党员', joinedAt: isoDay(joined), fullMemberAt: isoDay(addYears(joined, 1)) };
}

export function retiredAt(birthDay: number, female: boolean, asOf: number): boolean {
  return addYears(birthDay, female ? 55 : 60) <= asOf;
}

export const REFERENCE_DATE = '2025-06-30';
export const referenceDay = (asOf?: string) => dayOf(asOf ?? REFERENCE_DATE);
