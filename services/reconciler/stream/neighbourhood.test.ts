// The stream's repair of arrival-order decisions: a weak link taken early gives way when the
// person's own records, arriving later, tie its record to them more strongly (neighbourhood.ts).
import { describe, expect, it } from 'vitest';
import { scorePair } from '../score.ts';
import { decideBatch, type Decisions, type PreparedEvent } from './batch-decide.ts';
import { emptyBatch, type LoadedBatch, type MasterState } from './batch-state.ts';
import { arrivalScenario, testModel } from './neighbourhood.fixtures.ts';
import { clusterNeighbourhood } from './neighbourhood.ts';
import { prepareEvent } from './reconcile-batch.ts';

const empty = (items: readonly PreparedEvent[]): LoadedBatch => emptyBatch(items.flatMap((i) => i.blockingKeys));

/** What the load would read for `next` after `prev` was decided and written (all of it, for simplicity). */
function storedAfter(prev: LoadedBatch, d: Decisions, next: readonly PreparedEvent[], asserted: boolean): LoadedBatch {
  const state = empty(next);
  for (const [k, r] of prev.records) state.records.set(k, { ...r, masterId: d.masterOf(k), linked: null, inBatch: false, stored: true });
  for (const i of next) for (const key of i.blockingKeys) state.blocks.set(key, [...prev.records.values()].filter((r) => r.blockingKeys.includes(key)).map((r) => r.recordKey).sort());
  for (const [id, m] of prev.masters) {
    if (m.status !== 'active') continue;
    const members: MasterState['members'] = new Map();
    for (const k of m.batchMembers) {
      const r = prev.records.get(k)!;
      members.set(k, { score: r.linkScore, normalised: r.normalised, deleted: r.deleted, record: r.linked!, asserted });
    }
    state.masters.set(id, { ...m, storedRevision: m.revision, members, batchMembers: new Set(), created: false });
  }
  return state;
}

describe('arrival order', () => {
  const model = testModel();
  const [a, w, w2, b] = arrivalScenario();
  const items = [a, w, w2, b].map((e) => prepareEvent(e));
  const [ka, kw, kw2, kb] = items.map((i) => i.key) as [string, string, string, string];

  it('is what the scenario says: W weakly with A, W2 with W by rule, B strongly with W2 and never with A', () => {
    const s = (x: number, y: number) => scorePair(model, items[x]!.normalised, items[y]!.normalised);
    expect(s(0, 1).band).toBe('match');
    expect(s(0, 1).weight).toBeLessThan(10);
    expect(s(1, 2).rule.decision).toBe('match');
    expect(s(2, 3).weight).toBeGreaterThan(s(0, 1).weight);
    expect(s(0, 3).rule.decision).toBe('never');
  });

  it('takes the weak link back when the later, stronger evidence is refused by it', () => {
    const d = decideBatch(empty(items), model, items);
    expect(d.masterOf(kb)).toBe(d.masterOf(kw));
    expect(d.masterOf(kw2)).toBe(d.masterOf(kw));
    expect(d.masterOf(ka)).not.toBe(d.masterOf(kb));
    expect(d.counts.pulled).toBe(2);
    const moved = d.history.filter((h) => h.previousMasterId === d.masterOf(ka));
    expect(moved.map((h) => h.recordKey).sort()).toEqual([kw, kw2].sort());
  });

  it('gives the same masters as the order in which the offline core takes the links', () => {
    // B and W2 first: W then joins them, A stays apart — the repair reaches the same partition.
    const again = [b, w2, a, w].map((e) => prepareEvent(e));
    const d = decideBatch(empty(again), model, again);
    expect(d.masterOf(kb)).toBe(d.masterOf(kw));
    expect(d.masterOf(ka)).not.toBe(d.masterOf(kw));
  });

  it('keeps a steward never-link: the repair joins no records a steward keeps apart', () => {
    const c = clusterNeighbourhood(model, items.map((i) => ({ key: i.key, normalised: i.normalised })).reverse(), (x, y) => [x, y].includes(kb) && [x, y].includes(kw2));
    expect(c.cluster.has(kw2)).toBe(false);
    expect(c.cluster.has(kb)).toBe(true);
  });

  it('names the strongest pair of the record inside its cluster as the deciding link', () => {
    const nodes = [items[3]!, items[0]!, items[1]!, items[2]!].map((i) => ({ key: i.key, normalised: i.normalised }));
    const c = clusterNeighbourhood(model, nodes, () => false);
    expect([...c.cluster].sort()).toEqual([kb, kw, kw2].sort());
    expect(c.deciding?.via).toBe(kw2);
  });

  it('decides the same one event per batch, and moves no stored record a steward asserted', () => {
    const first = items.slice(0, 3);
    const s1 = empty(first);
    const d1 = decideBatch(s1, model, first);
    expect(d1.masterOf(kw)).toBe(d1.masterOf(ka));
    const last = items.slice(3);
    const d2 = decideBatch(storedAfter(s1, d1, last, false), model, last);
    expect(d2.counts.pulled).toBe(2);
    expect(d2.masterOf(kw)).toBe(d2.masterOf(kb));
    expect(d2.masterOf(ka)).not.toBe(d2.masterOf(kb));
    expect([...d2.moved].sort()).toEqual([kw, kw2].sort());
    // Stored links a steward asserted stay where the steward put them: nothing moves.
    const d3 = decideBatch(storedAfter(s1, d1, last, true), model, last);
    expect(d3.counts.pulled).toBe(0);
    expect(d3.masterOf(kw)).toBe(d3.masterOf(ka));
  });
});
