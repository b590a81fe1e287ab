// Competing masters in the offline core: the stream divides a master's odds by those of every
// candidate master that cannot be the same person (competing.ts); the offline core scores record
// pairs before any cluster exists, so there each record's candidates are records. A match edge
// stays an edge only if it holds its threshold at both ends: a WeChat remark 陈辉飞 · 五支部 in the
// match band with two register rows of different valid ID numbers is at most one of them.
import { competeForRecord, type MasterEvidence } from './competing.ts';
import type { Edge } from './cluster.ts';
import type { Model } from './model.ts';
import type { NormalisedRecord } from './normalise/index.ts';

export interface ScoredPair { readonly i: number; readonly j: number; readonly weight: number }

/**
 * Splits `edges` (match band) into those that survive competition and those that do not (they
 * become review pairs); `possible` are the pairs in the review band, which compete but are no edges.
 */
export function competeEdges<E extends Edge>(model: Model, records: readonly NormalisedRecord[], edges: readonly E[], possible: readonly ScoredPair[]): { kept: E[]; lost: E[] } {
  const best = new Map<number, Map<string, MasterEvidence>>();
  const scored = new Map<number, Map<string, MasterEvidence>>();
  const add = (m: Map<number, Map<string, MasterEvidence>>, at: number, other: number, weight: number) => {
    let row = m.get(at);
    if (row === undefined) m.set(at, (row = new Map<string, MasterEvidence>()));
    row.set(String(other), { weight, via: String(other) });
  };
  for (const e of edges) {
    for (const [a, b] of [[e.i, e.j], [e.j, e.i]] as const) {
      add(best, a, b, e.weight);
      add(scored, a, b, e.weight);
    }
  }
  for (const p of possible) {
    add(scored, p.i, p.j, p.weight);
    add(scored, p.j, p.i, p.weight);
  }
  const beaten = new Set<string>();
  const normalisedOf = (key: string) => records[Number(key)]!;
  for (const [at, row] of best) {
    // Only a record with two or more scored candidates can see one compete with another.
    const others = scored.get(at)!;
    if (others.size < 2) continue;
    for (const l of competeForRecord(model, row, others, normalisedOf)) beaten.add(pairKey(at, Number(l.masterId)));
  }
  const kept: E[] = [];
  const lost: E[] = [];
  for (const e of edges) (beaten.has(pairKey(e.i, e.j)) ? lost : kept).push(e);
  return { kept, lost };
}

function pairKey(i: number, j: number): string {
  return i < j ? `${i}|${j}` : `${j}|${i}`;
}
