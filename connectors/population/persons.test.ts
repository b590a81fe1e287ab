import { describe, expect, it } from 'vitest';
import { birthDateOf, genderOf, isValidIdNumber, regionCodeOf } from '../../schemas/id-number.ts';
import { generatePopulation } from './index.ts';
import { generateOrgs } from './orgs.ts';
import { MOBILE_PREFIXES } from './tables/attributes.ts';
import { LOCAL_REGIONS, OTHER_REGIONS } from './tables/regions.ts';

// Another seed re-runs every assertion on another population: POPULATION_TEST_SEED=x vitest run …
const SEED = process.env.POPULATION_TEST_SEED ?? '';

const pop = generatePopulation({ persons: 6000, seed: `persons${SEED}` });
const asOf = pop.settings.asOf;
const regions = new Map([...LOCAL_REGIONS, ...OTHER_REGIONS].map((r) => [`${r.code}${r.name}`, r]));
const codes = new Set([...LOCAL_REGIONS, ...OTHER_REGIONS].map((r) => r.code));

function addYears(iso: string, years: number): string {
  return `${Number(iso.slice(0, 4)) + years}${iso.slice(4)}`;
}

describe('persons', () => {
  it('carry valid, unique 18-digit numbers consistent with birth date, gender and region', () => {
    const seen = new Set<string>();
    for (const p of pop.persons) {
      expect(isValidIdNumber(p.idNumber), p.idNumber).toBe(true);
      expect(birthDateOf(p.idNumber)).toBe(p.birthDate);
      expect(genderOf(p.idNumber)).toBe(p.gender);
      expect(regionCodeOf(p.idNumber)).toBe(p.regionCode);
      expect(codes.has(p.regionCode)).toBe(true);
      seen.add(p.idNumber);
    }
    expect(seen.size).toBe(pop.persons.length);
  });

  it('use retired region codes only on numbers issued before the code was retired', () => {
    const retired = [...regions.values()].filter((r) => r.retired < 9999);
    const retiredCodes = new Set(retired.map((r) => r.code));
    const stillUsed = new Set([...regions.values()].filter((r) => r.retired === 9999).map((r) => r.code));
    let old = 0;
    for (const p of pop.persons) {
      if (!retiredCodes.has(p.regionCode) || stillUsed.has(p.regionCode)) continue;
      old++;
      const last = Math.max(...retired.filter((r) => r.code === p.regionCode).map((r) => r.retired));
      expect(Number(p.birthDate.slice(0, 4)), `${p.regionCode} retired ${last}`).toBeLessThan(last);
    }
    expect(old).toBeGreaterThan(0);
  });

  it('are adults whose membership dates are consistent', () => {
    for (const p of pop.persons) {
      expect(p.birthDate <= addYears(asOf, -18)).toBe(true);
      expect(p.joinedAt >= addYears(p.birthDate, 18) || p.birthDate.endsWith('02-29')).toBe(true);
      expect(p.joinedAt <= asOf).toBe(true);
      if (p.category === '正式党员') {
        expect(p.fullMemberAt).not.toBeNull();
        expect(p.fullMemberAt).toBe(addYears(p.joinedAt, 1).replace(/-02-29$/u, '-02-28'));
        expect((p.fullMemberAt ?? '') <= asOf).toBe(true);
      } else {
        expect(p.fullMemberAt).toBeNull();
        expect(p.joinedAt > addYears(asOf, -1)).toBe(true);
      }
    }
    const probationary = pop.persons.filter((p) => p.category === '预备党员').length / pop.persons.length;
    expect(probationary).toBeGreaterThan(0.01);
    expect(probationary).toBeLessThan(0.06);
  });

  it('have mainland mobile numbers, unique across members and outsiders', () => {
    const all = [...pop.persons.flatMap((p) => p.phones), ...pop.outsiders.map((o) => o.phone)];
    for (const phone of all) {
      expect(phone).toMatch(/^1\d{10}$/u);
      expect(MOBILE_PREFIXES).toContain(phone.slice(0, 3));
    }
    expect(new Set(all).size).toBe(all.length);
  });

  it('look like a party membership: mostly 汉族, about 30 % women, common surnames on top', () => {
    const share = (f: (p: (typeof pop.persons)[number]) => boolean) => pop.persons.filter(f).length / pop.persons.length;
    expect(share((p) => p.ethnicity === '汉族')).toBeGreaterThan(0.88);
    expect(share((p) => p.gender === '女')).toBeGreaterThan(0.26);
    expect(share((p) => p.gender === '女')).toBeLessThan(0.34);
    const top5 = share((p) => ['王', '李', '张', '刘', '陈'].includes(p.surname));
    expect(top5).toBeGreaterThan(0.25);
    expect(top5).toBeLessThan(0.45);
    expect(pop.persons.some((p) => p.surname.length === 2)).toBe(true);
    expect(share((p) => p.name.length === 2)).toBeGreaterThan(0.1);
    expect(share((p) => p.name.length === 3)).toBeGreaterThan(0.5);
  });
});

