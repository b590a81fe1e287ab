// Bearer tokens on the whole API, on a real PostgreSQL (the hub on its embedded log there): every
// route but health, readiness and metrics answers 401 without a token, with a token no one holds
// and with another scheme, before it looks at the input; a configured token acts as its person,
// in its role: a reader's token reads and gets 403 on every steward route, and a route that
// declares nothing needs a steward unless it only reads; a hub with no tokens configured answers
// only to the token it made for the run, which may do everything.
// (tests/integration/api/roles.test.ts has the roles on a reconciled population.)
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../schemas/config.ts';
import { buildApp, type App } from '../../../services/api/app.ts';
import type { ApiErrorBody } from '../../../services/api/plugins/errors.ts';
import { openHub, type Hub } from '../../../services/hub/hub.ts';
import { runDeps } from '../../../services/ingest/ingest.ts';
import { IngestScheduler } from '../../../services/ingest/scheduler.ts';
import { RepairScan } from '../../../services/reconciler/repair-schedule.ts';
import { API_TOKENS, bearer, OTHER_STEWARD, READER, STEWARD } from '../../support/api-auth.ts';
import { createTestDatabase, type TestDatabase } from '../../support/isolation.ts';
import { testLogger } from '../../support/logger.ts';

const M = 'M0000000000000000000A';

/** Every route that needs a token: the reads (masters hold ID numbers) and every action. */
const PROTECTED: ReadonlyArray<readonly ['GET' | 'POST', string]> = [
  ['GET', '/api/me'],
  ['GET', '/api/masters'],
  ['GET', `/api/masters/${M}`],
  ['GET', `/api/masters/${M}/explain`],
  ['GET', '/api/explain?a=oa/main/1&b=oa/main/2'],
  ['GET', '/api/review-items'],
  ['GET', '/api/orgs'],
  ['GET', '/api/orgs/suggestions'],
  ['GET', '/api/connectors'],
  ['GET', '/api/connectors/member-system/runs'],
  ['GET', '/api/reconciler/repair-scan'],
  ['POST', '/api/review-items/decision'],
  ['POST', `/api/masters/${M}/split`],
  ['POST', '/api/masters/merge'],
  ['POST', '/api/never-links/retract'],
  ['POST', '/api/orgs/suggestions/decision'],
  ['POST', '/api/connectors/member-system/sync'],
  ['POST', '/api/reconciler/repair-scan'],
];

/** The routes that act: a steward's (each declares config.role). */
const STEWARD_ROUTES = PROTECTED.filter(([method]) => method === 'POST');

