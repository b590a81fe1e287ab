// The matching model as data: which comparisons, which levels, which thresholds, which blocking
// keys. Weights are NOT here: m and u are estimated from the data (estimate.ts). Changing this
// file changes behaviour without code, and its version goes on every link (lessons §4).
import { z } from 'zod';

/** Attributes of a NormalisedRecord that comparisons may read. */
export const ATTRIBUTES = [
  'name', 'pinyin', 'nameKey', 'idNumber', 'idDigits', 'birthDate', 'gender', 'phone', 'phoneTail', 'orgCore', 'orgStem', 'orgUnit',
] as const;
const attr = z.enum(ATTRIBUTES);
export type Attribute = z.infer<typeof attr>;

const level = z.discriminatedUnion('kind', [
  /** Nothing to compare: either side lacks all of `on`. Weight 0 by definition. */
  z.object({ kind: z.literal('null'), on: z.array(attr).min(1) }),
  z.object({
    kind: z.literal('exact'), on: attr, tf: z.boolean().default(false),
    /**
     * With tf: bound a value's frequency below by f(surname)·f(given name) of the record's Han
     * name — the name itself, or the name a key was made from (term-frequencies.ts).
     */
    tfParts: z.literal('chineseName').optional(),
    /**
     * The level does not hold when both records have this attribute: two different full phone
     * numbers that end alike are two numbers, not a tail agreeing (the tail is evidence only
     * where one side knows no more than it).
     */
    unlessBoth: attr.optional(),
  }),
  /**
   * One side's name is written in letters, not characters (an account directory's Wang Wei), and
   * the homophone keys agree — in either order of surname and given name where the letters do
   * not say which comes first (Wei Wang; normalise/name.ts keyAlt). Letters carry the sound only,
   * so such a pair is weighed on its own: it cannot show the exact name, and it is no typo.
   */
  z.object({ kind: z.literal('letters'), on: z.literal('nameKey'), tf: z.boolean().default(false) }),
  z.object({ kind: z.literal('jaroWinkler'), on: attr, min: z.number().gt(0).lte(1) }),
  /** Dates that differ in exactly one of year/month/day, or have month and day swapped. */
  z.object({ kind: z.literal('dateTypo'), on: attr }),
  z.object({ kind: z.literal('dateWithin'), on: attr, days: z.number().positive() }),
  /**
   * At least one side unchecked (failed validation, or an ID number typed in 15 digits) and one typo
   * apart: one position differs — on ID numbers also two adjacent characters swapped (see oneIdTypo).
   */
  z.object({ kind: z.literal('oneCharInvalid'), on: attr }),
  /**
   * Equally long and one keystroke apart: one position differs, or two adjacent positions are
   * swapped. For values no checksum guards (a phone number typed into a form still looks valid).
   */
  z.object({ kind: z.literal('oneTypo'), on: attr }),
  /** The shorter value (≥ minLength) ends the longer: a local name against a full one. */
  z.object({
    kind: z.literal('suffix'), on: attr, minLength: z.number().int().positive(), alsoOn: attr.optional(),
    /** Term-frequency adjust on the shorter (agreed) value: u becomes the share of people whose value ends with it. */
    tf: z.boolean().optional(),
  }),
  /**
   * A suffix of one value (≥ minLength) is a prefix of the other: a department's own name against
   * the branch named after it (综合科 / 离退休干部处 against …教育局综合第二支部 / …离退休第二支部).
   */
  z.object({ kind: z.literal('overlap'), on: attr, minLength: z.number().int().positive() }),
  /**
   * The host unit one side names apart (`on`: the OA's subcompanyname 东湖区审计局) occurs in the
   * other side's org name (`in`: …东湖区审计局办公室第三支部), or both name the same unit. With
   * `department`, the departments agree as well: the stems, the unit taken out, are equal, one
   * ends the other, or one's end starts the other (办公室 / 办公室; 综合科 / 综合).
   */
  z.object({
    kind: z.literal('unit'), on: attr, in: attr, minLength: z.number().int().positive(),
    department: z.object({ on: attr, minLength: z.number().int().positive() }).optional(),
  }),
  /**
   * Nothing earlier held and one side's value is of another kind than the other's: it does not
   * match `pattern` while the other does (an OA workplace department, 办公室, against a party
   * branch, …机关二支部). Such values disagree far more often for matches than two values of one
   * kind do, so they get their own m and u instead of the "else" that two differing branches get.
   */
  z.object({ kind: z.literal('otherKind'), on: attr, pattern: z.string() }),
  /**
   * Han names of one length whose given names agree and whose surnames do not: a typo in the
   * surname (刘福涵 / 雪福涵, 王宝 / 桂宝), or two people. Like "else" a disagreement level, its m
   * counted in pairs a rule decided (estimate.ts): data without such typos weigh it far below zero.
   */
  z.object({
    kind: z.literal('otherSurname'), on: attr,
    /** Term-frequency adjust on the given name the two share: 伟 is shared by strangers far more often than 福涵. */
    tf: z.boolean().optional(),
  }),
  /**
   * Han names of one length, one character apart (a typo, or a sibling: 王建国 / 王建军). A
   * disagreement level like "else", its m counted in pairs a rule decided: where a source mistypes
   * characters, this takes its typos out of "else", which then still says two people.
   */
  z.object({ kind: z.literal('oneCharApart'), on: attr }),
  /**
   * Names with nothing in common: no Han character of one in the other, and no syllable of one
   * that reads like a syllable of the other (`sound`: the toneless pinyin, fuzzy-folded). A typo
   * changes a character or two; two people (a spouse whose phone a register row gives) share
   * nothing. A disagreement level like "else" (the default config counts its m in pairs a rule
   * decided): where a source mistypes characters, the names two typos apart (魏涛 / 郑滔) fall in
   * "else", and this level still says two people.
   */
  z.object({ kind: z.literal('nothingShared'), on: attr, sound: attr }),
  z.object({ kind: z.literal('else') }),
]);
export type LevelSpec = z.infer<typeof level>;

