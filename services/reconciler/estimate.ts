// Estimating the Fellegi–Sunter parameters from the data, never by hand:
// - u (P(level | non-match)) from random record pairs, in a second round without the sampled
//   pairs the first round calls confident matches (at λ ≈ 1e-4 they are not negligible);
// - m (P(level | match)) by EM with u held fixed, starting from the pairs the deterministic rules
//   already call matches, run once per estimation session (pairs agreeing on one blocking key),
//   each comparison's m taken only from sessions whose key does not read its attributes;
// - the prior λ by EM over the whole pair space (m and u fixed; pairs outside every block count
//   as non-matches): expected matches among the candidates / all pairs; and the same per pair of
//   source systems where the data allow (two register rows are rarely one person);
// - for suffix TF levels, the mean frequency of the values their agreeing pairs agree on (the
//   frequencies themselves are counted in term-frequencies.ts).
// A level meant as evidence whose estimated u ≥ m is refused (weight 0) and reported, as JeMPI
// refuses such an m/u set: it would turn agreement into evidence against a match.
import { compareRecords, inLetters, lettersAgree, scaledTf, tfTableKey, tfValue } from './comparisons.ts';
import { isDisagreement, type Attribute, type ModelConfig } from './model-config.ts';
import type { NormalisedRecord } from './normalise/index.ts';
import { applyRules } from './rules.ts';
import { mulberry32 } from './random.ts';
import { tfTables } from './term-frequencies.ts';
import { countedGivenU, fitDependencies, givenRecords, strangerCounts, tallyStrangers, type StrangerCounts } from './estimate-dependence.ts';
import { systemPairKey, type LevelParams, type Model } from './model.ts';

interface Sampled { levels: number[]; count: number; /** Per comparison: agreed values at a TF suffix level, one per sampled pair. */ agreed: Array<string[] | null> }

/** Random record pairs (seeded), as level patterns; pairs the rules call matches are left out. */
function sampleU(config: ModelConfig, records: readonly NormalisedRecord[]): Sampled[] {
  const rand = mulberry32(config.estimation.seed);
  const byKey = new Map<string, Sampled>();
  const n = records.length;
  let taken = 0;
  for (let tries = 0; taken < config.estimation.uSamplePairs && tries < config.estimation.uSamplePairs * 2; tries++) {
    const i = Math.floor(rand() * n);
    const j = Math.floor(rand() * n);
    const a = records[i];
    const b = records[j];
    if (i === j || a === undefined || b === undefined || applyRules(a, b).decision === 'match') continue;
    const levels = compareRecords(config.comparisons, a, b);
    const key = levels.join(',');
    let p = byKey.get(key);
    if (p === undefined) { p = { levels, count: 0, agreed: levels.map(() => null) }; byKey.set(key, p); }
    p.count++;
    levels.forEach((li, ci) => {
      const spec = config.comparisons[ci]!.levels[li]!;
      const v = scaledTf(spec) ? tfValue(spec, a, b) : null;
      if (v !== null) (p.agreed[ci] ??= []).push(v);
    });
    taken++;
  }
  return [...byKey.values()];
}

interface Pattern { levels: number[]; count: number; fixed: number | null; sessions: number; systems: string }

/**
 * Estimation sessions (Splink's approach): the candidate pairs exist because they agree on a
 * blocking key, so a field the key is built from agrees in (nearly) all of them, match or not, and
 * EM over all candidates learns that agreeing on it is what matches look like. A session takes the
 * pairs that agree on one key's attributes and estimates m only for the comparisons that do not
 * read those attributes; a comparison's m is then the average over the sessions that estimate it,
 * weighted by each session's expected matches. Birth date and gender are read off a valid ID
 * number, so the ID session estimates neither.
 */
export interface EstimationSession { readonly name: string; readonly attributes: readonly Attribute[]; readonly agree: (a: NormalisedRecord, b: NormalisedRecord) => boolean }