describe('API authentication [postgres]', () => {
  let tdb: TestDatabase;
  let hub: Hub;
  let app: App;
  let scheduler: IngestScheduler;
  let repair: RepairScan;

  beforeAll(async () => {
    tdb = await createTestDatabase();
    hub = await openHub(loadConfig({ DATABASE_URL: tdb.url, YIBIAO_API_TOKENS: API_TOKENS, LOG_LEVEL: 'warn' }), testLogger);
    scheduler = new IngestScheduler(runDeps(hub, testLogger));
    repair = new RepairScan({ db: hub.database.db, bus: hub.bus, logger: testLogger, cron: null });
    app = await buildApp(hub, scheduler, repair);
    // Routes added later, as a plugin someone writes next would: what they get by default.
    app.get('/api/test/undeclared-read', () => ({ ok: true }));
    for (const method of ['POST', 'PUT', 'PATCH', 'DELETE'] as const) app.route({ method, url: '/api/test/undeclared-action', handler: () => ({ ok: true }) });
    app.post('/api/test/declared-reader', { config: { role: 'reader' } }, () => ({ ok: true }));
    app.get('/api/test/declared-steward', { config: { role: 'steward' } }, () => ({ ok: true }));
  });
  afterAll(async () => {
    await repair?.stop();
    await scheduler?.stop();
    await app?.close();
    await hub?.close();
    await tdb?.drop();
  });

  const refusal = (rule: string) => ({ error: 'unauthorized', issues: [{ field: 'authorization', rule }] });

  it.each(PROTECTED)('%s %s answers 401 without a token, naming the header to send', async (method, url) => {
    const res = await app.inject({ method, url, payload: method === 'POST' ? {} : undefined });
    expect(res.statusCode).toBe(401);
    expect(res.headers['www-authenticate']).toBe('Bearer realm="yibiao"');
    const body = res.json<ApiErrorBody>();
    expect(body).toMatchObject(refusal('bearer-token-required'));
    expect(body.message).toContain('Authorization: Bearer');
  });

  it.each(PROTECTED)('%s %s answers 401 for a token no one holds', async (method, url) => {
    const res = await app.inject({ method, url, headers: { authorization: 'Bearer not-anyones-token-at-all-0000' }, payload: method === 'POST' ? {} : undefined });
    expect(res.statusCode).toBe(401);
    expect(res.headers['www-authenticate']).toBe('Bearer realm="yibiao", error="invalid_token"');
    expect(res.json<ApiErrorBody>()).toMatchObject({ ...refusal('unknown-token'), message: '令牌无效或已停用，请向系统管理员确认' });
  });

  it.each([
    ['another scheme', `Basic ${Buffer.from(`${STEWARD.person}:${STEWARD.token}`).toString('base64')}`],
    ['the scheme alone', 'Bearer'],
    ['two tokens', `Bearer ${STEWARD.token} ${OTHER_STEWARD.token}`],
    ['a token with a character RFC 6750 does not allow', `Bearer ${STEWARD.token}!`],
    ['a blank header', '  '],
  ])('answers 401 for %s', async (_what, authorization) => {
    const res = await app.inject({ method: 'GET', url: '/api/masters', headers: { authorization } });
    expect(res.statusCode).toBe(401);
    expect(res.json<ApiErrorBody>().error).toBe('unauthorized');
    expect(res.json<ApiErrorBody>().message).toMatch(/\p{Script=Han}/u);
  });

  it('refuses a token one character off, and a configured token with a prefix of it', async () => {
    const off = `${STEWARD.token.slice(0, -1)}2`;
    expect((await app.inject({ method: 'GET', url: '/api/me', headers: { authorization: `Bearer ${off}` } })).statusCode).toBe(401);
    expect((await app.inject({ method: 'GET', url: '/api/me', headers: { authorization: `Bearer ${STEWARD.token}0` } })).statusCode).toBe(401);
  });

  it("acts as the token's person in its role, whichever of the configured tokens it is; the scheme is case-insensitive", async () => {
    expect((await app.inject({ method: 'GET', url: '/api/me', headers: bearer(STEWARD) })).json()).toEqual({ person: STEWARD.person, role: 'steward' });
    expect((await app.inject({ method: 'GET', url: '/api/me', headers: bearer(OTHER_STEWARD) })).json()).toEqual({ person: OTHER_STEWARD.person, role: 'steward' });
    expect((await app.inject({ method: 'GET', url: '/api/me', headers: bearer(READER) })).json()).toEqual({ person: READER.person, role: 'reader' });
    expect((await app.inject({ method: 'GET', url: '/api/me', headers: { authorization: `bearer ${STEWARD.token}` } })).statusCode).toBe(200);
  });

  it('checks the token before the input: a bad body from a caller without a token is still 401, with one it is 400', async () => {
    const bad = { masters: [], reason: '' };
    expect((await app.inject({ method: 'POST', url: '/api/masters/merge', payload: bad })).statusCode).toBe(401);
    const res = await app.inject({ method: 'POST', url: '/api/masters/merge', headers: bearer(), payload: bad });
    expect(res.statusCode).toBe(400);
    expect(res.json<ApiErrorBody>().error).toBe('invalid_input');
  });

  it('serves reads to a token holder, a reader as well as a steward', async () => {
    for (const url of ['/api/masters', '/api/review-items', '/api/orgs', '/api/orgs/suggestions', '/api/connectors', '/api/connectors/member-system/runs', '/api/reconciler/repair-scan']) {
      for (const who of [STEWARD, READER]) {
        const res = await app.inject({ method: 'GET', url, headers: bearer(who) });
        expect(res.statusCode, `${who.person} ${url}`).toBe(200);
      }
    }
    // An address that does not exist is not found, once the caller is known (and 401 before).
    expect((await app.inject({ method: 'GET', url: '/api/nothing-here' })).statusCode).toBe(401);
    expect((await app.inject({ method: 'GET', url: '/api/nothing-here', headers: bearer() })).statusCode).toBe(404);
    // Not found for a reader's POST too: no route there, so no role to lack.
    expect((await app.inject({ method: 'POST', url: '/api/nothing-here', headers: bearer(READER), payload: {} })).statusCode).toBe(404);
    expect((await app.inject({ method: 'POST', url: '/api/nothing-here', payload: {} })).statusCode).toBe(401);
  });

  it.each(STEWARD_ROUTES)("%s %s answers 403 to a reader's token, before it looks at the input", async (method, url) => {
    const res = await app.inject({ method, url, headers: bearer(READER), payload: {} });
    expect(res.statusCode).toBe(403);
    expect(res.headers['www-authenticate']).toBeUndefined();
    const body = res.json<ApiErrorBody>();
    expect(body).toEqual({ error: 'forbidden', message: body.message, issues: [{ field: 'authorization', rule: 'steward-role-required' }] });
    expect(body.message).toBe('当前令牌的角色是 reader（只读），此操作需要 steward（数据管理员）角色，请向系统管理员申请');
  });

  it.each(STEWARD_ROUTES)("%s %s lets a steward's token through to the input check", async (method, url) => {
    const res = await app.inject({ method, url, headers: bearer(OTHER_STEWARD), payload: {} });
    // An empty body is invalid (400), the test hub has no connectors (404) and no model to scan (409).
    expect(res.statusCode).toBe(url.endsWith('/sync') ? 404 : url.endsWith('/repair-scan') ? 409 : 400);
  });

  it('denies by default: a route that declares nothing needs a steward unless it only reads', async () => {
    const as = (who: { token: string }, method: 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string) => app.inject({ method, url, headers: bearer(who) });
    expect((await as(READER, 'GET', '/api/test/undeclared-read')).statusCode).toBe(200);
    expect((await as(READER, 'HEAD', '/api/test/undeclared-read')).statusCode).toBe(200);
    for (const method of ['POST', 'PUT', 'PATCH', 'DELETE'] as const) {
      expect((await as(READER, method, '/api/test/undeclared-action')).statusCode, method).toBe(403);
      expect((await as(STEWARD, method, '/api/test/undeclared-action')).statusCode, method).toBe(200);
    }
    // A declaration overrides the method, either way.
    expect((await as(READER, 'POST', '/api/test/declared-reader')).statusCode).toBe(200);
    expect((await as(READER, 'GET', '/api/test/declared-steward')).statusCode).toBe(403);
    expect((await as(STEWARD, 'GET', '/api/test/declared-steward')).statusCode).toBe(200);
  });

  it('keeps health, readiness and metrics open for load balancers and Prometheus, and ignores a bad token there', async () => {
    for (const url of ['/healthz', '/readyz', '/metrics']) {
      expect((await app.inject({ method: 'GET', url })).statusCode, url).toBe(200);
      expect((await app.inject({ method: 'GET', url, headers: { authorization: 'Bearer not-anyones-token-at-all-0000' } })).statusCode, url).toBe(200);
    }
  });

  it('makes no token of its own when tokens are configured', () => {
    expect(app.apiTokens.oneTime).toBeNull();
  });
});

