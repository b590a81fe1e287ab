// The distributed hub on real Kafka + PostgreSQL: readiness reflects both, the catalog topics
// exist, and a dependency going away turns /readyz into 503 while /healthz stays 200.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../schemas/config.ts';
import { ALL_TOPICS } from '../../../schemas/topics.ts';
import { buildApp, type App } from '../../../services/api/app.ts';
import { openHub, type Hub } from '../../../services/hub/hub.ts';
import { createTestDatabase, kafkaBrokers, uniqueName, type TestDatabase } from '../../support/isolation.ts';
import { testLogger } from '../../support/logger.ts';

describe('hub on Kafka and PostgreSQL [kafka] [postgres]', () => {
  let tdb: TestDatabase;
  let hub: Hub;
  let app: App;
  beforeAll(async () => {
    tdb = await createTestDatabase();
    hub = await openHub(loadConfig({ KAFKA_BROKERS: kafkaBrokers().join(','), DATABASE_URL: tdb.url, YIBIAO_TOPIC_PREFIX: `${uniqueName('ready')}.` }), testLogger);
    app = await buildApp(hub);
  });
  afterAll(async () => {
    await app.close();
    await hub.close();
    await tdb.drop();
  });

  it('is ready when both answer, and says which it uses', async () => {
    const res = await app.inject({ method: 'GET', url: '/readyz' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'ready', checks: { database: { kind: 'postgres', ok: true }, bus: { kind: 'kafka', ok: true } } });
    const metrics = await app.inject({ method: 'GET', url: '/metrics' });
    expect(metrics.body).toMatch(/yibiao_dependency_up\{dependency="bus"\} 1/);
  });

  it('has created every catalog topic with at least its partitions', async () => {
    const present = new Map((await hub.bus.listTopics()).map((t) => [t.name, t.partitions]));
    for (const t of ALL_TOPICS) expect(present.get(t.name), t.name).toBeGreaterThanOrEqual(t.partitions);
  });

  it('answers 503 on /readyz when the broker does not answer, naming the bus', async () => {
    // A port nothing listens on: the broker is down.
    const h = await openHub(loadConfig({ KAFKA_BROKERS: '127.0.0.1:9', DATABASE_URL: tdb.url }), testLogger, { ensureTopics: false });
    const a = await buildApp(h);
    try {
      const res = await a.inject({ method: 'GET', url: '/readyz' });
      expect(res.statusCode).toBe(503);
      expect(res.json()).toMatchObject({ status: 'not ready', checks: { database: { ok: true }, bus: { kind: 'kafka', ok: false } } });
      expect((await a.inject({ method: 'GET', url: '/metrics' })).body).toMatch(/yibiao_dependency_up\{dependency="bus"\} 0/);
    } finally {
      await a.close();
      await h.close();
    }
  });

  it('answers 503 on /readyz once the database is gone, while /healthz stays 200', async () => {
    const other = await createTestDatabase();
    const h = await openHub(loadConfig({ KAFKA_BROKERS: kafkaBrokers().join(','), DATABASE_URL: other.url }), testLogger, { ensureTopics: false });
    const a = await buildApp(h);
    try {
      await other.drop(); // closes the hub's pool and drops the database under it
      const res = await a.inject({ method: 'GET', url: '/readyz' });
      expect(res.statusCode).toBe(503);
      expect(res.json()).toMatchObject({ status: 'not ready', checks: { database: { ok: false }, bus: { ok: true } } });
      expect((await a.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
    } finally {
      await a.close();
      await h.close();
    }
  });
});