const eq = (x: string | null, y: string | null) => x !== null && x === y;
export const ESTIMATION_SESSIONS: readonly EstimationSession[] = [
  { name: 'id number', attributes: ['idDigits', 'idNumber', 'birthDate', 'gender'], agree: (a, b) => eq(a.idDigits, b.idDigits) },
  { name: 'phone', attributes: ['phone', 'phoneTail'], agree: (a, b) => eq(a.phone, b.phone) },
  { name: 'account', attributes: [], agree: (a, b) => a.accounts.some((x) => b.accounts.includes(x)) },
  { name: 'name', attributes: ['name', 'pinyin', 'nameKey'], agree: (a, b) => eq(a.nameKey, b.nameKey) || lettersAgree(a, b) !== null },
];

/** The attributes a comparison reads (its levels' `on` and `alsoOn`). */
function readsOf(c: ModelConfig['comparisons'][number]): Set<Attribute> {
  const out = new Set<Attribute>();
  for (const l of c.levels) {
    if (l.kind === 'else') continue;
    if (l.kind === 'null') l.on.forEach((a) => out.add(a));
    else {
      out.add(l.on);
      if (l.kind === 'suffix' && l.alsoOn !== undefined) out.add(l.alsoOn);
      if (l.kind === 'nothingShared') out.add(l.sound);
      if (l.kind === 'unit') { out.add(l.in); if (l.department !== undefined) out.add(l.department.on); }
    }
  }
  return out;
}

function patterns(config: ModelConfig, records: readonly NormalisedRecord[], pairs: ReadonlyArray<readonly [number, number]>): Pattern[] {
  const byKey = new Map<string, Pattern>();
  for (const [i, j] of pairs) {
    const a = records[i]!;
    const b = records[j]!;
    const rule = applyRules(a, b).decision;
    const fixed = rule === 'match' ? 1 : rule === 'never' ? 0 : null;
    const levels = compareRecords(config.comparisons, a, b);
    let sessions = 0;
    ESTIMATION_SESSIONS.forEach((s, k) => { if (s.agree(a, b)) sessions |= 1 << k; });
    const systems = systemPairKey(a.system, b.system);
    const key = `${fixed ?? 'x'}|${sessions}|${systems}|${levels.join(',')}`;
    const p = byKey.get(key);
    if (p === undefined) byKey.set(key, { levels, count: 1, fixed, sessions, systems });
    else p.count++;
  }
  return [...byKey.values()];
}

/** Weight of the global rate in a system pair's prior, in matches (see fitSystemPriors). */
const SYSTEM_PRIOR_PSEUDO_MATCHES = 1;
/** Rule-decided matches needed before a disagreement level's m is counted in them (see fitM, countedInDecided). */
const MIN_DECIDED_PAIRS = 200;
/**
 * Levels whose m is counted in the rule-decided pairs rather than inferred: those the config marks
 * `counted` (the name's disagreement levels, which strangers sharing a key crowd: a household's phone).
 */
const countedInDecided = (l: { readonly counted?: boolean | undefined }) => l.counted === true;
/**
 * Per comparison, how many pairs a rule decided are one person hold each level: what the
 * counted levels' m is counted in (countedInDecided). A pair counts for a comparison when it
 * agrees on some session's key whose attributes the comparison does not read, as in the sessions
 * (two records of one ID number say nothing of how often matches' birth dates differ).
 */
export type DecidedCounts = ReadonlyArray<readonly number[]>;

export function countDecided(config: ModelConfig, pairs: Iterable<readonly [NormalisedRecord, NormalisedRecord]>): DecidedCounts {
  const reads = config.comparisons.map(readsOf);
  const counts = config.comparisons.map((c) => new Array<number>(c.levels.length).fill(0));
  for (const [a, b] of pairs) {
    if (applyRules(a, b).decision !== 'match') continue;
    const agreed = ESTIMATION_SESSIONS.filter((s) => s.agree(a, b));
    const levels = compareRecords(config.comparisons, a, b);
    reads.forEach((r, c) => {
      if (agreed.some((s) => !s.attributes.some((x) => r.has(x)))) counts[c]![levels[c]!]!++;
    });
  }
  return counts;
}

