// Evaluates the declared comparison levels for a pair of records: for each comparison, the index
// of the first level whose condition holds (levels are ordered from strongest agreement down).
import { jaroWinkler } from './jaro-winkler.ts';
import type { Attribute, ComparisonSpec, LevelSpec } from './model-config.ts';
import { daysBetween, hamming, isSuffixOf, type NormalisedRecord } from './normalise/index.ts';

function get(r: NormalisedRecord, a: Attribute): string | null {
  return r[a];
}

function dateTypo(a: string, b: string): boolean {
  const [ya, ma, da] = a.split('-');
  const [yb, mb, db] = b.split('-');
  const differing = Number(ya !== yb) + Number(ma !== mb) + Number(da !== db);
  return differing === 1 || (ya === yb && ma === db && da === mb);
}

/** Some suffix of one string, at least `min` long, is a prefix of the other. */
export function overlaps(a: string, b: string, min: number): boolean {
  const limit = Math.min(a.length, b.length);
  for (let k = min; k <= limit; k++) {
    if (a.endsWith(b.slice(0, k)) || b.endsWith(a.slice(0, k))) return true;
  }
  return false;
}

function invalidSide(r: NormalisedRecord, a: Attribute): boolean {
  // Only ID digits carry a validity flag today; other attributes are never "invalid".
  return a === 'idDigits' && r.idInvalid;
}

export function levelHolds(spec: LevelSpec, x: NormalisedRecord, y: NormalisedRecord): boolean {
  if (spec.kind === 'else') return true;
  if (spec.kind === 'null') return spec.on.every((a) => get(x, a) === null) || spec.on.every((a) => get(y, a) === null);
  const a = get(x, spec.on);
  const b = get(y, spec.on);
  if (a === null || b === null) return false;
  switch (spec.kind) {
    case 'exact': return a === b;
    case 'jaroWinkler': return jaroWinkler(a, b) >= spec.min;
    case 'dateTypo': return dateTypo(a, b);
    case 'dateWithin': return daysBetween(a, b) <= spec.days;
    case 'oneCharInvalid': return hamming(a, b) === 1 && (invalidSide(x, spec.on) || invalidSide(y, spec.on));
    case 'overlap': return overlaps(a, b, spec.minLength);
    case 'suffix': {
      if (!isSuffixOf(a, b, spec.minLength)) return false;
      if (spec.alsoOn === undefined) return true;
      const [c, d] = [get(x, spec.alsoOn), get(y, spec.alsoOn)];
      return c !== null && d !== null && isSuffixOf(c, d, 2);
    }
  }
}

/** Level index per comparison, in config order. */
export function compareRecords(comparisons: readonly ComparisonSpec[], x: NormalisedRecord, y: NormalisedRecord): number[] {
  return comparisons.map((c) => {
    const i = c.levels.findIndex((l) => levelHolds(l, x, y));
    return i < 0 ? c.levels.length - 1 : i;
  });
}

/**
 * The value a term-frequency level agreed on, for looking up its frequency: an exact level's value;
 * a suffix level's shorter value (the one the other ends with) when `y` is given.
 */
export function tfValue(spec: LevelSpec, x: NormalisedRecord, y?: NormalisedRecord): string | null {
  if (spec.kind === 'exact') return spec.tf ? get(x, spec.on) : null;
  if (spec.kind !== 'suffix' || spec.tf !== true || y === undefined) return null;
  const a = get(x, spec.on);
  const b = get(y, spec.on);
  if (a === null || b === null) return null;
  return [...a].length <= [...b].length ? a : b;
}

/** The term-frequency table a TF level reads (see tfTables), or null for a level without TF. */
export function tfTableKey(spec: LevelSpec): string | null {
  if (spec.kind === 'exact' && spec.tf) return spec.on;
  if (spec.kind === 'suffix' && spec.tf === true) return `${spec.on}~suffix`;
  return null;
}
