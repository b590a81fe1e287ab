// The org registry's API on real PostgreSQL (the hub on its embedded log there): the org list and
// tree, the suggestions, a steward's decision (recorded under the person whose token made it) —
// and the 400/404/409 answers, with the field and
// rule in Chinese. The hub's org registry starts with a declared alias file, as `yibiao start` does.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cachedPopulation } from '../../../connectors/population/index.ts';
import { loadConfig } from '../../../schemas/config.ts';
import { buildApp, type App } from '../../../services/api/app.ts';
import type { ApiErrorBody } from '../../../services/api/plugins/errors.ts';
import { openHub, type Hub } from '../../../services/hub/hub.ts';
import { startHubOrgs, type HubOrgs } from '../../../services/orgs/in-hub.ts';
import { aliasKey } from '../../../services/orgs/org-key.ts';
import { loadSnapshot, upsertObservedOrg } from '../../../services/orgs/repository.ts';
import { resolveOrgNames } from '../../../services/orgs/resolve.ts';
import { observeOrgName } from '../../../services/orgs/suggestions.ts';
import type { OrgNode } from '../../../services/orgs/tree.ts';
import { API_TOKENS, bearer, OTHER_STEWARD, STEWARD } from '../../support/api-auth.ts';
import { createTestDatabase, type TestDatabase } from '../../support/isolation.ts';
import { testLogger } from '../../support/logger.ts';
import { nameTruth, orgEventsOf } from './fixtures.ts';

type Err = ApiErrorBody;

const pop = cachedPopulation(1500, `orgs-api${process.env.POPULATION_TEST_SEED ?? ''}`);
const ambiguous = [...nameTruth(pop).values()].filter((t) => t.codes.size > 1);

