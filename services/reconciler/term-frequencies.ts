// Term frequencies for the TF levels (score.ts): how common each agreed value is among people.
// Counted incrementally, record by record, so the stream can count over its whole topic in the
// pass that draws the model sample (model-store.ts) without holding the records: what it keeps is
// each person's distinct values per attribute, not the records.
//
// Frequencies are of people, not records: records of one person count once, else someone present
// in every system would make their own name look common. The caller says which records are one
// person as far as it knows (`entity`: by default a valid ID number or account; offline, after a
// first clustering pass, the cluster).
import type { Attribute, ModelConfig } from './model-config.ts';
import type { NormalisedRecord } from './normalise/index.ts';
import { HeldValues, Numbering } from './held-values.ts';
import { nameExcessKey, namePartKeys, namePartsShare, splitChineseName } from './name-parts.ts';

/** Key of the term-frequency table a suffix level looks its agreed value up in. */
export function suffixTfKey(on: Attribute): string {
  return `${on}~suffix`;
}

/** Which records are one person when nothing better is known: a valid ID number, else an account. */
export function defaultEntity(r: NormalisedRecord): string {
  return r.idNumber ?? r.accounts[0] ?? r.ref;
}

interface ExactCounts {
  readonly on: Attribute; readonly parts: boolean;
  /** The attribute's values; the names' table shares the Han names' numbering. */
  readonly values: Numbering; readonly seen: HeldValues;
  /** By value number: the entities holding it. */
  readonly counts: number[]; total: number;
  readonly surnames: Map<string, number>; readonly given: Map<string, number>; partsTotal: number;
  /** A key's Han names (homophones), whose parts together bound the key's frequency. */
  readonly namesOf: HeldValues;
  /** The Han names of valid ID numbers, for collisionExcess: two ID numbers are two people. */
  readonly byId: HeldValues; readonly idNames: Map<string, number>; readonly idSurnames: Map<string, number>; readonly idGiven: Map<string, number>;
  /** By source system, by value number: how many entities without a valid ID number (accounts) hold it. */
  readonly accountsBySystem: Map<string, number[]>;
}
interface SuffixCounts { readonly on: Attribute; readonly minLength: number; readonly values: Numbering; readonly seen: HeldValues; readonly bySuffix: Map<string, number> }

export class TermFrequencies {
  readonly #exact: ExactCounts[] = [];
  readonly #suffix: SuffixCounts[] = [];

  readonly #floor: number;
  /** Entities (ID numbers, accounts, clusters) and Han names, numbered once for every table. */
  readonly #entities = new Numbering();
  readonly #names = new Numbering();

  constructor(config: ModelConfig) {
    this.#floor = config.estimation.minProbability;
    const levels = config.comparisons.flatMap((c) => c.levels);
    for (const l of levels) {
      if (l.kind === 'suffix' && l.tf === true && !this.#suffix.some((s) => s.on === l.on)) {
        this.#suffix.push({ on: l.on, minLength: l.minLength, values: new Numbering(), seen: new HeldValues(), bySuffix: new Map() });
      }
      if ((l.kind === 'exact' || l.kind === 'letters') && l.tf && !this.#exact.some((e) => e.on === l.on)) {
        // One table per attribute, whichever of its levels asks for the parts bound.
        const parts = levels.some((o) => o.kind === 'exact' && o.on === l.on && o.tf && o.tfParts === 'chineseName');
        this.#exact.push({ on: l.on, parts, values: l.on === 'name' ? this.#names : new Numbering(), seen: new HeldValues(), counts: [], total: 0, surnames: new Map(), given: new Map(), partsTotal: 0, namesOf: new HeldValues(), byId: new HeldValues(), accountsBySystem: new Map(), idNames: new Map(), idSurnames: new Map(), idGiven: new Map() });
      }
    }
    // The names' own table first: a key's bound reads its parts.
    this.#exact.sort((a, b) => Number(b.on === 'name') - Number(a.on === 'name'));
  }

