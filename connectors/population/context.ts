// What every system generator needs, and the truth they append to.
import type { Quarter } from './dates.ts';
import type { NoiseLedger } from './noise.ts';
import type { Coverage, NoiseKind, NoiseRates } from './noise-rates.ts';
import type { Org, Person, SystemId } from './types.ts';

export type RecordKind = 'member-row' | 'follower' | 'binding' | 'learner' | 'statement' | 'employee' | 'todo';

/** Which real person one source record belongs to. */
export interface TruthRecord {
  readonly system: SystemId;
  readonly kind: RecordKind;
  /** The record's id in its system: 记录ID, openid, binding id, learner id, statement id, OA id, flowid. */
  readonly id: string;
  /** A member (P…), a non-member (N…), or null for a shared account that is nobody (OA todos only). */
  readonly personId: string | null;
  /** Noise the record carries ([] for statements and todos, which copy their learner/receiver). */
  readonly noise: readonly NoiseKind[];
}

export interface GenContext {
  readonly seed: string;
  readonly asOf: number;
  readonly quarters: readonly Quarter[];
  readonly persons: readonly Person[];
  readonly orgByCode: ReadonlyMap<string, Org>;
  readonly rates: NoiseRates;
  readonly coverage: Coverage;
  readonly ledger: NoiseLedger;
  readonly truth: TruthRecord[];
  readonly progress: (phase: string, done: number, total: number) => void;
}

/**
 * Sorts in place by a string key computed once per item (ties keep input order). Exports are
 * ordered by something random-looking (a record id) or by time, never by person, so row order
 * leaks no truth.
 */
export function sortBy<T>(items: T[], key: (t: T) => string): void {
  const keyed = items.map((item, i) => ({ k: key(item), i, item }));
  keyed.sort((a, b) => (a.k < b.k ? -1 : a.k > b.k ? 1 : a.i - b.i));
  keyed.forEach((e, i) => {
    items[i] = e.item;
  });
}

export function orgOf(ctx: GenContext, code: string): Org {
  const org = ctx.orgByCode.get(code);
  if (!org) throw new Error(`unknown org ${code}`);
  return org;
}

