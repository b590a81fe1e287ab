// Estimating the Fellegi–Sunter parameters from the data, never by hand:
// - u (P(level | non-match)) from random record pairs: almost all of them are non-matches;
// - m (P(level | match)) by EM over the candidate pairs, with u held fixed, starting from the
//   pairs the deterministic rules already call matches;
// - the prior from the EM's expected number of matches over all possible pairs;
// - term frequencies of the values a TF level agrees on.
// A level meant as evidence whose estimated u ≥ m is refused (weight 0) and reported, as JeMPI
// refuses such an m/u set: it would turn agreement into evidence against a match.
import { compareRecords } from './comparisons.ts';
import type { ModelConfig } from './model-config.ts';
import type { NormalisedRecord } from './normalise/index.ts';
import { applyRules } from './rules.ts';
import { mulberry32 } from './random.ts';
import type { LevelParams, Model } from './model.ts';

function sampleU(config: ModelConfig, records: readonly NormalisedRecord[]): number[][] {
  const rand = mulberry32(config.estimation.seed);
  const counts = config.comparisons.map((c) => new Array<number>(c.levels.length).fill(0));
  const n = records.length;
  let taken = 0;
  for (let tries = 0; taken < config.estimation.uSamplePairs && tries < config.estimation.uSamplePairs * 2; tries++) {
    const i = Math.floor(rand() * n);
    const j = Math.floor(rand() * n);
    const a = records[i];
    const b = records[j];
    if (i === j || a === undefined || b === undefined || applyRules(a, b).decision === 'match') continue;
    compareRecords(config.comparisons, a, b).forEach((l, c) => { counts[c]![l]! += 1; });
    taken++;
  }
  return counts.map((cs) => cs.map((x) => x / Math.max(1, taken)));
}

interface Pattern { levels: number[]; count: number; fixed: number | null }

function patterns(config: ModelConfig, records: readonly NormalisedRecord[], pairs: ReadonlyArray<readonly [number, number]>): Pattern[] {
  const byKey = new Map<string, Pattern>();
  for (const [i, j] of pairs) {
    const a = records[i]!;
    const b = records[j]!;
    const rule = applyRules(a, b).decision;
    const fixed = rule === 'match' ? 1 : rule === 'never' ? 0 : null;
    const levels = compareRecords(config.comparisons, a, b);
    const key = `${fixed ?? 'x'}|${levels.join(',')}`;
    const p = byKey.get(key);
    if (p === undefined) byKey.set(key, { levels, count: 1, fixed });
    else p.count++;
  }
  return [...byKey.values()];
}

/**
 * Frequencies are of people, not records: records of one person count once, else someone present
 * in every system would make their own name look common. `entityOf` says which records are one
 * person as far as we know (by default: a shared valid ID number or account; after a first
 * clustering pass, the cluster).
 */
export function tfTables(
  config: ModelConfig, records: readonly NormalisedRecord[],
  entityOf: (i: number) => string = (i) => records[i]!.idNumber ?? records[i]!.accounts[0] ?? records[i]!.ref,
): Record<string, Map<string, number>> {
  const out: Record<string, Map<string, number>> = {};
  for (const c of config.comparisons) {
    for (const l of c.levels) {
      if (l.kind !== 'exact' || !l.tf || out[l.on] !== undefined) continue;
      const counts = new Map<string, number>();
      const seen = new Set<string>();
      let total = 0;
      for (const [i, r] of records.entries()) {
        const v = r[l.on];
        if (v === null) continue;
        const entity = `${v}|${entityOf(i)}`;
        if (seen.has(entity)) continue;
        seen.add(entity);
        counts.set(v, (counts.get(v) ?? 0) + 1);
        total++;
      }
      out[l.on] = new Map([...counts].map(([v, k]) => [v, k / total]));
    }
  }
  return out;
}

export function estimateModel(config: ModelConfig, records: readonly NormalisedRecord[], pairs: ReadonlyArray<readonly [number, number]>): Model {
  const floor = config.estimation.minProbability;
  const u = sampleU(config, records).map((ls) => ls.map((x) => Math.max(floor, x)));
  const pats = patterns(config, records, pairs);
  const norm = (xs: number[]) => { const s = xs.reduce((a, b) => a + b, 0); return xs.map((x) => Math.max(floor, x / (s || 1))); };
  // Start m from the rule-decided matches; a flat start where they say nothing about a level.
  let m = config.comparisons.map((c, ci) => norm(c.levels.map((_l, li) => 1 + pats.reduce((s, p) => s + (p.fixed === 1 && p.levels[ci] === li ? p.count : 0), 0))));
  let lambda = 0.5;
  let expected = 0;
  for (let it = 0; it < config.estimation.emIterations; it++) {
    const acc = config.comparisons.map((c) => new Array<number>(c.levels.length).fill(0));
    let sumP = 0;
    let free = 0;
    let freeP = 0;
    for (const p of pats) {
      let post = p.fixed;
      if (post === null) {
        let lm = lambda;
        let lu = 1 - lambda;
        p.levels.forEach((l, c) => { lm *= m[c]![l]!; lu *= u[c]![l]!; });
        post = lm / (lm + lu);
        free += p.count;
        freeP += post * p.count;
      }
      sumP += post * p.count;
      p.levels.forEach((l, c) => { acc[c]![l]! += post * p.count; });
    }
    m = acc.map((ls) => norm(ls.map((x) => x / Math.max(sumP, 1e-12))));
    lambda = Math.min(1 - 1e-9, Math.max(1e-9, freeP / Math.max(free, 1)));
    expected = sumP;
  }
  const n = records.length;
  const allPairs = (n * (n - 1)) / 2;
  const prior = Math.log2(Math.max(expected, 1) / Math.max(allPairs - expected, 1));
  const refused: string[] = [];
  // m and u of the comparing levels are taken conditional on both values being present: how often
  // a field is missing differs by system, not by match status, and must not leak into weights.
  const present = (ps: number[], ci: number) => {
    const nulls = ps.reduce((s, x, li) => s + (config.comparisons[ci]!.levels[li]!.kind === 'null' ? x : 0), 0);
    return ps.map((x, li) => (config.comparisons[ci]!.levels[li]!.kind === 'null' ? x : Math.max(floor, x / Math.max(1 - nulls, floor))));
  };
  const mc = m.map(present);
  const uc = u.map(present);
  const comparisons = config.comparisons.map((c, ci) => ({
    field: c.field,
    levels: c.levels.map((l, li): LevelParams => {
      const mm = mc[ci]![li]!;
      const uu = uc[ci]![li]!;
      if (l.kind === 'null') return { label: l.label, m: mm, u: uu, weight: 0, refused: false };
      const evidence = l.kind !== 'else';
      const isRefused = evidence && uu >= mm;
      if (isRefused) refused.push(`${c.field}/${l.label}`);
      return { label: l.label, m: mm, u: uu, weight: isRefused ? 0 : Math.log2(mm / uu), refused: isRefused };
    }),
  }));
  return { config, prior, comparisons, tf: tfTables(config, records), refused, expectedMatches: expected };
}
