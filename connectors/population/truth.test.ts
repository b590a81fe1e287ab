import { describe, expect, it } from 'vitest';
import { parseIdNumber } from '../../schemas/id-number.ts';
import { generatePopulation, toSimplified, type NoiseKind, type Person } from './index.ts';

// Another seed re-runs every assertion on another population: POPULATION_TEST_SEED=x vitest run …
const SEED = process.env.POPULATION_TEST_SEED ?? '';

const pop = generatePopulation({ persons: 3000, seed: `truth${SEED}` });
const byId = new Map<string, Person>(pop.persons.map((p) => [p.id, p]));
const truthOf = new Map(pop.truth.records.map((r) => [`${r.system}/${r.kind}/${r.id}`, r]));

function sourceKeys(): string[] {
  const { memberSystem, wechat, xapi, oa } = pop.systems;
  return [
    ...memberSystem.rows.map((r) => `member-system/member-row/${r.记录ID}`),
    ...wechat.followers.map((f) => `wechat/follower/${f.openid}`),
    ...wechat.bindings.map((b) => `wechat/binding/${b.id}`),
    ...xapi.learners.map((l) => `xapi/learner/${l.id}`),
    ...xapi.statements.map((s) => `xapi/statement/${s.id}`),
    ...oa.employees.map((e) => `oa/employee/${e.id}`),
    ...oa.todos.map((t) => `oa/todo/${t.flowid}`),
  ];
}

/** Checks an ID number as a source holds it against the truth and the record's noise. */
function checkId(raw: string, person: Person, noise: readonly NoiseKind[]): void {
  const parsed = parseIdNumber(raw);
  if (noise.includes('idWrongDigit')) {
    expect(parsed.ok, `${raw} should fail validation`).toBe(false);
    return;
  }
  expect(parsed, `${raw} of ${person.id}`).toEqual({ ok: true, id: person.idNumber });
  const ascii = raw.normalize('NFKC');
  expect(ascii !== raw).toBe(noise.includes('fullWidth'));
  expect(ascii.length === 15).toBe(noise.includes('idLegacy15'));
  expect(ascii.endsWith('x')).toBe(noise.includes('idLowercaseX'));
}

