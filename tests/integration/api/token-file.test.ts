// A token taken out of YIBIAO_API_TOKENS_FILE while the hub runs is refused by the API within the
// file's recheck interval (1 s), with no restart; the person whose token stays goes on acting.
// A token past its last day (`until`) is refused as expired, naming the day.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../schemas/config.ts';
import { buildApp, type App } from '../../../services/api/app.ts';
import { openHub, type Hub } from '../../../services/hub/hub.ts';
import { bearer, OTHER_STEWARD, READER, STEWARD } from '../../support/api-auth.ts';
import { createTestDatabase, type TestDatabase } from '../../support/isolation.ts';
import { testLogger } from '../../support/logger.ts';

describe('API token file edited while the hub runs [postgres]', () => {
  let tdb: TestDatabase;
  let hub: Hub;
  let app: App;
  const file = join(mkdtempSync(join(tmpdir(), 'yibiao-api-tokens-')), 'tokens');

  beforeAll(async () => {
    tdb = await createTestDatabase();
    writeFileSync(file, `${STEWARD.person}:${STEWARD.token}\n${READER.person}:reader:${READER.token}\n${OTHER_STEWARD.person}:${OTHER_STEWARD.token} until 2026-01-31\n`);
    hub = await openHub(loadConfig({ DATABASE_URL: tdb.url, YIBIAO_API_TOKENS_FILE: file, LOG_LEVEL: 'warn' }), testLogger);
    app = await buildApp(hub);
  });
  afterAll(async () => {
    await app?.close();
    await hub?.close();
    await tdb?.drop();
  });

  it('refuses a token after its last day, saying it expired and when', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/me', headers: bearer(OTHER_STEWARD) });
    expect(res.statusCode).toBe(401);
    expect(res.headers['www-authenticate']).toBe('Bearer realm="yibiao", error="invalid_token"');
    expect(res.json()).toEqual({ error: 'unauthorized', message: '令牌已于 2026-01-31（北京时间）到期，请向系统管理员申请新的令牌', issues: [{ field: 'authorization', rule: 'expired-token' }] });
  });

  it('refuses a revoked token within the recheck interval, without a restart', async () => {
    const me = async (who: { token: string }) => app.inject({ method: 'GET', url: '/api/me', headers: bearer(who) });
    expect((await me(STEWARD)).json()).toEqual({ person: STEWARD.person, role: 'steward' });
    writeFileSync(file, `${READER.person}:reader:${READER.token}\n`);
    await new Promise((r) => setTimeout(r, 1100));
    const revoked = await me(STEWARD);
    expect(revoked.statusCode).toBe(401);
    expect(revoked.json()).toMatchObject({ error: 'unauthorized', issues: [{ field: 'authorization', rule: 'unknown-token' }] });
    expect((await me(READER)).json()).toEqual({ person: READER.person, role: 'reader' });
  });
});
