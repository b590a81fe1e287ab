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

/** The value a term-frequency level agreed on, for looking up its frequency. */
export function tfValue(spec: LevelSpec, x: NormalisedRecord): string | null {
  return spec.kind === 'exact' && spec.tf ? get(x, spec.on) : null;
}
