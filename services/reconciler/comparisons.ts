// Evaluates the declared comparison levels for a pair of records: for each comparison, the index
// of the first level whose condition holds (levels are ordered from strongest agreement down).
import { jaroWinkler } from './jaro-winkler.ts';
import { namePartKeys, splitChineseName } from './name-parts.ts';
import type { Attribute, ComparisonSpec, LevelSpec } from './model-config.ts';
import { daysBetween, hamming, isSuffixOf, oneIdTypo, oneKeystroke, stemOf, type NormalisedRecord } from './normalise/index.ts';
import { fuzzySyllable } from './normalise/name.ts';
import { hasHan } from './normalise/text.ts';

function get(r: NormalisedRecord, a: Attribute): string | null {
  // `?? null`: records stored as JSON before an attribute existed (orgUnit) lack it altogether.
  return r[a] ?? null;
}

function dateTypo(a: string, b: string): boolean {
  const [ya, ma, da] = a.split('-');
  const [yb, mb, db] = b.split('-');
  const differing = Number(ya !== yb) + Number(ma !== mb) + Number(da !== db);
  return differing === 1 || (ya === yb && ma === db && da === mb);
}

const patterns = new Map<string, RegExp>();
function patternOf(source: string): RegExp {
  let re = patterns.get(source);
  if (re === undefined) { re = new RegExp(source, 'u'); patterns.set(source, re); }
  return re;
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
  // Only ID digits carry a validity flag today; other attributes are never "invalid". A number
  // typed in 15 digits is unchecked: its check character was computed, not typed.
  return a === 'idDigits' && (r.idInvalid || r.idLegacy);
}

/**
 * The rest of `org` after the unit's last occurrence in it, or null when the unit does not occur;
 * the whole of `org` when it is the record's own department (the unit named apart).
 */
function afterUnit(r: NormalisedRecord, unitAttr: Attribute, inAttr: Attribute, unit: string, minLength: number): { org: string } | null {
  const own = get(r, unitAttr);
  const org = get(r, inAttr);
  if (own !== null) return own === unit ? { org: org ?? '' } : null;
  if (org === null || unit.length < minLength) return null;
  const at = org.lastIndexOf(unit);
  return at < 0 ? null : { org: org.slice(at + unit.length) };
}

/** Host unit agreement (level kind 'unit'), optionally with the departments agreeing. */
function unitHolds(spec: Extract<LevelSpec, { kind: 'unit' }>, x: NormalisedRecord, y: NormalisedRecord): boolean {
  const ux = get(x, spec.on);
  const uy = get(y, spec.on);
  if (ux === null && uy === null) return false;
  // Prefer the side that names its unit apart; both do → the units must be equal.
  const [named, other] = ux !== null ? [x, y] : [y, x];
  const unit = (ux ?? uy)!;
  const rest = afterUnit(other, spec.on, spec.in, unit, spec.minLength);
  if (rest === null) return false;
  if (spec.department === undefined) return true;
  const a = get(named, spec.department.on);
  // The other side's department: its own stem when it names its unit apart, else what follows the
  // unit in its org name, without the branch designator (办公室三支部 → 办公室).
  const b = get(other, spec.on) !== null ? get(other, spec.department.on) : stemOf(rest.org);
  if (a === null || b === null) return false;
  const min = spec.department.minLength;
  return a === b || isSuffixOf(a, b, min) || overlaps(a, b, min);
}

/** No Han character; a name starting with one (nearly all) is told by its first code unit alone. */
export const inLetters = (name: string) => name.charCodeAt(0) < 0x2e80 && !hasHan(name);

/**
 * The key two names agree on when at least one is written in letters (level kind 'letters'): a
 * key of the side in characters, or null. A name in letters may be read either way round.
 */
export function lettersAgree(x: NormalisedRecord, y: NormalisedRecord): string | null {
  // Most pairs: names in characters or keys apart, told without a look at the characters.
  if (x.nameKey !== y.nameKey && (x.nameKeyAlt ?? null) === null && (y.nameKeyAlt ?? null) === null) return null;
  const lx = x.name !== null && inLetters(x.name);
  const ly = y.name !== null && inLetters(y.name);
  if (!lx && !ly) return null;
  const ky = [y.nameKey, ly ? y.nameKeyAlt ?? null : null];
  for (const k of [x.nameKey, lx ? x.nameKeyAlt ?? null : null]) if (k !== null && ky.includes(k)) return k;
  return null;
}