/** Levels that say the values disagree: a weight below zero is what they are for, so u ≥ m is no reason to refuse them. */
export function isDisagreement(kind: LevelSpec['kind']): boolean {
  return kind === 'else' || kind === 'otherKind' || kind === 'otherSurname' || kind === 'oneCharApart' || kind === 'nothingShared';
}

const comparison = z.object({
  field: z.string(),
  levels: z.array(level.and(z.object({
    label: z.string(),
    /**
     * m counted in the pairs a rule decided are one person (a shared valid ID number or account)
     * instead of inferred by EM, where there are enough (estimate.ts): for disagreement levels that
     * a key's strangers crowd in EM. A household's phone brings two members of one branch into the
     * phone session, and EM, finding their names apart, calls them matches whose names disagree.
     */
    counted: z.boolean().optional(),
  }))).min(2)
    .refine((ls) => ls.at(-1)?.kind === 'else', 'the last level must be "else"')
    .refine((ls) => ls.every((l) => l.counted !== true || isDisagreement(l.kind)), 'only a disagreement level (else, otherKind, otherSurname, oneCharApart, nothingShared) can be counted'),
});
export type ComparisonSpec = z.infer<typeof comparison>;

/** A comparison's level, by field and label. */
const levelRef = z.object({ field: z.string(), level: z.string() });
export type LevelRef = z.infer<typeof levelRef>;

/**
 * Comparisons that are not independent among non-matches. Fellegi–Sunter multiplies the
 * comparisons' u as if chance agreement on one said nothing of another; strangers who share a
 * phone are a household, and a household's members share a branch (a register row giving a
 * spouse's number). Where `given` holds, `field`'s agreeing levels weigh no more than their u
 * among such strangers allows: u counted in the pairs at `given` whose `strangers` level says
 * they are two people (estimate-dependence.ts). The `given` level's own u is counted in them too.
 */
const dependency = z.object({
  field: z.string(),
  /** An exact level, so that the pairs at it share a value: the stream samples them by it. */
  given: levelRef,
  /** A disagreement level of a third comparison that two records of one person all but never show. */
  strangers: levelRef,
});
export type Dependency = z.infer<typeof dependency>;