/** Sampled agreeing pairs needed before a suffix level's TF ratio is used (else the level's plain u). */
const TF_MEAN_MIN_PAIRS = 20;

/**
 * Counts from beyond the records estimated on (the stream's topic-wide samples by key,
 * keyed-sample.ts): the rule-decided pairs' levels and the strangers' pairs of each dependency
 * (estimate-dependence.ts). Where there are enough they stand in for the pairs among the records,
 * which a sample of records holds few of.
 */
export interface TopicCounts { readonly decided?: DecidedCounts; readonly strangers?: StrangerCounts }

export function estimateModel(config: ModelConfig, records: readonly NormalisedRecord[], pairs: ReadonlyArray<readonly [number, number]>, topic: TopicCounts = {}): Model {
  const { decided } = topic;
  const floor = config.estimation.minProbability;
  const nc = config.comparisons.length;
  const norm = (xs: number[]) => { const s = xs.reduce((a, b) => a + b, 0); return xs.map((x) => Math.max(floor, x / (s || 1))); };
  const n = records.length;
  const allPairs = (n * (n - 1)) / 2;
  const sampled = sampleU(config, records);
  const pats = patterns(config, records, pairs);
  // The strangers' pairs of each dependency (estimate-dependence.ts): the topic's where there are
  // enough, else those among the candidate pairs, every value's (blocking keeps pairs that share a
  // phone), read off their patterns.
  const strangers = strangerCounts(config, topic.strangers, () => tallyStrangers(config, pats.filter((p) => p.fixed !== 1), 1, givenRecords(config, records)));
  /** The share of a comparison's level probabilities `ps` held by its null levels (a value missing). */
  const nullShare = (ps: readonly number[], ci: number) => ps.reduce((s, x, li) => s + (config.comparisons[ci]!.levels[li]!.kind === 'null' ? x : 0), 0);
  /** u from the random sample, leaving out the sampled pairs `keep` rejects; a dependency's given level counted among its strangers. */
  const uFrom = (keep: (p: Sampled) => boolean) => {
    const u = config.comparisons.map((c, ci) => norm(c.levels.map((_l, li) => sampled.reduce((s, p) => s + (keep(p) && p.levels[ci] === li ? p.count : 0), 0))));
    // countedGivenU reads and gives u given both values present; the arrays here hold the nulls' share too.
    for (const g of countedGivenU(config, strangers, (ci, li) => u[ci]![li]! / Math.max(1 - nullShare(u[ci]!, ci), floor), floor)) u[g.comparison]![g.level] = Math.max(floor, g.u * (1 - nullShare(u[g.comparison]!, g.comparison)));
    return u;
  };
  // Start m from the rule-decided matches; a flat start where they say nothing about a level.
  const start = config.comparisons.map((c, ci) => norm(c.levels.map((_l, li) => 1 + pats.reduce((s, p) => s + (p.fixed === 1 && p.levels[ci] === li ? p.count : 0), 0))));
  const likelihoodRatio = (levels: readonly number[], m: number[][], u: number[][], used?: readonly boolean[]) => {
    let r = 1;
    levels.forEach((l, c) => { if (used === undefined || used[c]) r *= m[c]![l]! / u[c]![l]!; });
    return r;
  };

  /** EM within one session: λ is the share of matches among its pairs; m updated for `used` comparisons. */
  const emSession = (ps: readonly Pattern[], used: readonly boolean[], u: number[][]) => {
    let m = start.map((ls) => [...ls]);
    let lambda = 0.5;
    let expected = 0;
    for (let it = 0; it < config.estimation.emIterations; it++) {
      const acc = config.comparisons.map((c) => new Array<number>(c.levels.length).fill(0));
      let sumP = 0;
      let free = 0;
      let freeP = 0;
      for (const p of ps) {
        let post = p.fixed;
        if (post === null) {
          const odds = (lambda / (1 - lambda)) * likelihoodRatio(p.levels, m, u, used);
          post = odds / (1 + odds);
          free += p.count;
          freeP += post * p.count;
        }
        sumP += post * p.count;
        p.levels.forEach((l, c) => { acc[c]![l]! += post * p.count; });
      }
      m = m.map((ls, c) => (used[c] ? norm(acc[c]!.map((x) => x / Math.max(sumP, 1e-12))) : ls));
      lambda = Math.min(1 - 1e-9, Math.max(1e-9, freeP / Math.max(free, 1)));
      expected = sumP;
    }
    return { m, expected };
  };

  // One EM per session; each comparison's m is the match-weighted average over the sessions that
  // may estimate it (every comparison is estimated by at least the account session, which blocks
  // on no compared attribute; a comparison no session could estimate keeps its starting m) —
  // except the levels the config marks counted (the name's disagreement levels: countedInDecided) where
  // enough pairs are matches by rule (a shared valid ID number or account): there m is counted in
  // those pairs. A key two different people share (a household's phone, an office number, a
  // recycled one) brings look-alike strangers into its session, and EM, finding their names apart
  // but their branch alike, calls them matches whose names disagree: a name that disagrees then
  // weighed −3 bits instead of −12 (eval-stream.ts --foreign-noise householdPhone=0.3). Pairs a
  // rule decided need no such inference.
  const reads = config.comparisons.map(readsOf);
  const fitM = (u: number[][]) => {
    const sumM = config.comparisons.map((c) => new Array<number>(c.levels.length).fill(0));
    const inPairs = config.comparisons.map((c) => new Array<number>(c.levels.length).fill(0));
    const weightOf = new Array<number>(nc).fill(0);
    const sessions: Array<{ name: string; pairs: number; expectedMatches: number }> = [];
    ESTIMATION_SESSIONS.forEach((s, k) => {
      const ps = pats.filter((p) => (p.sessions & (1 << k)) !== 0);
      const used = reads.map((r) => !s.attributes.some((a) => r.has(a)));
      const fit = emSession(ps, used, u);
      sessions.push({ name: s.name, pairs: ps.reduce((a, p) => a + p.count, 0), expectedMatches: fit.expected });
      if (fit.expected <= 0) return;
      used.forEach((ok, c) => {
        if (!ok) return;
        weightOf[c]! += fit.expected;
        fit.m[c]!.forEach((x, l) => { sumM[c]![l]! += fit.expected * x; });
        for (const p of ps) if (p.fixed === 1) inPairs[c]![p.levels[c]!]! += p.count;
      });
    });
    const combined = (c: number) => {
      const avg = sumM[c]!.map((x) => x / weightOf[c]!);
      const sum = (xs: readonly number[] | undefined) => (xs ?? []).reduce((a, x) => a + x, 0);
      const counts = sum(decided?.[c]) >= MIN_DECIDED_PAIRS ? decided![c]! : inPairs[c]!;
      const n = sum(counts);
      if (n < MIN_DECIDED_PAIRS) return avg;
      // Weights read m given both values present (`present` below), so a counted level is its share
      // of the counted pairs with both values present, and EM keeps its say on how often a value is
      // missing and on how the other levels share the rest. Counted against all pairs instead, a
      // level's m came out as large as EM's share of missing values made it: at a million records,
      // where EM on the 2 % sample took most matches' phones for missing, phone 'else' (counted
      // then) was 0.31 given present where the counted pairs said 0.107.
      const levels = config.comparisons[c]!.levels;
      const isNull = (li: number) => levels[li]!.kind === 'null';
      const counted = (li: number) => countedInDecided(levels[li]!);
      const presentCounts = n - sum(counts.filter((_x, li) => isNull(li)));
      if (presentCounts <= 0) return avg;
      const emPresent = sum(avg.filter((_x, li) => !isNull(li)));
      const countedShare = sum(counts.filter((_x, li) => counted(li))) / presentCounts;
      const emOther = sum(avg.filter((_x, li) => !isNull(li) && !counted(li)));
      return avg.map((x, li) => {
        if (isNull(li)) return x;
        if (counted(li)) return (counts[li]! / presentCounts) * emPresent;
        return emOther > 0 ? (x / emOther) * (1 - countedShare) * emPresent : x;
      });
    };
    return { m: start.map((ls, c) => (weightOf[c]! > 0 ? norm(combined(c)) : ls)), sessions };
  };

  // The prior λ: the probability that two random records match. EM over the whole pair space with
  // m and u fixed, where pairs outside every block count as non-matches (they disagree on every
  // key): λ ← Σ P(match | candidate pair) / all pairs, each posterior taken with λ itself as prior
  // (not with the share of matches among candidates, which blocking has inflated).
  const fitPrior = (m: number[][], u: number[][]) => {
    let fixedMatches = 0;
    for (const p of pats) if (p.fixed === 1) fixedMatches += p.count;
    let lambda = Math.max(1, fixedMatches) / allPairs;
    let expected = fixedMatches;
    for (let it = 0; it < config.estimation.emIterations; it++) {
      expected = 0;
      for (const p of pats) {
        if (p.fixed !== null) { expected += p.fixed * p.count; continue; }
        const odds = (lambda / (1 - lambda)) * likelihoodRatio(p.levels, m, u);
        expected += (odds / (1 + odds)) * p.count;
      }
      lambda = Math.min(0.5, Math.max(1 / allPairs, expected / allPairs));
    }
    return { lambda, expected };
  };

  // The prior per pair of source systems, the same EM within each: matches are not spread evenly
  // over the pair space (two register rows are one person only when one is a duplicate; a register
  // row and an OA entry are for most members in work), and one λ over all pairs under-states the
  // cross-system pairs that need the evidence. Each system pair's λ is shrunk towards the global
  // one (a Beta prior worth SYSTEM_PRIOR_PSEUDO_MATCHES matches at the global rate, MAP-EM): a
  // pair with many matches keeps its own rate, one with few (two register rows in a 20,000-record
  // sample: ~3 duplicates) still says its rate is far below the global one. The earlier rule — the
  // global prior below 30 expected matches — gave exactly those same-system pairs a prior 5–6 bits
  // too high in the stream's sample. Records without a system (a ref without one) are not counted,
  // and their pairs use the global prior.
  const fitSystemPriors = (m: number[][], u: number[][], globalLambda: number): Record<string, number> | undefined => {
    const size = new Map<string, number>();
    for (const r of records) if (r.system !== null) size.set(r.system, (size.get(r.system) ?? 0) + 1);
    if (size.size < 2) return undefined;
    const out: Record<string, number> = {};
    const groups = new Map<string, Pattern[]>();
    for (const p of pats) {
      const g = groups.get(p.systems);
      if (g === undefined) groups.set(p.systems, [p]);
      else g.push(p);
    }
    const systems = [...size.keys()].sort();
    for (const [a, s] of systems.entries()) for (const t of systems.slice(a)) {
      const key = systemPairKey(s, t);
      const ps = groups.get(key) ?? [];
      const ns = size.get(s)!;
      const nt = size.get(t)!;
      const space = s === t ? (ns * (ns - 1)) / 2 : ns * nt;
      if (space < 1) continue;
      const pseudoPairs = SYSTEM_PRIOR_PSEUDO_MATCHES / globalLambda;
      let lambda = globalLambda;
      for (let it = 0; it < config.estimation.emIterations; it++) {
        let expected = 0;
        for (const p of ps) {
          if (p.fixed !== null) { expected += p.fixed * p.count; continue; }
          const odds = (lambda / (1 - lambda)) * likelihoodRatio(p.levels, m, u);
          expected += (odds / (1 + odds)) * p.count;
        }
        lambda = Math.min(0.5, (expected + SYSTEM_PRIOR_PSEUDO_MATCHES) / (space + pseudoPairs));
      }
      out[key] = Math.log2(lambda / (1 - lambda));
    }
    return out;
  };

  // Round 1 with u from every sampled pair; round 2 with u re-taken without the sampled pairs
  // round 1 calls confident matches (posterior ≥ 0.99). Where matches are about as rare as chance
  // agreement (λ ≈ 1e-4 while two random records share an exact name ~1e-4 of the time), a random
  // sample is not a sample of non-matches: counting its matches as non-matches puts u for the
  // agreeing levels several times too high.
  const u0 = uFrom(() => true);
  const r1 = fitM(u0);
  const p1 = fitPrior(r1.m, u0);
  const priorOdds1 = p1.lambda / (1 - p1.lambda);
  const keepForU = (p: Sampled) => { const o = priorOdds1 * likelihoodRatio(p.levels, r1.m, u0); return o / (1 + o) < 0.99; };
  const u = uFrom(keepForU);
  const { m, sessions } = fitM(u);
  const { expected, lambda } = fitPrior(m, u);
  const prior = Math.log2(Math.max(expected, 1) / Math.max(allPairs - expected, 1));
  const systemPriors = config.estimation.systemPriors ? fitSystemPriors(m, u, lambda) : undefined;
  // A suffix level's TF ratio is taken against the frequency its agreeing non-match pairs have on
  // average: the mean f(agreed value) over the sampled pairs kept for u that agree at that level.
  const tf = tfTables(config, records);
  const tfMeans = config.comparisons.map((c, ci) => c.levels.map((l, li) => {
    const table = scaledTf(l) ? tfTableKey(l) : null;
    if (table === null) return undefined;
    let sum = 0;
    let k = 0;
    for (const p of sampled) {
      if (p.levels[ci] !== li || !keepForU(p)) continue;
      for (const v of p.agreed[ci] ?? []) { const f = tf[table]?.get(v); if (f !== undefined) { sum += f; k++; } }
    }
    return k >= TF_MEAN_MIN_PAIRS ? sum / k : undefined;
  }));
  // Names in letters among named records: a random pair has one or both so with 1 − (1 − share)².
  const named = records.filter((r) => r.name !== null);
  const lettersShare = named.length === 0 ? 0 : named.filter((r) => inLetters(r.name!)).length / named.length;
  const refused: string[] = [];
  // m and u of the comparing levels are taken conditional on both values being present: how often
  // a field is missing differs by system, not by match status, and must not leak into weights.
  const present = (ps: number[], ci: number) => {
    const nulls = nullShare(ps, ci);
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
      const evidence = !isDisagreement(l.kind);
      const isRefused = evidence && uu >= mm;
      if (isRefused) refused.push(`${c.field}/${l.label}`);
      const mean = tfMeans[ci]![li];
      const scale = l.kind === 'letters' && lettersShare > 0 ? { tfScale: 1 - (1 - lettersShare) ** 2 } : {};
      return { label: l.label, m: mm, u: uu, weight: isRefused ? 0 : Math.log2(mm / uu), refused: isRefused, ...(mean === undefined ? {} : { tfMean: mean }), ...scale };
    }),
  }));
  const dependencies = fitDependencies(config, strangers, floor, (ci, li) => comparisons[ci]!.levels[li]!.refused);
  return { config, prior, ...(systemPriors === undefined ? {} : { systemPriors }), comparisons, ...(dependencies.length === 0 ? {} : { dependencies }), tf, refused, expectedMatches: expected, sessions };
}