describe('API authentication with no tokens configured [postgres]', () => {
  it('answers only to the token made for this run, which acts as 临时管理员', async () => {
    const tdb = await createTestDatabase();
    const hub = await openHub(loadConfig({ DATABASE_URL: tdb.url, LOG_LEVEL: 'warn' }), testLogger);
    const app = await buildApp(hub);
    try {
      const token = app.apiTokens.oneTime;
      expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/u);
      expect((await app.inject({ method: 'GET', url: '/api/masters' })).statusCode).toBe(401);
      expect((await app.inject({ method: 'GET', url: '/api/masters', headers: bearer(STEWARD) })).statusCode).toBe(401);
      const me = await app.inject({ method: 'GET', url: '/api/me', headers: { authorization: `Bearer ${token}` } });
      expect(me.json()).toEqual({ person: '临时管理员', role: 'steward' });
      // It may act: past the role check, to the input check.
      const act = await app.inject({ method: 'POST', url: '/api/masters/merge', headers: { authorization: `Bearer ${token}` }, payload: {} });
      expect(act.statusCode).toBe(400);
      expect(act.json<ApiErrorBody>().error).toBe('invalid_input');
      // Another build (another run) makes another token.
      const again = await buildApp(hub);
      try {
        expect(again.apiTokens.oneTime).not.toBe(token);
        expect((await again.inject({ method: 'GET', url: '/api/me', headers: { authorization: `Bearer ${token}` } })).statusCode).toBe(401);
      } finally {
        await again.close();
      }
    } finally {
      await app.close();
      await hub.close();
      await tdb.drop();
    }
  });
});