/** Where a dependency names a field or level the comparisons lack, or one of the wrong kind: the reason. */
function dependencyIssue(comparisons: readonly ComparisonSpec[], d: Dependency): string | null {
  const find = (r: LevelRef) => comparisons.find((c) => c.field === r.field)?.levels.find((l) => l.label === r.level);
  if (!comparisons.some((c) => c.field === d.field)) return `no comparison "${d.field}"`;
  if (d.given.field === d.field || d.strangers.field === d.field || d.given.field === d.strangers.field) return 'field, given and strangers must be three different comparisons';
  const given = find(d.given);
  if (given === undefined) return `no level "${d.given.level}" in comparison "${d.given.field}"`;
  if (given.kind !== 'exact') return `given must be an exact level ("${d.given.field}/${d.given.level}" is ${given.kind})`;
  const strangers = find(d.strangers);
  if (strangers === undefined) return `no level "${d.strangers.level}" in comparison "${d.strangers.field}"`;
  if (!isDisagreement(strangers.kind)) return `strangers must be a disagreement level ("${d.strangers.field}/${d.strangers.level}" is ${strangers.kind})`;
  return null;
}

export const modelConfigSchema = z.object({
  version: z.string(),
  comparisons: z.array(comparison).min(1),
  dependencies: z.array(dependency).default([]),
  blocking: z.object({
    /** Over-full blocks are skipped for that key: the other keys still find true matches. */
    maxBlockSize: z.number().int().positive(),
    /**
     * The name-only key's bound (blocking.ts `n:`): a name alone points at one person only while
     * few records share it, and common names otherwise bring most of the candidates there are.
     * Absent (models stored before it existed): maxBlockSize.
     */
    maxNameOnlyBlockSize: z.number().int().positive().optional(),
  }),
  estimation: z.object({
    seed: z.number().int(),
    uSamplePairs: z.number().int().positive(),
    emIterations: z.number().int().positive(),
    /** Floor for estimated probabilities, so an unseen level never gets an infinite weight. */
    minProbability: z.number().positive(),
    /** Estimate a prior per pair of source systems (see estimate.ts), besides the global one. */
    systemPriors: z.boolean().default(true),
  }),
  /** Match weights in bits, prior included: weight w ⇔ probability 1/(1+2^-w); 3.17 ≈ 0.9, 0 = 0.5. */
  thresholds: z.object({ match: z.number(), possible: z.number() }).refine((t) => t.match >= t.possible),
}).superRefine((c, ctx) => {
  c.dependencies.forEach((d, i) => {
    const issue = dependencyIssue(c.comparisons, d);
    if (issue !== null) ctx.addIssue({ code: 'custom', path: ['dependencies', i], message: issue });
  });
});
export type ModelConfig = z.infer<typeof modelConfigSchema>;