describe('org registry API [postgres]', () => {
  let tdb: TestDatabase;
  let hub: Hub;
  let app: App;
  let orgs: HubOrgs;
  const declared = ambiguous[0]!;
  const declaredCode = [...declared.codes].sort()[0]!;

  beforeAll(async () => {
    tdb = await createTestDatabase();
    const dir = mkdtempSync(join(tmpdir(), 'yibiao-orgs-'));
    const file = join(dir, 'aliases.csv');
    writeFileSync(file, `alias,org_code\n"${declared.name}",${declaredCode}\n`);
    hub = await openHub(loadConfig({ DATABASE_URL: tdb.url, YIBIAO_ORG_ALIASES: file, LOG_LEVEL: 'warn', YIBIAO_API_TOKENS: API_TOKENS }), testLogger);
    orgs = startHubOrgs(hub);
    for (const e of orgEventsOf(pop)) await upsertObservedOrg(hub.database.db, e);
    // The hub loads the file in the background; names are observed once it has.
    for (let i = 0; !(await resolveOrgNames(hub.database.db, [declared.name])).get(declared.name); i++) {
      if (i > 100) throw new Error('the declared alias file was not loaded');
      await new Promise((r) => setTimeout(r, 100));
    }
    const snapshot = await loadSnapshot(hub.database.db);
    for (const t of ambiguous) await observeOrgName(hub.database.db, snapshot, t.name, 'xapi');
    app = await buildApp(hub);
  });
  afterAll(async () => {
    await app?.close();
    await orgs?.close();
    await hub?.close();
    await tdb?.drop();
  });

  const get = (url: string) => app.inject({ method: 'GET', url, headers: bearer() });
  const post = (body: unknown, as: { token: string } = STEWARD) => app.inject({ method: 'POST', url: '/api/orgs/suggestions/decision', headers: bearer(as), payload: body as object });

  it('resolves the declared alias file the hub started with', async () => {
    expect((await resolveOrgNames(hub.database.db, [declared.name])).get(declared.name)).toEqual({ code: declaredCode, via: 'declared' });
  });

  it('lists the orgs, or nests them as the tree with the committees at the roots', async () => {
    const list = await get('/api/orgs');
    expect(list.statusCode).toBe(200);
    expect(list.json<{ orgs: Array<{ code: string }> }>().orgs.map((o) => o.code).sort()).toEqual(pop.orgs.map((o) => o.code).sort());
    const tree = (await get('/api/orgs?view=tree')).json<{ tree: OrgNode[] }>();
    expect(tree.tree.map((n) => n.code).sort()).toEqual(pop.orgs.filter((o) => o.parentCode === null).map((o) => o.code).sort());
    const flat: Array<[string, string | null]> = [];
    const walk = (n: OrgNode, parent: string | null) => {
      flat.push([n.code, parent]);
      n.children.forEach((c) => walk(c, n.code));
    };
    tree.tree.forEach((n) => walk(n, null));
    expect(flat.sort()).toEqual(pop.orgs.map((o) => [o.code, o.parentCode] as [string, string | null]).sort());
  });

  it('answers 400 with the field and rule for a bad query', async () => {
    const r = await get('/api/orgs?view=graph');
    expect(r.statusCode).toBe(400);
    expect(r.json<Err>().issues).toEqual([{ field: 'view', rule: 'view 只能是 list 或 tree' }]);
    const s = await get('/api/orgs/suggestions?status=closed');
    expect(s.statusCode).toBe(400);
    expect(s.json<Err>().issues?.[0]).toEqual({ field: 'status', rule: 'status 只能是 open、accepted 或 rejected' });
  });

  it('lists the open suggestions: the ambiguous names, except the declared one', async () => {
    const r = await get('/api/orgs/suggestions?status=open');
    expect(r.statusCode).toBe(200);
    const aliases = new Set(r.json<{ suggestions: Array<{ alias: string }> }>().suggestions.map((s) => s.alias));
    for (const t of ambiguous.slice(1)) expect(aliases.has(aliasKey(t.name)), t.name).toBe(true);
    expect(aliases.has(aliasKey(declared.name))).toBe(false);
  });

  it.each([
    ['no body', undefined, '(body)'],
    ['neither code nor reject', { name: 'x' }, 'code'],
    ['both code and reject', { name: 'x', code: '360102010101', reject: true }, 'code'],
    ['a code outside the format', { name: 'x', code: '3601 0201' }, 'code'],
    ['a steward named in the body (the token names who acts)', { name: 'x', code: '360102010101', steward: '王某' }, 'steward'],
    ['an empty name', { name: ' ', code: '360102010101' }, 'name'],
  ])('answers 400 for a decision with %s, naming the field', async (_what, body, field) => {
    const r = await post(body);
    expect(r.statusCode).toBe(400);
    const issues = r.json<Err>().issues as Array<{ field: string; rule: string }>;
    expect(issues.map((i) => i.field)).toContain(field);
    for (const i of issues) expect(i.rule).toMatch(/\p{Script=Han}/u);
  });

  it('answers 404 for a name with no suggestion and for an org code not in the registry', async () => {
    const none = await post({ name: '不存在的支部名称', code: pop.orgs[0]!.code });
    expect(none.statusCode).toBe(404);
    expect(none.json<Err>().message).toContain('不存在的支部名称');
    const t = ambiguous[1]!;
    const unknown = await post({ name: t.name, code: '999999999999' });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json<Err>().issues?.[0]?.field).toBe('code');
    expect((await resolveOrgNames(hub.database.db, [t.name])).get(t.name)).toBeNull();
  });

  it("accepts a suggestion as a steward alias (resolving next time) under the token's person, refuses a second decision with 409, and rejects another", async () => {
    const [a, b] = ambiguous.slice(2, 4);
    const code = [...a!.codes].sort()[0]!;
    const ok = await post({ name: a!.name, code }, OTHER_STEWARD);
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ status: 'accepted', code });
    expect((await resolveOrgNames(hub.database.db, [a!.name])).get(a!.name)).toEqual({ code, via: 'steward' });
    const again = await post({ name: a!.name, reject: true });
    expect(again.statusCode).toBe(409);
    const rejected = await post({ name: b!.name, reject: true });
    expect(rejected.statusCode).toBe(200);
    expect(rejected.json<{ status: string }>().status).toBe('rejected');
    const listed = (await get('/api/orgs/suggestions?status=accepted')).json<{ suggestions: Array<{ alias: string; decidedBy: string }> }>().suggestions;
    expect(listed.map((s) => [s.alias, s.decidedBy])).toEqual([[aliasKey(a!.name), OTHER_STEWARD.person]]);
    const rejectedBy = (await get('/api/orgs/suggestions?status=rejected')).json<{ suggestions: Array<{ alias: string; decidedBy: string }> }>().suggestions;
    expect(rejectedBy.map((s) => [s.alias, s.decidedBy])).toEqual([[aliasKey(b!.name), STEWARD.person]]);
  });
});
