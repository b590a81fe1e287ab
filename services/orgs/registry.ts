// The org registry as one in-memory snapshot, and the resolution order over it: a declared alias
// (the configured file) wins, then a steward's decision, then a steward's rejection (never guess
// again), then an org's own name as observed, then matching — which resolves only when exactly
// one org matches confidently. Anything else is unresolved, with ranked candidates for a steward.
import { CandidateIndex, type Candidate } from './candidates.ts';
import { aliasKey, orgForm, splitKey } from './org-key.ts';

export type AliasOrigin = 'declared' | 'observed' | 'steward';
export type ResolvedVia = AliasOrigin | 'matched';

export interface RegisteredOrg {
  readonly code: string;
  readonly name: string;
  readonly kind: string | null;
  readonly parentCode: string | null;
}

export interface AliasRow {
  readonly alias: string;
  readonly code: string;
  readonly origin: AliasOrigin;
}

export interface Resolution {
  readonly code: string;
  readonly via: ResolvedVia;
}

export type Outcome =
  | { readonly kind: 'resolved'; readonly alias: string; readonly resolution: Resolution }
  | { readonly kind: 'unresolved'; readonly alias: string; readonly reason: 'ambiguous' | 'no-match' | 'rejected'; readonly candidates: readonly Candidate[] };

/** How many ranked candidates a suggestion offers. */
export const MAX_CANDIDATES = 3;

export class RegistrySnapshot {
  readonly orgs: ReadonlyMap<string, RegisteredOrg>;
  readonly #aliases = new Map<string, Record<AliasOrigin, Set<string>>>();
  readonly #rejected: ReadonlySet<string>;
  readonly #index: CandidateIndex;

  constructor(orgs: Iterable<RegisteredOrg>, aliases: Iterable<AliasRow>, rejected: Iterable<string> = []) {
    this.orgs = new Map([...orgs].map((o) => [o.code, o]));
    for (const a of aliases) {
      let entry = this.#aliases.get(a.alias);
      if (!entry) this.#aliases.set(a.alias, (entry = { declared: new Set(), observed: new Set(), steward: new Set() }));
      entry[a.origin].add(a.code);
    }
    this.#rejected = new Set(rejected);
    this.#index = new CandidateIndex([...this.orgs.values()].map((o) => ({ code: o.code, name: o.name, form: orgForm(o.name, o.kind), key: aliasKey(o.name) })));
  }

  resolve(name: string): Outcome {
    const alias = aliasKey(name);
    const known = this.#aliases.get(alias);
    for (const origin of ['declared', 'steward'] as const) {
      const codes = known?.[origin];
      if (codes?.size === 1) return { kind: 'resolved', alias, resolution: { code: [...codes][0]!, via: origin } };
    }
    const ranked = this.#index.rank(splitKey(alias));
    const candidates = ranked.slice(0, MAX_CANDIDATES);
    if (this.#rejected.has(alias)) return { kind: 'unresolved', alias, reason: 'rejected', candidates };
    const observed = known?.observed;
    if (observed?.size === 1) return { kind: 'resolved', alias, resolution: { code: [...observed][0]!, via: 'observed' } };
    const confident = ranked.filter((c) => c.confident);
    if (confident.length === 1 && (observed === undefined || observed.size === 0)) {
      return { kind: 'resolved', alias, resolution: { code: confident[0]!.code, via: 'matched' } };
    }
    return { kind: 'unresolved', alias, reason: confident.length > 1 || (observed?.size ?? 0) > 1 ? 'ambiguous' : 'no-match', candidates };
  }
}
