// Offline clustering: connected components over match edges, strongest first, refusing any union
// that would put two different valid ID numbers in one component. Without the constraint one
// weak edge through a record without an ID number could chain two people into one master.
import type { NormalisedRecord } from './normalise/index.ts';

export interface Edge { readonly i: number; readonly j: number; readonly weight: number }

export interface Clustering {
  /** Cluster id (the smallest member index) per record. */
  readonly clusterOf: Int32Array;
  readonly refusedEdges: number;
}

export function clusterRecords(records: readonly NormalisedRecord[], edges: readonly Edge[]): Clustering {
  const parent = Int32Array.from(records, (_r, i) => i);
  const ids = records.map((r) => (r.idNumber === null ? new Set<string>() : new Set([r.idNumber])));
  const find = (i: number): number => {
    let r = i;
    while (parent[r] !== r) r = parent[r]!;
    for (let k = i; parent[k] !== r;) { const next = parent[k]!; parent[k] = r; k = next; }
    return r;
  };
  let refused = 0;
  const ordered = [...edges].sort((a, b) => b.weight - a.weight || a.i - b.i || a.j - b.j);
  for (const e of ordered) {
    const a = find(e.i);
    const b = find(e.j);
    if (a === b) continue;
    const ia = ids[a]!;
    const ib = ids[b]!;
    if (ia.size > 0 && ib.size > 0 && ![...ib].every((x) => ia.has(x))) { refused++; continue; }
    const [root, child] = a < b ? [a, b] : [b, a];
    parent[child] = root;
    for (const x of ids[child]!) ids[root]!.add(x);
  }
  const clusterOf = Int32Array.from(records, (_r, i) => find(i));
  return { clusterOf, refusedEdges: refused };
}
