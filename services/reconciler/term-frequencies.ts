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
import { namePartKeys, namePartsShare, splitChineseName } from './name-parts.ts';

/** Key of the term-frequency table a suffix level looks its agreed value up in. */
export function suffixTfKey(on: Attribute): string {
  return `${on}~suffix`;
}

/** Which records are one person when nothing better is known: a valid ID number, else an account. */
export function defaultEntity(r: NormalisedRecord): string {
  return r.idNumber ?? r.accounts[0] ?? r.ref;
}

const GOOD_TURING_MAX_COUNT = 5;
const GOOD_TURING_MIN_VALUES = 30;

/** An entity's distinct values of one attribute (one string for most people). */
class EntityValues {
  readonly #of = new Map<string, string | string[]>();

  /** The entity's values before `v`, or null when it already holds `v`. */
  add(entity: string, v: string): readonly string[] | null {
    const had = this.#of.get(entity);
    if (had === undefined) {
      this.#of.set(entity, v);
      return [];
    }
    if (typeof had === 'string') {
      if (had === v) return null;
      this.#of.set(entity, [had, v]);
      return [had];
    }
    if (had.includes(v)) return null;
    const before = [...had];
    had.push(v);
    return before;
  }

  get size(): number {
    return this.#of.size;
  }
}

interface ExactCounts { readonly on: Attribute; readonly parts: boolean; readonly seen: EntityValues; readonly counts: Map<string, number>; total: number; readonly surnames: Map<string, number>; readonly given: Map<string, number>; partsTotal: number }
interface SuffixCounts { readonly on: Attribute; readonly minLength: number; readonly seen: EntityValues; readonly bySuffix: Map<string, number>; readonly values: Set<string> }

export class TermFrequencies {
  readonly #exact: ExactCounts[] = [];
  readonly #suffix: SuffixCounts[] = [];

  constructor(config: ModelConfig) {
    for (const c of config.comparisons) {
      for (const l of c.levels) {
        if (l.kind === 'suffix' && l.tf === true && !this.#suffix.some((s) => s.on === l.on)) {
          this.#suffix.push({ on: l.on, minLength: l.minLength, seen: new EntityValues(), bySuffix: new Map(), values: new Set() });
        }
        if ((l.kind === 'exact' || l.kind === 'letters') && l.tf && !this.#exact.some((e) => e.on === l.on)) {
          this.#exact.push({ on: l.on, parts: l.kind === 'exact' && l.tfParts === 'chineseName', seen: new EntityValues(), counts: new Map(), total: 0, surnames: new Map(), given: new Map(), partsTotal: 0 });
        }
      }
    }
  }

  add(r: NormalisedRecord, entity: string): void {
    for (const e of this.#exact) {
      const v = r[e.on];
      if (v === null || e.seen.add(entity, v) === null) continue;
      e.counts.set(v, (e.counts.get(v) ?? 0) + 1);
      e.total++;
      const split = e.parts ? splitChineseName(v) : null;
      if (split === null) continue;
      e.surnames.set(split[0], (e.surnames.get(split[0]) ?? 0) + 1);
      e.given.set(split[1], (e.given.get(split[1]) ?? 0) + 1);
      e.partsTotal++;
    }
    for (const s of this.#suffix) {
      const v = r[s.on];
      if (v === null) continue;
      s.values.add(v);
      const before = s.seen.add(entity, v);
      if (before === null) continue;
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
      const total = Math.max(s.seen.size, 1);
      out[suffixTfKey(s.on)] = new Map([...s.values].map((v) => [v, (s.bySuffix.get(v) ?? 1) / total]));
    }
    for (const e of this.#exact) {
      // A Chinese name's frequency is also bounded below by its parts': surname and given name are
      // chosen (nearly) independently, so 胡伟 is about as common as f(胡)·f(伟) even when only two
      // people in the data hold it — counts alone would call it rare and every other 胡伟 a match.
      if (e.parts) {
        const share = (m: Map<string, number>) => new Map([...m].map(([k, n]) => [k, n / Math.max(e.partsTotal, 1)]));
        const [sk, gk] = namePartKeys(e.on);
        out[sk] = share(e.surnames);
        out[gk] = share(e.given);
      }
      const smoothed = goodTuring(e.counts);
      // The larger of the two estimates is used, so neither makes a name look rarer than the other.
      out[e.on] = new Map([...e.counts].map(([v, k]) => [v, Math.max(smoothed(k) / e.total, e.parts ? namePartsShare(out, e.on, v) ?? 0 : 0)]));
    }
    return out;
  }
}

/**
 * Good–Turing: a value held by k people is expected (k+1)·N(k+1)/N(k) times in another population
 * of the same size, not k times. For a name held by one person that is well below 1: most rare
 * names are rare everywhere, so k/N over-states how often a stranger shares one. Raw Good–Turing is
 * noisy where N(k) is small, so it is used only for small k while N(k) and N(k+1) hold enough
 * values, never raises a count, and keeps the order of counts (a commoner value never looks rarer).
 */
function goodTuring(counts: ReadonlyMap<string, number>): (k: number) => number {
  const byCount = new Map<number, number>();
  for (const k of counts.values()) byCount.set(k, (byCount.get(k) ?? 0) + 1);
  const adjusted = new Map<number, number>();
  let previous = 0;
  for (let k = 1; k < GOOD_TURING_MAX_COUNT; k++) {
    const nk = byCount.get(k) ?? 0;
    const next = byCount.get(k + 1) ?? 0;
    if (nk < GOOD_TURING_MIN_VALUES || next < GOOD_TURING_MIN_VALUES) break;
    previous = Math.max(previous, Math.min(k, ((k + 1) * next) / nk));
    adjusted.set(k, previous);
  }
  return (k) => adjusted.get(k) ?? k;
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
