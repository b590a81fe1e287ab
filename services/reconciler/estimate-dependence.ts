// The u of a comparison among strangers at another comparison's level (model-config.ts
// `dependencies`): how often two people who share a phone share a branch. Fellegi–Sunter takes
// the comparisons' u as independent, and a random pair that shares a phone is nearly never two
// people, so the phone and the branch each weighed in full for a household: a register row giving
// a spouse's number, two typos in the names, and the phone (+17 bits) and the branch (+11) merged
// two people (eval-stream.ts --foreign-noise householdPhone=0.3,nameCharTypo=0.1; 50k persons,
// seed 2: precision 0.99855).
//
// Which pairs at the given level are strangers no rule says for most (a spouse's WeChat entry has
// no ID number), so they are told by a third comparison's level that matches all but never show:
// names with nothing in common. Among phone-sharing pairs of that population, that set's branch
// levels were those of all its phone-sharing non-matches to the third decimal (50k persons, seed 2,
// householdPhone=0.3: 26,253 of 29,596 such pairs, and no match among them), where the pairs a
// rule calls two people are register rows only and show a register's levels (exact 0.64 against
// 0.35 over all).
//
// The same strangers give the given level's own u (countedGivenU): how often two people share a
// phone at all, a chance too small for the random pairs the other u's are read off.
import { compareRecords } from './comparisons.ts';
import { isDisagreement, type Dependency, type ModelConfig } from './model-config.ts';
import type { NormalisedRecord } from './normalise/index.ts';
import { applyRules } from './rules.ts';

/** Pairs of strangers needed before a dependency's u is used; fewer and the comparisons count as independent. */
export const MIN_STRANGER_PAIRS = 200;

/** Per dependency: the strangers' pairs at its given level, and what scales them up to all pairs. */
export interface StrangerCount {
  /** How many hold each level of the dependency's comparison. */
  readonly levels: readonly number[];
  /** The share of the given values whose pairs were counted: 1 where all were. */
  readonly keyShare: number;
  /** Records that hold a given value: the pairs at the given level are among theirs. */
  readonly records: number;
}
export type StrangerCounts = ReadonlyArray<StrangerCount>;

interface Resolved { readonly comparison: number; readonly given: number; readonly givenLevel: number; readonly strangers: number; readonly strangersLevel: number }

function resolve(config: ModelConfig, d: Dependency): Resolved {
  const at = (field: string) => config.comparisons.findIndex((c) => c.field === field);
  const levelAt = (c: number, label: string) => config.comparisons[c]!.levels.findIndex((l) => l.label === label);
  const [comparison, given, strangers] = [at(d.field), at(d.given.field), at(d.strangers.field)];
  return { comparison, given, givenLevel: levelAt(given, d.given.level), strangers, strangersLevel: levelAt(strangers, d.strangers.level) };
}

/** Per dependency, a record's value of the given level's attribute (null: it holds none). */
export function givenValues(config: ModelConfig): (r: NormalisedRecord) => Array<string | null> {
  const on = config.dependencies.map((d) => {
    const level = config.comparisons.find((c) => c.field === d.given.field)!.levels.find((l) => l.label === d.given.level)!;
    return level.kind === 'exact' ? level.on : null;
  });
  return (r) => on.map((a) => (a === null ? null : r[a]));
}

/** The keys a record is sampled under: each dependency's given value, apart from the others'. */
export function givenKeys(config: ModelConfig): (r: NormalisedRecord) => string[] {
  const values = givenValues(config);
  return (r) => values(r).flatMap((v, i) => (v === null ? [] : [`${i}:${v}`]));
}

/** Per dependency, how many of `records` hold a given value. */
export function givenRecords(config: ModelConfig, records: Iterable<NormalisedRecord>): number[] {
  const counts = config.dependencies.map(() => 0);
  const values = givenValues(config);
  for (const r of records) values(r).forEach((v, i) => { if (v !== null) counts[i]!++; });
  return counts;
}

/**
 * The strangers among compared pairs, as level patterns (`count` pairs each) that no rule
 * matched: those a dependency's given level holds and whose strangers level says two people.
 * `keyShare` and `records` as StrangerCount.
 */
export function tallyStrangers(config: ModelConfig, patterns: Iterable<{ readonly levels: readonly number[]; readonly count: number }>, keyShare: number, records: readonly number[]): StrangerCounts {
  const deps = config.dependencies.map((d) => resolve(config, d));
  const counts = deps.map((d) => new Array<number>(config.comparisons[d.comparison]!.levels.length).fill(0));
  for (const p of patterns) {
    deps.forEach((d, i) => {
      if (p.levels[d.given] === d.givenLevel && p.levels[d.strangers] === d.strangersLevel) counts[i]![p.levels[d.comparison]!]! += p.count;
    });
  }
  return counts.map((levels, i) => ({ levels, keyShare, records: records[i] ?? 0 }));
}

