// Scoring one pair: deterministic rules first, then the Fellegi–Sunter sum of the prior and each
// comparison's log2(m/u), with term-frequency adjustment on the levels that ask for it. Returns
// the "waterfall": every contribution, so a steward sees why a pair was linked.
import { compareRecords, scaledTf, tfTableKey, tfValue } from './comparisons.ts';
import { namePartsShare } from './name-parts.ts';
import { pairPrior, type Model } from './model.ts';
import type { NormalisedRecord } from './normalise/index.ts';
import { applyRules, type RuleOutcome } from './rules.ts';

export type Band = 'match' | 'possible' | 'non-match';

export interface Contribution {
  readonly field: string;
  readonly level: string;
  readonly m: number;
  /** The u used: the level's u, or the agreed value's frequency when TF-adjusted. */
  readonly u: number;
  readonly weight: number;
  readonly tfValue?: string;
  /** The u is that among strangers for whom this held (a dependency: `phone exact`). */
  readonly given?: string;
}

export interface PairScore {
  readonly rule: RuleOutcome;
  readonly band: Band;
  /** Prior + Σ contributions, in bits (±Infinity when a rule decided). */
  readonly weight: number;
  readonly probability: number;
  readonly prior: number;
  readonly contributions: readonly Contribution[];
}

/**
 * TF adjustment: agreeing on value v is worth log2(m / f(v)) where f(v) is v's share of people,
 * not log2(m / u) with u averaged over all values — 王伟 agrees by chance far more often than
 * 欧阳翠花. A value missing from the table (a record that arrived after estimation) falls back to
 * the level's u, so an unseen value never gets an unbounded weight.
 */
function tfU(model: Model, attr: string, value: string, fallback: number): number {
  const f = model.tf[attr]?.get(value);
  return f === undefined ? fallback : f;
}

export function scorePair(model: Model, x: NormalisedRecord, y: NormalisedRecord): PairScore {
  const levels = compareRecords(model.config.comparisons, x, y);
  const contributions = levels.map((li, ci): Contribution => {
    const spec = model.config.comparisons[ci]!;
    const params = model.comparisons[ci]!.levels[li]!;
    const levelSpec = spec.levels[li]!;
    const v = tfValue(levelSpec, x, y);
    const table = tfTableKey(levelSpec);
    if (v === null || table === null || params.refused) return { field: spec.field, level: params.label, m: params.m, u: params.u, weight: params.weight };
    // Exact levels: u = f(value), the value's share of people. Suffix and 'surname differs' levels
    // (scaledTf): the level's u scaled by how much commoner or rarer the agreed value is than
    // agreeing pairs' values on average.
    let u: number;
    // A Han name is never rarer than its surname and given name make it, seen in the estimate or not.
    if (levelSpec.kind === 'letters' && params.tfScale !== undefined) u = tfU(model, table, v, params.u / params.tfScale) * params.tfScale;
    else if (!scaledTf(levelSpec)) u = Math.max(tfU(model, table, v, params.u), levelSpec.kind === 'exact' && levelSpec.tfParts === 'chineseName' ? namePartsShare(model.tf, levelSpec.on, v) ?? 0 : 0);
    else if (params.tfMean === undefined) return { field: spec.field, level: params.label, m: params.m, u: params.u, weight: params.weight };
    else u = params.u * (tfU(model, table, v, params.tfMean) / params.tfMean);
    // Written as a shift of the level's weight by log2(u/f): equal to log2(m/f).
    return { field: spec.field, level: params.label, m: params.m, u, weight: params.weight + Math.log2(params.u / u), tfValue: v };
  });
  // Where strangers agree on another comparison (a phone: a household), this one's agreement is
  // evidence only as far as those strangers do not share it too (estimate-dependence.ts).
  for (const d of model.dependencies ?? []) {
    if (levels[d.given] !== d.givenLevel) continue;
    const c = contributions[d.comparison]!;
    const u = d.u[levels[d.comparison]!];
    if (u === null || u === undefined) continue;
    const weight = Math.log2(c.m / u);
    if (weight < c.weight) contributions[d.comparison] = { ...c, u, weight, given: d.label };
  }
  const rule = applyRules(x, y);
  const prior = pairPrior(model, x.system, y.system);
  const sum = prior + contributions.reduce((s, c) => s + c.weight, 0);
  const weight = rule.decision === 'match' ? Number.POSITIVE_INFINITY : rule.decision === 'never' ? Number.NEGATIVE_INFINITY : sum;
  const { match, possible } = model.config.thresholds;
  const band: Band = weight >= match ? 'match' : weight >= possible ? 'possible' : 'non-match';
  return { rule, band, weight, probability: 1 / (1 + 2 ** -weight), prior, contributions };
}

/** A waterfall as text lines (for the CLI's explain and for test failure messages). */
export function formatWaterfall(s: PairScore): string[] {
  const lines = [`prior ${s.prior.toFixed(2)}`];
  for (const c of s.contributions) {
    const tf = `${c.tfValue === undefined ? '' : ` tf(${c.tfValue})`}${c.given === undefined ? '' : ` given ${c.given}`}`;
    lines.push(`${c.field.padEnd(10)} ${c.level.padEnd(16)} m=${c.m.toPrecision(3)} u=${c.u.toPrecision(3)}${tf} → ${c.weight >= 0 ? '+' : ''}${c.weight.toFixed(2)}`);
  }
  lines.push(`rule ${s.rule.decision}${'rule' in s.rule ? ` (${s.rule.rule})` : ''} · weight ${s.weight.toFixed(2)} · p ${s.probability.toFixed(4)} · ${s.band}`);
  return lines;
}
