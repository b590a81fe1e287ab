// A second OA login under a name and department a member's first login already holds: the name and
// the department alone would join it to the member's register row, but a master with two OA logins
// claims a person with two, which the OA–OA prior prices (system-overlap.ts). Namesakes built from
// a seeded population: each member whose register row and OA login the core links gets a second
// login with that login's name and department, another account and no phone.
import { describe, expect, it } from 'vitest';
import { clusterRecords, type Edge } from './cluster.ts';
import { pairPrior } from './model.ts';
import { normaliseObservation, type NormalisedRecord } from './normalise/index.ts';
import { populationFixture } from './offline/fixtures.ts';
import { scorePair } from './score.ts';
import { decideInOrder } from './stream/decide-in-order.ts';
import { populationEvents } from './stream/population-events.ts';
import { recordKey } from './stream/record-key.ts';
import { refusedUnion, unionWeight } from './system-overlap.ts';

type Payload = Parameters<typeof normaliseObservation>[0];
const secondLogin = (p: Payload): Payload => ({ ...p, phone: undefined, accounts: (p.accounts ?? []).map((a) => ({ ...a, value: `${a.value}-2` })) });


describe('a union of two sides holding a record of one system', () => {
  const { input, result } = populationFixture(3000, 'model');
  const { model, records, clustering } = result;
  const match = model.config.thresholds.match;
  // Register row m and OA login o in one cluster, and the namesake n the name and department alone link to m.
  const cases: Array<{ m: NormalisedRecord; o: NormalisedRecord; n: NormalisedRecord; w: number }> = [];
  records.forEach((o, i) => {
    if (o.system !== 'oa') return;
    const k = records.findIndex((r, j) => r.system === 'member-system' && clustering.clusterOf[j] === clustering.clusterOf[i]);
    if (k < 0) return;
    const n = normaliseObservation(secondLogin(input[i]!.payload), `oa:namesake-${i}`);
    const s = scorePair(model, n, records[k]!);
    if (s.rule.decision === 'undecided' && s.band === 'match') cases.push({ m: records[k]!, o, n, w: s.weight });
  });

  it('weighs the link against the prior of two records of that system', () => {
    expect(cases.length).toBeGreaterThan(20);
    const shift = pairPrior(model, 'oa', 'oa') - pairPrior(model, 'oa', 'member-system');
    expect(shift).toBeLessThan(-3);
    for (const { m, o, n, w } of cases) {
      expect(unionWeight(model, w, n, m, [n], [m, o])).toBeCloseTo(w + shift, 9);
      // A side without an OA login: the link keeps its weight.
      expect(unionWeight(model, w, n, m, [n], [m])).toBe(w);
    }
  });

  it('keeps the two logins apart offline unless the weaker link outweighs the OA–OA prior', () => {
    let apart = 0;
    for (const { m, o, n, w } of cases) {
      const rs = [m, o, n];
      const mo = scorePair(model, m, o).weight;
      const edges: Edge[] = [{ i: 0, j: 1, weight: mo }, { i: 0, j: 2, weight: w }];
      const without = clusterRecords(rs, edges);
      const withOverlap = clusterRecords(rs, edges, { refusesUnion: refusedUnion(model, rs) });
      expect(new Set(without.clusterOf).size).toBe(1);
      // The stronger link joins first; the weaker one then joins a side that holds an OA login.
      const second = unionWeight(model, Math.min(w, mo), n, m, [n], [m, o]);
      const separate = withOverlap.clusterOf[1] !== withOverlap.clusterOf[2];
      expect(separate).toBe(second < match);
      if (separate) apart++;
    }
    expect(apart / cases.length).toBeGreaterThan(0.5);
  });

  it('sends the second login to review in the stream, and the member keeps one master', () => {
    const fx = populationEvents(2000, 'overlap');
    const keys = fx.events.map((e) => recordKey(e.source));
    const personOf = new Map(fx.truth.map((t) => [`${t.system}/default/${t.id}`, t.personId]));
    const first = decideInOrder(fx.events);
    // Members whose register row and OA login share a master: each gets a second login.
    const oa = fx.events.filter((e, i) => e.source.system === 'oa' && fx.events.some((f, j) => f.source.system === 'member-system' && personOf.get(keys[j]!) === personOf.get(keys[i]!) && first.decisions.masterOf(keys[j]!) === first.decisions.masterOf(keys[i]!)));
    expect(oa.length).toBeGreaterThan(100);
    const logins = oa.map((e) => ({ ...e, id: `${e.id}-2`, source: { ...e.source, recordId: `${e.source.recordId}-2` }, payload: { ...e.payload, phone: undefined, accounts: e.payload.accounts.map((a) => ({ ...a, value: `${a.value}-2` })) } }));
    const { model, items, decisions: d } = decideInOrder([...fx.events, ...logins]);
    const normalised = new Map(items.map((i) => [i.key, i.normalised]));
    const arrived = new Map(items.map((i, at) => [i.key, at]));
    let joined = 0;
    let joinedOnItsOwn = 0;
    let reviewed = 0;
    const inReview = new Set(d.review.flatMap((r) => [r.a, r.b]));
    for (const [i, e] of logins.entries()) {
      const key = recordKey(e.source);
      const firstKey = recordKey(oa[i]!.source);
      if (d.masterOf(key) !== d.masterOf(firstKey)) {
        if (inReview.has(key)) reviewed++;
        continue;
      }
      joined++;
      // Scored against the first login itself, the OA–OA prior is the pair's own: a match there
      // (the login's job title, unit and department on top of the name) is the model's to make.
      // A second login the partitions deliver before the first finds no OA login in the master yet.
      if (arrived.get(key)! < arrived.get(firstKey)!) continue;
      if (scorePair(model, normalised.get(key)!, normalised.get(firstKey)!).band !== 'match') joinedOnItsOwn++;
    }
    expect(reviewed / logins.length).toBeGreaterThan(0.5);
    expect(joined).toBeGreaterThan(0);
    expect(joinedOnItsOwn / logins.length).toBeLessThan(0.02);
  });
});