  add(r: NormalisedRecord, entity: string): void {
    const who = this.#entities.id(entity);
    for (const e of this.#exact) {
      const v = r[e.on];
      if (v === null) continue;
      const value = e.values.id(v);
      // A key (homophones) is as common as the Han names it is made from together.
      if (e.parts && e.on !== 'name' && r.name !== null && splitChineseName(r.name) !== null) e.namesOf.add(value, this.#names.id(r.name));
      if (e.parts && e.on === 'name' && r.idNumber !== null) countIdName(e, this.#entities.id(r.idNumber), value, v);
      if (e.seen.add(who, value) === null) continue;
      e.counts[value] = (e.counts[value] ?? 0) + 1;
      if (e.parts && e.on === 'name' && r.idNumber === null && r.system !== null) {
        const counts = e.accountsBySystem.get(r.system) ?? e.accountsBySystem.set(r.system, []).get(r.system)!;
        while (counts.length <= value) counts.push(0); // packed, not holey: most values are few systems'
        counts[value]!++;
      }
      e.total++;
      if (!e.parts || e.on !== 'name') continue;
      const split = splitChineseName(v);
      if (split === null) continue;
      e.surnames.set(split[0], (e.surnames.get(split[0]) ?? 0) + 1);
      e.given.set(split[1], (e.given.get(split[1]) ?? 0) + 1);
      e.partsTotal++;
    }
    for (const s of this.#suffix) {
      const v = r[s.on];
      if (v === null) continue;
      const ids = s.seen.add(who, s.values.id(v));
      if (ids === null) continue;
      const before = ids.map((b) => s.values.key(b));
      // Each suffix once per person: one person's records name the branch several ways
      // (…自然资源局财务六支部, 财务六支部), and those share their endings.
      const chars = [...v];
      for (let len = s.minLength; len <= chars.length; len++) {
        const suffix = chars.slice(chars.length - len).join('');
        if (before.some((b) => b.endsWith(suffix))) continue;
        s.bySuffix.set(suffix, (s.bySuffix.get(suffix) ?? 0) + 1);
      }
    }
  }

  /** The tables a model scores with: value → its share of people. */
  tables(): Record<string, Map<string, number>> {
    const out: Record<string, Map<string, number>> = {};
    for (const s of this.#suffix) {
      // A local name agreeing as a suffix (财务六支部 ⊂ …自然资源局财务六支部) is worth as much as it
      // is rare: the share of people whose value ends with it (一支部 ends a great many).
      const total = Math.max(s.seen.holders, 1);
      out[suffixTfKey(s.on)] = new Map(s.values.keys().map((v) => [v, (s.bySuffix.get(v) ?? 1) / total]));
    }
    for (const e of this.#exact) {
      // A Chinese name's frequency is also bounded below by its parts': surname and given name are
      // chosen nearly independently, so 胡伟 is about as common as f(胡)·f(伟) even when only two
      // people in the data hold it — counts alone would call it rare and every other 胡伟 a match.
      // "Nearly": given names follow gender and generation, so full names coincide more often than
      // the product says: the bound is raised by that excess (collisionExcess).
      if (e.parts && e.on === 'name') {
        const share = (m: Map<string, number>) => new Map([...m].map(([k, n]) => [k, n / Math.max(e.partsTotal, 1)]));
        const [sk, gk] = namePartKeys(e.on);
        out[sk] = share(e.surnames);
        out[gk] = share(e.given);
        out[nameExcessKey(e.on)] = new Map([['', collisionExcess(e)]]);
      }
      const bound = (v: string) => {
        if (!e.parts) return 0;
        if (e.on === 'name') return namePartsShare(out, 'name', v) ?? 0;
        // Summed in one order whatever order the records came in, to the same last bit.
        return e.namesOf.of(e.values.id(v)).map((n) => this.#names.key(n)).sort().reduce((sum, name) => sum + (namePartsShare(out, 'name', name) ?? 0), 0);
      };
      // Leave the pair out: a pair agreeing on v is scored against how often people other than
      // its own two hold v, k − 2 of them (a pair the model scores is two entities: one ID number
      // or one account is a rule's match). Counting the pair in would make its very agreement the
      // evidence that v is common. With no one else holding v, the parts bound and the floor say
      // how common v is. The larger estimate is used, so none makes a value look rarer.
      const census = idCensus(e);
      out[e.on] = new Map(counted(e).map(([v, k]) => [v, Math.max(census?.(v) ?? Math.max(k - 2, 0) / e.total, this.#floor, bound(v))]));
    }
    return out;
  }
}

/** Each value an entity holds, with how many hold it. */
function counted(e: ExactCounts): Array<[string, number]> {
  const out: Array<[string, number]> = [];
  e.counts.forEach((k, value) => out.push([e.values.key(value), k]));
  return out;
}

function countIdName(e: ExactCounts, id: number, value: number, name: string): void {
  const split = splitChineseName(name);
  if (split === null || e.byId.add(id, value) === null) return;
  e.idNames.set(name, (e.idNames.get(name) ?? 0) + 1);
  e.idSurnames.set(split[0], (e.idSurnames.get(split[0]) ?? 0) + 1);
  e.idGiven.set(split[1], (e.idGiven.get(split[1]) ?? 0) + 1);
}

/**
 * How many times more often two people share a whole Han name than their surnames and given names
 * would by chance, at least 1: Σk(k−1) over names against the product of the same over surnames
 * and over given names. Counted over valid ID numbers: two ID numbers are two people (rules.ts),
 * while one person's other entities (a WeChat account, an OA login) hold the same name and would
 * count as a collision of two people — at 1,000 persons that made the excess 20 where the truth
 * says 1.2. Few ID numbers share a name in small data, so the count of such pairs is taken at an
 * upper bound (Poisson, about one standard deviation up: C + √C + 1), which leans towards names
 * being commoner by as much as the count is unsure and fades as it grows. Without ID numbers enough
 * for their surnames and given names to coincide, over all entities, which errs high too.
 */
function collisionExcess(e: ExactCounts): number {
  const shared = collisions(e.idNames.values()) / 2;
  const ids = excessOf({ names: 2 * (shared + Math.sqrt(shared) + 1), surnames: collisions(e.idSurnames.values()), given: collisions(e.idGiven.values()), total: e.byId.holders });
  if (ids !== null) return ids;
  const named = counted(e).filter(([v]) => splitChineseName(v) !== null).map(([, k]) => k);
  return excessOf({ names: collisions(named), surnames: collisions(e.surnames.values()), given: collisions(e.given.values()), total: e.partsTotal }) ?? 1;
}

/**
 * The share of accounts (entities without a valid ID number) whose name some ID number holds, from
 * which on the ID numbers are taken as a count of the people (idCensus). A register that holds
 * every member holds the names of most accounts (generated data: 0.71–0.75 from 300 to 10,000
 * persons, the rest non-members); one that holds half or a fifth of them, 0.32–0.36 and 0.13–0.14.
 */
export const MIN_ID_COVERAGE = 0.5;

/**
 * A Han name's share of people, for the names valid ID numbers hold; null unless the ID numbers
 * hold the names of most accounts (MIN_ID_COVERAGE). Entities over-count people: one person's
 * register row, OA login and WeChat account are three holders of one name, which the k − 2 above
 * only half makes up for, most where data are small (a holder weighs 1/N). Two valid ID numbers are
 * two people (rules.ts), so k of them holding v are k people, and a pair agreeing on v leaves
 * k − 1 others: its first record's person is one of the k, its second may be any other. (k − 2
 * over exact people leaves the second out as well and makes a name two people hold look held by
 * none: counted over the generator's true persons, that took precision from 0.99994 to 0.99908 at
 * 10,000 persons; k − 1 gave 1.00000.) People without an ID number (followers and staff who are no
 * members) hold names too, and the register never sees them; within one system, though, two
 * accounts are two people, so the most accounts of one system holding v is a count of people as
 * well, and the larger count is taken. A register that holds only part of the members misses the
 * other members' names altogether (10,000 persons, seed 5, half the register: precision 0.99968 →
 * 0.99937), hence the coverage it must show. A name no ID number holds keeps the entity count.
 */
function idCensus(e: ExactCounts): ((v: string) => number | undefined) | null {
  if (!e.parts || e.on !== 'name' || idCoverage(e) < MIN_ID_COVERAGE) return null;
  const ids = e.byId.holders;
  return (v) => {
    const k = e.idNames.get(v);
    if (k === undefined) return undefined;
    const value = e.values.id(v);
    let people = k;
    for (const counts of e.accountsBySystem.values()) people = Math.max(people, counts[value] ?? 0);
    return (people - 1) / ids;
  };
}

/**
 * Of the accounts holding a Han name, each counted once per name, the share whose name an ID number
 * holds; 1 where every named record carries a valid ID number (then those are all the people).
 */
function idCoverage(e: ExactCounts): number {
  let covered = 0;
  let all = 0;
  for (const counts of e.accountsBySystem.values()) {
    counts.forEach((n, value) => {
      all += n;
      if (e.idNames.has(e.values.key(value))) covered += n;
    });
  }
  return all === 0 ? 1 : covered / all;
}

/** Σk(k−1): ordered pairs of holders sharing a value. */
function collisions(counts: Iterable<number>): number {
  let c = 0;
  for (const k of counts) c += k * (k - 1);
  return c;
}

/**
 * The names' collision rate against the product of the parts', at least 1; each given as Σk(k−1).
 * Null where the parts show no collision to compare with (too few holders: a handful of ID numbers).
 */
function excessOf(c: { names: number; surnames: number; given: number; total: number }): number | null {
  const pairs = c.total * (c.total - 1);
  const chance = pairs > 0 ? (c.surnames / pairs) * (c.given / pairs) : 0;
  return chance > 0 ? Math.max(1, c.names / pairs / chance) : null;
}

/** The tables over a set of records at once; `entityOf` says which are one person. */
export function tfTables(
  config: ModelConfig, records: readonly NormalisedRecord[],
  entityOf: (i: number) => string = (i) => defaultEntity(records[i]!),
): Record<string, Map<string, number>> {
  const t = new TermFrequencies(config);
  records.forEach((r, i) => t.add(r, entityOf(i)));
  return t.tables();
}
