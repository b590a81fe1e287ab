// Offline clustering: components over match edges, strongest first, refusing any union that would
// put two different valid ID numbers in one component — and, when the caller says how, any union
// that another member of either cluster contradicts. Without these checks one weak edge through a
// record without an ID number could chain two people into one master: a link is pairwise evidence,
// a cluster claims that every pair in it is the same person.
import type { NormalisedRecord } from './normalise/index.ts';

export interface Edge { readonly i: number; readonly j: number; readonly weight: number }

export interface Clustering {
  /** Cluster id (the smallest member index) per record. */
  readonly clusterOf: Int32Array;
  /** Unions refused: two different valid ID numbers, a contradicting member, or refusesUnion. */
  readonly refusedEdges: number;
  /** Of the refused unions, those refused because a member contradicted a member of the other side. */
  readonly contradicted?: number;
}

export interface ClusterOptions {
  /**
   * True when records i and j must not be in one cluster (e.g. their own pair scores below the
   * review threshold). Checked for every cross pair of two clusters about to be joined.
   */
  readonly contradicts?: (i: number, j: number) => boolean;
  /** Cross pairs checked per union at most (largest clusters only); default 2,500. */
  readonly maxChecks?: number;
  /**
   * True when the union the edge would make is refused as a whole (the members of each side given):
   * both sides hold a record of one system, and the edge is too weak for that (system-overlap.ts).
   */
  readonly refusesUnion?: (e: Edge, a: readonly number[], b: readonly number[]) => boolean;
}

export function clusterRecords(records: readonly NormalisedRecord[], edges: readonly Edge[], options: ClusterOptions = {}): Clustering {
  const parent = Int32Array.from(records, (_r, i) => i);
  // Numbers typed in 15 digits are left out: one typo in them still converts to a valid number (the
  // rules leave such a pair to the model, and the contradiction check still sees different people).
  const ids = records.map((r) => (r.idNumber === null || r.idLegacy ? new Set<string>() : new Set([r.idNumber])));
  const members: number[][] = records.map((_r, i) => [i]);
  const maxChecks = options.maxChecks ?? 2500;
  const find = (i: number): number => {
    let r = i;
    while (parent[r] !== r) r = parent[r]!;
    for (let k = i; parent[k] !== r;) { const next = parent[k]!; parent[k] = r; k = next; }
    return r;
  };
  const contradicted = (a: number, b: number): boolean => {
    const check = options.contradicts;
    if (check === undefined) return false;
    const ma = members[a]!;
    const mb = members[b]!;
    if (ma.length * mb.length > maxChecks) return false;
    for (const x of ma) for (const y of mb) if (check(x, y)) return true;
    return false;
  };
  let refused = 0;
  let contra = 0;
  const ordered = [...edges].sort((a, b) => b.weight - a.weight || a.i - b.i || a.j - b.j);
  for (const e of ordered) {
    const a = find(e.i);
    const b = find(e.j);
    if (a === b) continue;
    const ia = ids[a]!;
    const ib = ids[b]!;
    if (ia.size > 0 && ib.size > 0 && ![...ib].every((x) => ia.has(x))) { refused++; continue; }
    if (contradicted(a, b)) { refused++; contra++; continue; }
    if (options.refusesUnion?.(e, members[a]!, members[b]!) === true) { refused++; continue; }
    const [root, child] = a < b ? [a, b] : [b, a];
    parent[child] = root;
    for (const x of ids[child]!) ids[root]!.add(x);
    for (const x of members[child]!) members[root]!.push(x);
    members[child] = [];
  }
  const clusterOf = Int32Array.from(records, (_r, i) => find(i));
  return { clusterOf, refusedEdges: refused, contradicted: contra };
}