/** Han names of one length, the given names equal, the surnames not (name-parts.ts splits them). */
function otherSurname(a: string, b: string): boolean {
  // Most pairs differ in length or last character: told without splitting either name.
  if (a.length !== b.length || a.at(-1) !== b.at(-1) || a === b) return false;
  const x = splitChineseName(a);
  const y = splitChineseName(b);
  return x !== null && y !== null && x[1] === y[1] && x[0] !== y[0];
}

const folded = new Map<string, string>();
/** A syllable folded as the homophone key folds it (z/zh, an/ang …); syllables are few, so kept. */
function foldedSyllable(s: string): string {
  let f = folded.get(s);
  if (f === undefined) { f = fuzzySyllable(s); folded.set(s, f); }
  return f;
}

/** No Han character of one name in the other, and no syllable of one that reads like one of the other's. */
function nothingShared(a: string, b: string, soundA: string | null, soundB: string | null): boolean {
  for (const ch of a) if (ch >= '\u2e80' && b.includes(ch)) return false;
  if (soundA === null || soundB === null) return true;
  const sounds = new Set(soundB.split(' ').map(foldedSyllable));
  return !soundA.split(' ').some((s) => sounds.has(foldedSyllable(s)));
}

export function levelHolds(spec: LevelSpec, x: NormalisedRecord, y: NormalisedRecord): boolean {
  if (spec.kind === 'else') return true;
  if (spec.kind === 'letters') return lettersAgree(x, y) !== null;
  if (spec.kind === 'null') return spec.on.every((a) => get(x, a) === null) || spec.on.every((a) => get(y, a) === null);
  if (spec.kind === 'unit') return unitHolds(spec, x, y);
  const a = get(x, spec.on);
  const b = get(y, spec.on);
  if (a === null || b === null) return false;
  switch (spec.kind) {
    case 'exact': return a === b && (spec.unlessBoth === undefined || get(x, spec.unlessBoth) === null || get(y, spec.unlessBoth) === null);
    case 'jaroWinkler': return jaroWinkler(a, b) >= spec.min;
    case 'dateTypo': return dateTypo(a, b);
    case 'dateWithin': return daysBetween(a, b) <= spec.days;
    case 'oneCharInvalid': {
      if (!invalidSide(x, spec.on) && !invalidSide(y, spec.on)) return false;
      return spec.on === 'idDigits' ? oneIdTypo(a, b, x.idLegacy || y.idLegacy) : hamming(a, b) === 1;
    }
    case 'oneTypo': return oneKeystroke(a, b);
    case 'overlap': return overlaps(a, b, spec.minLength);
    case 'otherKind': { const re = patternOf(spec.pattern); return re.test(a) !== re.test(b); }
    case 'otherSurname': return otherSurname(a, b);
    case 'oneCharApart': return a.length === b.length && hamming(a, b) === 1 && hasHan(a) && hasHan(b);
    case 'nothingShared': return nothingShared(a, b, get(x, spec.sound), get(y, spec.sound));
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
 * a suffix level's shorter value (the one the other ends with) when `y` is given; the given name a
 * 'surname differs' pair shares.
 */
export function tfValue(spec: LevelSpec, x: NormalisedRecord, y?: NormalisedRecord): string | null {
  if (spec.kind === 'exact') return spec.tf ? get(x, spec.on) : null;
  if (spec.kind === 'letters') return spec.tf && y !== undefined ? lettersAgree(x, y) : null;
  if (spec.kind === 'otherSurname') {
    const name = get(x, spec.on);
    return spec.tf === true && name !== null ? splitChineseName(name)?.[1] ?? null : null;
  }
  if (spec.kind !== 'suffix' || spec.tf !== true || y === undefined) return null;
  const a = get(x, spec.on);
  const b = get(y, spec.on);
  if (a === null || b === null) return null;
  return [...a].length <= [...b].length ? a : b;
}

/**
 * Levels whose term-frequency adjustment scales the level's own u by f(value) / the mean f over the
 * random pairs in it (score.ts), rather than taking u = f(value): the agreed value is a part of what
 * is compared (a suffix of an org name, the given name of two names apart).
 */
export const scaledTf = (l: LevelSpec): boolean => (l.kind === 'suffix' || l.kind === 'otherSurname') && tfTableKey(l) !== null;

/** The term-frequency table a TF level reads (see tfTables), or null for a level without TF. */
export function tfTableKey(spec: LevelSpec): string | null {
  if ((spec.kind === 'exact' || spec.kind === 'letters') && spec.tf) return spec.on;
  if (spec.kind === 'suffix' && spec.tf === true) return `${spec.on}~suffix`;
  if (spec.kind === 'otherSurname' && spec.tf === true) return namePartKeys(spec.on)[1];
  return null;
}
