import { describe, expect, it } from 'vitest';
import { clusterRecords } from './cluster.ts';
import { overlaps } from './comparisons.ts';
import { normaliseObservation, normaliseOrg } from './normalise/index.ts';

describe('clustering', () => {
  const recs = ['甲', '乙', '丙', '丁'].map((name) => normaliseObservation({ name }));

  it('joins along match edges, strongest first', () => {
    const c = clusterRecords(recs, [{ i: 0, j: 1, weight: 5 }, { i: 1, j: 2, weight: 4 }]);
    expect([...c.clusterOf]).toEqual([0, 0, 0, 3]);
  });

  it('refuses a union that a member of either side contradicts (transitivity)', () => {
    // 0–1 and 1–2 are links, but 0 and 2 must not be one person: 2 may not join 0's cluster.
    const c = clusterRecords(recs, [{ i: 0, j: 1, weight: 5 }, { i: 1, j: 2, weight: 4 }], { contradicts: (i, j) => (i === 0 && j === 2) || (i === 2 && j === 0) });
    expect([...c.clusterOf]).toEqual([0, 0, 2, 3]);
    expect(c.contradicted).toBe(1);
  });

  it('never holds two different valid ID numbers', () => {
    const a = normaliseObservation({ name: '王伟', idNumber: '11010519491231002X' });
    const b = normaliseObservation({ name: '王伟' });
    const other = normaliseObservation({ name: '王伟', idNumber: '110105194912310038' });
    const c = clusterRecords([a, b, other], [{ i: 0, j: 1, weight: 5 }, { i: 1, j: 2, weight: 4 }]);
    expect(c.clusterOf[2]).not.toBe(c.clusterOf[0]);
  });
});

describe('department overlap', () => {
  it("matches a department's own name against the branch named after it", () => {
    const stem = (s: string) => normaliseOrg(s).stem!;
    expect(overlaps(stem('综合科'), stem('中共南昌市东湖区教育局综合第二支部委员会'), 2)).toBe(true);
    expect(overlaps(stem('离退休干部处'), stem('中共南昌市东湖区交通运输局离退休第二支部委员会'), 2)).toBe(true);
    expect(overlaps(stem('财务科'), stem('中共南昌市东湖区教育局综合第二支部委员会'), 2)).toBe(false);
  });
});
