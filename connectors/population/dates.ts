// Calendar arithmetic on whole days (days since 1970-01-01, UTC) so generation never touches the
// clock or the local time zone. Source systems run on China Standard Time (UTC+8, no DST).

const MS_PER_DAY = 86_400_000;

export function dayOf(iso: string): number {
  const t = Date.parse(`${iso.slice(0, 10)}T00:00:00Z`);
  if (Number.isNaN(t)) throw new Error(`not a date: "${iso}"`);
  return Math.round(t / MS_PER_DAY);
}

export function isoDay(day: number): string {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}

export function yearOf(day: number): number {
  return new Date(day * MS_PER_DAY).getUTCFullYear();
}

/** The same calendar day `years` later (29 Feb → 28 Feb in a common year). */
export function addYears(day: number, years: number): number {
  const d = new Date(day * MS_PER_DAY);
  const y = d.getUTCFullYear() + years;
  const m = d.getUTCMonth();
  const target = new Date(Date.UTC(y, m, d.getUTCDate()));
  if (target.getUTCMonth() !== m) return Math.round(Date.UTC(y, m + 1, 0) / MS_PER_DAY);
  return Math.round(target.getTime() / MS_PER_DAY);
}

/** Whole years between two days (age on `at` of someone born on `birth`). */
export function yearsBetween(birth: number, at: number): number {
  const b = new Date(birth * MS_PER_DAY);
  const a = new Date(at * MS_PER_DAY);
  let years = a.getUTCFullYear() - b.getUTCFullYear();
  if (a.getUTCMonth() < b.getUTCMonth() || (a.getUTCMonth() === b.getUTCMonth() && a.getUTCDate() < b.getUTCDate())) years--;
  return years;
}

/** Seconds since the epoch of a China Standard Time wall-clock moment. */
export function cstEpochSeconds(day: number, secondOfDay: number): number {
  return day * 86_400 + secondOfDay - 8 * 3600;
}

/** `YYYY-MM-DD HH:mm:ss` in China Standard Time, the way OA systems print times. */
export function cstDateTime(epochSeconds: number): string {
  return new Date((epochSeconds + 8 * 3600) * 1000).toISOString().slice(0, 19).replace('T', ' ');
}

/** ISO 8601 with the +08:00 offset, the way a learner's device stamps an xAPI statement. */
export function cstIso(epochSeconds: number): string {
  return `${new Date((epochSeconds + 8 * 3600) * 1000).toISOString().slice(0, 19)}+08:00`;
}

/** ISO 8601 in UTC with milliseconds, the way an LRS stamps `stored`. */
export function utcIso(epochMillis: number): string {
  return new Date(epochMillis).toISOString();
}

export interface Quarter {
  /** `YYYY-Qn`, the period format of task.assigned. */
  readonly period: string;
  readonly start: number;
  /** Last day included. */
  readonly end: number;
}

/** The `count` calendar quarters ending with the one containing `asOf`, oldest first. */
export function quartersEnding(asOf: number, count: number): Quarter[] {
  const d = new Date(asOf * MS_PER_DAY);
  let y = d.getUTCFullYear();
  let q = Math.floor(d.getUTCMonth() / 3);
  const out: Quarter[] = [];
  for (let i = 0; i < count; i++) {
    const start = Math.round(Date.UTC(y, q * 3, 1) / MS_PER_DAY);
    const end = Math.round(Date.UTC(y, q * 3 + 3, 0) / MS_PER_DAY);
    out.unshift({ period: `${y}-Q${q + 1}`, start, end });
    q--;
    if (q < 0) {
      q = 3;
      y--;
    }
  }
  return out;
}