export const DEFAULT_MODEL_CONFIG: ModelConfig = modelConfigSchema.parse({
  version: 'fs-12',
  comparisons: [
    { field: 'name', levels: [
      { label: 'null', kind: 'null', on: ['name'] },
      // Not made by our generator; directories and English-language forms hold names so (foreign-noise.ts).
      { label: 'in letters', kind: 'letters', on: 'nameKey', tf: true },
      { label: 'exact', kind: 'exact', on: 'name', tf: true, tfParts: 'chineseName' },
      { label: 'homophone', kind: 'exact', on: 'nameKey', tf: true, tfParts: 'chineseName' },
      { label: 'pinyin jw≥0.9', kind: 'jaroWinkler', on: 'pinyin', min: 0.9 },
      { label: 'chars jw≥0.8', kind: 'jaroWinkler', on: 'name', min: 0.8 },
      // Not made by our generator, whose typos are a pinyin IME's homophones (foreign-noise.ts nameCharTypo).
      // The name's disagreement levels say what matches look like in the pairs a rule decided
      // (`counted`); the other comparisons' are left to EM, which a household's strangers do not
      // crowd there. Counting those too calibrated the phone ('else' −3.2 bits, not −0.5) and cost
      // 0.017 of recall at 290k persons for 0.0001 of precision (docs/reconciler-model.md, "fs-8").
      { label: 'surname differs', kind: 'otherSurname', on: 'name', tf: true, counted: true },
      { label: 'one character apart', kind: 'oneCharApart', on: 'name', counted: true },
      { label: 'nothing in common', kind: 'nothingShared', on: 'name', sound: 'pinyin', counted: true },
      { label: 'else', kind: 'else', counted: true },
    ] },
    { field: 'idNumber', levels: [
      { label: 'null', kind: 'null', on: ['idDigits'] },
      { label: 'exact', kind: 'exact', on: 'idDigits' },
      { label: 'one typo', kind: 'oneCharInvalid', on: 'idDigits' },
      { label: 'else', kind: 'else' },
    ] },
    { field: 'birthDate', levels: [
      { label: 'null', kind: 'null', on: ['birthDate'] },
      { label: 'exact', kind: 'exact', on: 'birthDate' },
      { label: 'one part differs', kind: 'dateTypo', on: 'birthDate' },
      { label: 'within a year', kind: 'dateWithin', on: 'birthDate', days: 366 },
      { label: 'else', kind: 'else' },
    ] },
    { field: 'gender', levels: [
      { label: 'null', kind: 'null', on: ['gender'] },
      { label: 'exact', kind: 'exact', on: 'gender' },
      { label: 'else', kind: 'else' },
    ] },
    { field: 'phone', levels: [
      { label: 'null', kind: 'null', on: ['phone', 'phoneTail'] },
      { label: 'exact', kind: 'exact', on: 'phone' },
      // Not made by our generator; an independent data set's typed numbers have it (foreign-noise.ts).
      { label: 'one typo', kind: 'oneTypo', on: 'phone' },
      { label: 'last four', kind: 'exact', on: 'phoneTail', unlessBoth: 'phone' },
      { label: 'else', kind: 'else' },
    ] },
    { field: 'org', levels: [
      { label: 'null', kind: 'null', on: ['orgCore'] },
      // OA: a department (办公室) of a host unit (东湖区审计局) the other record's org name contains.
      { label: 'unit and department', kind: 'unit', on: 'orgUnit', in: 'orgCore', minLength: 3, department: { on: 'orgStem', minLength: 2 } },
      { label: 'same unit', kind: 'unit', on: 'orgUnit', in: 'orgCore', minLength: 3 },
      { label: 'exact', kind: 'exact', on: 'orgCore' },
      { label: 'local name', kind: 'suffix', on: 'orgCore', minLength: 3, alsoOn: 'orgStem', tf: true },
      { label: 'same department', kind: 'suffix', on: 'orgStem', minLength: 2 },
      { label: 'department word', kind: 'overlap', on: 'orgStem', minLength: 2 },
      // What members call their branch (一支部) names no department and repeats across the tree.
      { label: 'branch number only', kind: 'suffix', on: 'orgCore', minLength: 3, tf: true },
      { label: 'department vs branch', kind: 'otherKind', on: 'orgCore', pattern: '(支部|总支|党委|党组)$' },
      { label: 'else', kind: 'else' },
    ] },
  ],
  // Strangers who share a phone are a household, and share a branch (docs/reconciler-model.md, "fs-9").
  dependencies: [{ field: 'org', given: { field: 'phone', level: 'exact' }, strangers: { field: 'name', level: 'nothing in common' } }],
  blocking: { maxBlockSize: 200, maxNameOnlyBlockSize: 20 },
  estimation: { seed: 20240701, uSamplePairs: 400_000, emIterations: 40, minProbability: 1e-6 },
  // p ≥ 0.95 links; 0.1 ≤ p < 0.95 goes to review. Probabilities, not tuned per population; p ≥ 0.9
  // linked pairs the model rightly gave 5–10 % odds of being two people, which at 250k persons cost
  // pairwise precision 0.9983: see docs/reconciler-model.md, "Thresholds".
  thresholds: { match: 4.25, possible: -3.17 },
});
