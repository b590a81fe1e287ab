// The org resolver on real PostgreSQL over a seeded population's org tree (the member system's
// 党组织 list as org.observed), judged by the generator's truth of which orgs each name can mean:
// a name several orgs share is never auto-resolved; what resolves, resolves right; a declared alias
// wins over everything; an ambiguous name becomes a suggestion, and a steward's acceptance makes
// it resolve next time.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cachedPopulation } from '../../../connectors/population/index.ts';
import { TO_TRADITIONAL } from '../../../connectors/population/tables/char-variants.ts';
import { loadDeclaredAliases } from '../../../services/orgs/declared-aliases.ts';
import { aliasKey } from '../../../services/orgs/org-key.ts';
import { MAX_CANDIDATES } from '../../../services/orgs/registry.ts';
import { findSuggestion, listSuggestions, loadSnapshot, upsertObservedOrg } from '../../../services/orgs/repository.ts';
import { resolveOrgNames } from '../../../services/orgs/resolve.ts';
import { decideSuggestion, observeOrgName, refreshSuggestions } from '../../../services/orgs/suggestions.ts';
import { createTestDatabase, type TestDatabase } from '../../support/isolation.ts';
import { nameTruth, orgEventsOf } from './fixtures.ts';

const pop = cachedPopulation(3000, `orgs-resolver${process.env.POPULATION_TEST_SEED ?? ''}`);
const truth = nameTruth(pop);
const ambiguous = [...truth.values()].filter((t) => t.codes.size > 1);
const unique = [...truth.values()].filter((t) => t.codes.size === 1);

const traditional = (s: string) => [...s].map((c) => TO_TRADITIONAL.get(c) ?? c).join('');
const fullWidth = (s: string) => s.replace(/[0-9]/gu, (d) => String.fromCharCode(d.charCodeAt(0) + 0xfee0));

describe('org resolver [postgres]', () => {
  let tdb: TestDatabase;
  beforeAll(async () => {
    tdb = await createTestDatabase();
    for (const e of orgEventsOf(pop)) await upsertObservedOrg(tdb.database.db, e);
  });
  afterAll(async () => {
    await tdb?.drop();
  });

  it('never auto-resolves a name several orgs share, and resolves every other name it resolves to the right org', async () => {
    expect(ambiguous.length).toBeGreaterThan(5);
    const got = await resolveOrgNames(tdb.database.db, [...truth.values()].map((t) => t.name));
    for (const t of ambiguous) expect(got.get(t.name), `${t.name} means ${[...t.codes].join(',')}`).toBeNull();
    let resolved = 0;
    for (const t of unique) {
      const r = got.get(t.name);
      if (r === null || r === undefined) continue;
      resolved++;
      expect(r.code, t.name).toBe([...t.codes][0]);
    }
    // Every org's own (member-system) name resolves, as observed — unless two orgs bear it (the
    // generator may give two general branches of one committee the same department).
    const own = pop.orgs.filter((o) => truth.get(aliasKey(o.names['member-system']))!.codes.size === 1);
    expect(own.length).toBeGreaterThan(pop.orgs.length * 0.9);
    for (const o of own) expect(got.get(o.names['member-system'])).toEqual({ code: o.code, via: 'observed' });
    expect(resolved).toBeGreaterThanOrEqual(own.length);
  });

  it('resolves traditional and full-width spellings as the plain ones', async () => {
    const plain = [...truth.values()].map((t) => t.name);
    const variants = plain.map((n) => fullWidth(traditional(n)));
    expect(variants.filter((v, i) => v !== plain[i]).length).toBeGreaterThan(10);
    const a = await resolveOrgNames(tdb.database.db, plain);
    const b = await resolveOrgNames(tdb.database.db, variants);
    plain.forEach((n, i) => expect(b.get(variants[i]!), `${variants[i]} vs ${n}`).toEqual(a.get(n)));
  });

  it('lets a declared alias win: over an observed name, and for a name no matching could decide', async () => {
    const [x, y] = pop.orgs.filter((o) => truth.get(aliasKey(o.names['member-system']))!.codes.size === 1);
    const shared = ambiguous[0]!;
    const pick = [...shared.codes].sort()[1]!;
    await loadDeclaredAliases(tdb.database.db, 'declared-test.csv', [
      { alias: x!.names['member-system'], code: y!.code, row: 2 },
      { alias: shared.name, code: pick, row: 3 },
    ]);
    try {
      const got = await resolveOrgNames(tdb.database.db, [x!.names['member-system'], shared.name, traditional(shared.name)]);
      expect(got.get(x!.names['member-system'])).toEqual({ code: y!.code, via: 'declared' });
      expect(got.get(shared.name)).toEqual({ code: pick, via: 'declared' });
      expect(got.get(traditional(shared.name))).toEqual({ code: pick, via: 'declared' });
    } finally {
      await loadDeclaredAliases(tdb.database.db, 'declared-test.csv', []);
    }
    expect((await resolveOrgNames(tdb.database.db, [x!.names['member-system']])).get(x!.names['member-system'])).toEqual({ code: x!.code, via: 'observed' });
  });

  it('turns an ambiguous name into a suggestion with up to 3 ranked candidates; an accepted one resolves next time', async () => {
    const db = tdb.database.db;
    const [a, b] = ambiguous.filter((t) => t.name !== ambiguous[0]!.name).slice(-2);
    for (const t of [a!, b!]) await observeOrgName(db, await loadSnapshot(db), t.name, 'wechat');
    const open = await listSuggestions(db, 'open', 100);
    for (const t of [a!, b!]) {
      const s = open.find((x) => x.alias === aliasKey(t.name));
      expect(s, t.name).toBeDefined();
      expect(s!.candidates.length).toBeGreaterThan(0);
      expect(s!.candidates.length).toBeLessThanOrEqual(MAX_CANDIDATES);
      const scores = s!.candidates.map((c) => c.score);
      expect(scores).toEqual([...scores].sort((p, q) => q - p));
      expect(new Set(s!.candidates.map((c) => c.code)).size).toBe(s!.candidates.length);
      // The best candidates are orgs the name really is used for.
      expect(t.codes.has(s!.candidates[0]!.code), `${t.name}: ${s!.candidates[0]!.code}`).toBe(true);
    }
    const code = [...a!.codes].sort()[0]!;
    expect((await resolveOrgNames(db, [a!.name])).get(a!.name)).toBeNull();
    await decideSuggestion(db, { name: a!.name, code, steward: 'test-steward' });
    expect((await resolveOrgNames(db, [a!.name])).get(a!.name)).toEqual({ code, via: 'steward' });
    await decideSuggestion(db, { name: b!.name, reject: true, steward: 'test-steward' });
    expect((await resolveOrgNames(db, [b!.name])).get(b!.name)).toBeNull();
    // Judging every seen name again keeps both decisions: neither reopens.
    await refreshSuggestions(db);
    const after = (await listSuggestions(db, 'open', 100)).map((s) => s.alias);
    expect(after).not.toContain(aliasKey(a!.name));
    expect(after).not.toContain(aliasKey(b!.name));
    expect((await findSuggestion(db, aliasKey(a!.name)))).toMatchObject({ status: 'accepted', decidedCode: code, decidedBy: 'test-steward' });
    expect((await findSuggestion(db, aliasKey(b!.name)))).toMatchObject({ status: 'rejected', decidedBy: 'test-steward' });
    await expect(decideSuggestion(db, { name: a!.name, code, steward: 'again' })).rejects.toThrow(/已处理/u);
  });
});