/** The strangers among record pairs (a rule-matched pair left out), compared here. */
export function countStrangers(config: ModelConfig, pairs: Iterable<readonly [NormalisedRecord, NormalisedRecord]>, keyShare: number, records: readonly number[]): StrangerCounts {
  const patterns: Array<{ levels: number[]; count: number }> = [];
  if (config.dependencies.length > 0) {
    for (const [a, b] of pairs) if (applyRules(a, b).decision !== 'match') patterns.push({ levels: compareRecords(config.comparisons, a, b), count: 1 });
  }
  return tallyStrangers(config, patterns, keyShare, records);
}

/** Strangers' pairs with both values of the dependency's comparison present. */
function presentPairs(config: ModelConfig, r: Resolved, counts: readonly number[] | undefined): number {
  const levels = config.comparisons[r.comparison]!.levels;
  return (counts ?? []).reduce((s, x, li) => s + (levels[li]!.kind === 'null' ? 0 : x), 0);
}

/**
 * Per dependency, the topic's counts where they are enough, else those among the records
 * estimated on (`inRecords`, counted only when some dependency needs them).
 */
export function strangerCounts(config: ModelConfig, topic: StrangerCounts | undefined, inRecords: () => StrangerCounts): StrangerCounts {
  let own: StrangerCounts | null = null;
  return config.dependencies.map((d, i) => {
    const t = topic?.[i];
    if (t !== undefined && presentPairs(config, resolve(config, d), t.levels) >= MIN_STRANGER_PAIRS) return t;
    own ??= inRecords();
    return own[i]!;
  });
}

/** A dependency as the model holds it: indexes for scoring, u per level of the comparison. */
export interface DependenceParams {
  readonly comparison: number;
  readonly given: number;
  readonly givenLevel: number;
  /** Shown in explanations: what held (`phone exact`). */
  readonly label: string;
  /** P(level | strangers at the given level), given both values present; null where no cap applies (null, disagreement and refused levels). */
  readonly u: ReadonlyArray<number | null>;
  /** The strangers' pairs it was counted in, both values present. */
  readonly pairs: number;
}

/**
 * The dependencies with enough strangers' pairs, each level's u counted among those with both
 * values present (as the model's m and u are). `refused`: the comparison's levels refused as
 * evidence (weight 0), left so.
 */
export function fitDependencies(config: ModelConfig, counts: StrangerCounts, floor: number, refused: (comparison: number, level: number) => boolean): DependenceParams[] {
  const out: DependenceParams[] = [];
  config.dependencies.forEach((d, i) => {
    const r = resolve(config, d);
    const levels = config.comparisons[r.comparison]!.levels;
    const c = counts[i]?.levels ?? [];
    const present = presentPairs(config, r, c);
    if (present < MIN_STRANGER_PAIRS) return;
    const u = levels.map((l, li) => (l.kind === 'null' || isDisagreement(l.kind) || refused(r.comparison, li) ? null : Math.max(floor, (c[li] ?? 0) / present)));
    out.push({ comparison: r.comparison, given: r.given, givenLevel: r.givenLevel, label: `${d.given.field} ${d.given.level}`, u, pairs: present });
  });
  return out;
}

/**
 * The given level's own u, counted: how often two people share a phone. u from random record pairs
 * cannot tell chances below one in its 400,000 pairs, and the few sampled pairs that agree on a
 * phone are mostly matches the first round did not take out: 3.4e-6 at 50k persons with every
 * kind of foreign noise at 0.05, where the strangers who share a number make it 5.4e-7. Counted:
 * the strangers' pairs, scaled up by the share of values sampled and by `strangersU` (how often
 * two random people's names share nothing, as the strangers level asks: 0.890 there, and 0.893
 * among the phone-sharing strangers), over the pairs of the records that hold a value. Per
 * dependency with enough strangers' pairs; `strangersU(comparison, level)`: that level's u given
 * both values present.
 */
export function countedGivenU(config: ModelConfig, counts: StrangerCounts, strangersU: (comparison: number, level: number) => number, floor: number): Array<{ comparison: number; level: number; u: number }> {
  const out: Array<{ comparison: number; level: number; u: number }> = [];
  config.dependencies.forEach((d, i) => {
    const r = resolve(config, d);
    const c = counts[i];
    if (c === undefined || presentPairs(config, r, c.levels) < MIN_STRANGER_PAIRS || c.records < 2 || c.keyShare <= 0) return;
    const strangers = c.levels.reduce((a, x) => a + x, 0) / c.keyShare / Math.max(strangersU(r.strangers, r.strangersLevel), floor);
    out.push({ comparison: r.given, level: r.givenLevel, u: Math.max(floor, Math.min(1, strangers / ((c.records * (c.records - 1)) / 2))) });
  });
  return out;
}
