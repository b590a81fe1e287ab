// Matching rules on a generated org tree: every system's name for an org matches that org
// confidently (so the truth is always among the confident candidates), and a name never matches
// confidently an org of another level or ordinal.
import { describe, expect, it } from 'vitest';
import { cachedPopulation, SYSTEMS } from '../../connectors/population/index.ts';
import { lcs, scoreCandidate, type OrgEntry } from './candidates.ts';
import { aliasKey, orgForm, splitKey } from './org-key.ts';

const pop = cachedPopulation(4000, `orgs-candidates${process.env.POPULATION_TEST_SEED ?? ''}`);
const entries: OrgEntry[] = pop.orgs.map((o) => ({ code: o.code, name: o.names['member-system'], form: orgForm(o.names['member-system'], o.level), key: aliasKey(o.names['member-system']) }));

describe('org candidates', () => {
  it('lcs counts the longest common subsequence', () => {
    expect([lcs('交通局机关', '南昌市东湖区交通运输局机关'), lcs('', 'abc'), lcs('abc', 'abc'), lcs('abc', 'cba')]).toEqual([5, 0, 3, 1]);
  });

  it('matches every system name of an org to that org confidently', () => {
    for (const [i, o] of pop.orgs.entries()) {
      for (const s of SYSTEMS) {
        const c = scoreCandidate(splitKey(aliasKey(o.names[s])), entries[i]!);
        expect(c?.confident, `${s} ${o.names[s]} → ${o.names['member-system']}`).toBe(true);
      }
    }
  });

  it('never matches confidently across levels or ordinals', () => {
    const sample = pop.orgs.filter((_, i) => i % 7 === 0);
    let compared = 0;
    for (const o of sample) {
      const q = splitKey(aliasKey(o.names.wechat));
      for (const e of entries) {
        if (e.form.designator === q.designator) continue;
        compared++;
        expect(scoreCandidate(q, e)?.confident ?? false, `${o.names.wechat} vs ${e.name}`).toBe(false);
      }
    }
    expect(compared).toBeGreaterThan(1000);
  });
});