describe('hard negatives', () => {
  it('different people share common names, often several times', () => {
    const byName = new Map<string, number>();
    for (const p of pop.persons) byName.set(p.name, (byName.get(p.name) ?? 0) + 1);
    const repeated = [...byName.values()].filter((n) => n > 1);
    expect(repeated.length).toBeGreaterThan(100);
    expect(Math.max(...byName.values())).toBeGreaterThanOrEqual(4);
    const outsiderNames = pop.outsiders.filter((o) => byName.has(o.name)).length;
    expect(outsiderNames).toBeGreaterThan(pop.outsiders.length * 0.01);
  });

  it('different people share name and birth date, and twins share surname, birth date and region', () => {
    const key = new Map<string, string[]>();
    for (const p of pop.persons) {
      const k = `${p.name}|${p.birthDate}`;
      key.set(k, [...(key.get(k) ?? []), p.idNumber]);
    }
    const clashes = [...key.values()].filter((ids) => ids.length > 1);
    expect(clashes.length).toBeGreaterThan(5);
    for (const ids of clashes) expect(new Set(ids).size).toBe(ids.length);
    const byId = new Map(pop.persons.map((p) => [p.id, p]));
    const twins = pop.persons.filter((p) => p.resembles?.how === 'twin');
    expect(twins.length).toBeGreaterThan(3);
    for (const t of twins) {
      const sibling = byId.get(t.resembles?.personId ?? '');
      expect(sibling?.surname).toBe(t.surname);
      expect(sibling?.birthDate).toBe(t.birthDate);
      expect(sibling?.regionCode).toBe(t.regionCode);
      expect(sibling?.name).not.toBe(t.name);
    }
  });
});

describe('org tree', () => {
  const byCode = new Map(pop.orgs.map((o) => [o.code, o]));

  it('has unique 12-digit codes and committee → (general branch) → branch parents', () => {
    expect(byCode.size).toBe(pop.orgs.length);
    for (const o of pop.orgs) {
      expect(o.code).toMatch(/^\d{12}$/u);
      const parent = o.parentCode === null ? null : byCode.get(o.parentCode);
      if (o.level === '党委') expect(parent).toBeNull();
      if (o.level === '党总支') expect(parent?.level).toBe('党委');
      if (o.level === '党支部') expect(['党委', '党总支']).toContain(parent?.level);
    }
    // Half the committees have general branches: with ~40 committees, some surely do.
    const big = generateOrgs(`org-tree${SEED}`, 30_000);
    const levels = new Set(big.orgs.map((o) => o.level));
    expect([...levels].sort()).toEqual(['党委', '党总支', '党支部'].sort());
    expect(big.branches.reduce((n, b) => n + b.size, 0)).toBe(30_000);
  });

  it('puts every member in a branch, and names branches differently per system', () => {
    for (const p of pop.persons) expect(byCode.get(p.orgCode)?.level).toBe('党支部');
    const branches = pop.orgs.filter((o) => o.level === '党支部');
    for (const b of branches) expect(new Set(Object.values(b.names)).size).toBeGreaterThanOrEqual(3);
    // Short names are ambiguous across the tree, as in real rosters.
    const aliases = new Map<string, number>();
    for (const b of branches) aliases.set(b.alias, (aliases.get(b.alias) ?? 0) + 1);
    expect(Math.max(...aliases.values())).toBeGreaterThan(3);
  });

  it('gives every branch one secretary', () => {
    const secretaries = new Map<string, number>();
    for (const p of pop.persons) if (p.role === '书记') secretaries.set(p.orgCode, (secretaries.get(p.orgCode) ?? 0) + 1);
    for (const b of pop.orgs.filter((o) => o.level === '党支部')) expect(secretaries.get(b.code)).toBe(1);
  });
});