describe('truth', () => {
  it('covers every source record exactly once', () => {
    const keys = sourceKeys();
    expect(new Set(keys).size).toBe(keys.length);
    expect(truthOf.size).toBe(pop.truth.records.length);
    expect([...truthOf.keys()].sort()).toEqual([...keys].sort());
    expect(pop.counts.records).toBe(keys.length);
  });

  it('points every record at a real member or outsider (or nobody, for shared OA accounts)', () => {
    const outsiders = new Set(pop.outsiders.map((o) => o.id));
    for (const r of pop.truth.records) {
      if (r.personId === null) expect(r.kind).toBe('todo');
      else expect(byId.has(r.personId) || outsiders.has(r.personId), r.personId).toBe(true);
    }
    // Every outsider shows up somewhere, and only in WeChat or the OA.
    const seen = new Set(pop.truth.records.filter((r) => r.personId?.startsWith('N')).map((r) => r.personId));
    expect(seen.size).toBe(outsiders.size);
    for (const r of pop.truth.records) if (r.personId?.startsWith('N')) expect(['wechat', 'oa']).toContain(r.system);
  });

  it('keeps a learner and their statements on one person, and a binding on its follower', () => {
    const learnerOfAccount = new Map(pop.systems.xapi.learners.map((l) => [JSON.stringify(l.actor), truthOf.get(`xapi/learner/${l.id}`)?.personId]));
    for (const s of pop.systems.xapi.statements) {
      expect(truthOf.get(`xapi/statement/${s.id}`)?.personId).toBe(learnerOfAccount.get(JSON.stringify(s.actor)));
    }
    for (const b of pop.systems.wechat.bindings) {
      expect(truthOf.get(`wechat/binding/${b.id}`)?.personId).toBe(truthOf.get(`wechat/follower/${b.openid}`)?.personId);
    }
  });

  it('holds valid ID numbers everywhere unless the record says it was corrupted', () => {
    let checked = 0;
    for (const row of pop.systems.memberSystem.rows) {
      const t = truthOf.get(`member-system/member-row/${row.记录ID}`);
      const p = byId.get(t?.personId ?? '');
      if (!t || !p) throw new Error('untracked row');
      checkId(row.公民身份证号码, p, t.noise);
      checked++;
    }
    for (const b of pop.systems.wechat.bindings) {
      if (b.idNumber === '') continue;
      const t = truthOf.get(`wechat/binding/${b.id}`);
      checkId(b.idNumber, byId.get(t?.personId ?? '') as Person, t?.noise ?? []);
      checked++;
    }
    for (const l of pop.systems.xapi.learners) {
      const login = l.actor.account.name.normalize('NFKC');
      if (login.length !== 15 && login.length !== 18) continue;
      const t = truthOf.get(`xapi/learner/${l.id}`);
      checkId(l.actor.account.name, byId.get(t?.personId ?? '') as Person, t?.noise ?? []);
      checked++;
    }
    expect(checked).toBeGreaterThan(pop.persons.length);
  });

  it('renders member-system rows from the truth, differing only where noise says', () => {
    for (const row of pop.systems.memberSystem.rows) {
      const t = truthOf.get(`member-system/member-row/${row.记录ID}`);
      const p = byId.get(t?.personId ?? '') as Person;
      const noise = t?.noise ?? [];
      const nameNoisy = noise.includes('traditional') || noise.includes('nameTypo');
      expect(row.姓名 === p.name).toBe(!nameNoisy);
      if (noise.includes('traditional') && !noise.includes('nameTypo')) expect(toSimplified(row.姓名)).toBe(p.name);
      expect(row.性别).toBe(p.gender);
      const phone = row.联系电话.normalize('NFKC');
      if (phone !== '') {
        const current = p.phones[p.phones.length - 1];
        expect(phone === current).toBe(!noise.includes('phoneStale'));
        expect(p.phones).toContain(phone);
      } else expect(noise).toContain('fieldMissing');
      const swapped = noise.includes('fieldSwap');
      expect(row.入党日期).toBe(swapped ? p.fullMemberAt : p.joinedAt);
      expect(row.转正日期).toBe(swapped ? p.joinedAt : (p.fullMemberAt ?? ''));
      expect(row.人员类别).toBe(p.category);
    }
  });

  it('names the branch by the member system’s own variant, the old branch only for transferred members', () => {
    const orgByName = new Map(pop.orgs.map((o) => [o.names['member-system'], o.code]));
    for (const row of pop.systems.memberSystem.rows) {
      const t = truthOf.get(`member-system/member-row/${row.记录ID}`);
      const p = byId.get(t?.personId ?? '') as Person;
      const code = orgByName.get(row.所在党支部);
      expect(code === p.orgCode || (code === p.previousOrgCode && t?.noise.includes('orgStale'))).toBe(true);
    }
  });

  it('puts some members in only some systems, and some twice in one system', () => {
    const systemsOf = new Map<string, Set<string>>();
    const perSystem = new Map<string, number>();
    for (const r of pop.truth.records) {
      if (!r.personId?.startsWith('P') || r.kind === 'statement' || r.kind === 'binding' || r.kind === 'todo') continue;
      let s = systemsOf.get(r.personId);
      if (!s) systemsOf.set(r.personId, (s = new Set()));
      s.add(r.system);
      const key = `${r.system}/${r.personId}`;
      perSystem.set(key, (perSystem.get(key) ?? 0) + 1);
    }
    const sizes = [...systemsOf.values()].map((s) => s.size);
    expect(sizes.filter((n) => n === 4).length).toBeGreaterThan(0);
    expect(sizes.filter((n) => n < 4).length).toBeGreaterThan(pop.persons.length / 4);
    expect([...perSystem.values()].filter((n) => n > 1).length).toBeGreaterThan(10);
  });
});
