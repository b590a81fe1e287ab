// The starting point of the reconciler's scenario tests: a hub on a database and topic prefix of
// its own, with a seeded population's member observations published and drained into masters.
// Its API, when a test builds one, knows the test stewards (support/api-auth.ts).
// Registers its own beforeAll/afterAll; `ctx.hub` is set once they ran.
import { afterAll, beforeAll } from 'vitest';
import { loadConfig } from '../../../schemas/config.ts';
import type { MemberObserved } from '../../../schemas/events/member-observed.ts';
import { openHub, type Hub } from '../../../services/hub/hub.ts';
import { drainReconciler, MEMBER_TOPIC } from '../../../services/reconciler/stream/consumer.ts';
import { messagesOf } from '../../../services/reconciler/stream/population-events.ts';
import { API_TOKENS } from '../../support/api-auth.ts';
import { createTestDatabase, kafkaBrokers, uniqueName, type TestDatabase } from '../../support/isolation.ts';
import { testLogger } from '../../support/logger.ts';
import { publishWhenReady } from './publish-ready.ts';

export interface DrainedHub {
  hub: Hub;
  /** Where the hub lives, for a CLI run in the same test (it reads the environment). */
  databaseUrl: string;
  readonly topicPrefix: string;
  /** Drains member.observed again with the same consumer group (after a test publishes more). */
  drain(): ReturnType<typeof drainReconciler>;
}

export function useDrainedHub(events: readonly MemberObserved[], label: string): DrainedHub {
  let tdb: TestDatabase | undefined;
  const group = uniqueName('reconciler');
  const ctx: DrainedHub = {
    hub: undefined as unknown as Hub,
    databaseUrl: '',
    topicPrefix: `${uniqueName(label)}.`,
    drain: () => drainReconciler({ db: ctx.hub.database.db, bus: ctx.hub.bus, logger: testLogger, groupId: group }),
  };
  beforeAll(async () => {
    tdb = await createTestDatabase();
    ctx.databaseUrl = tdb.url;
    ctx.hub = await openHub(loadConfig({ KAFKA_BROKERS: kafkaBrokers().join(','), DATABASE_URL: tdb.url, YIBIAO_TOPIC_PREFIX: ctx.topicPrefix, LOG_LEVEL: 'warn', YIBIAO_API_TOKENS: API_TOKENS }), testLogger);
    await publishWhenReady(ctx.hub.bus, MEMBER_TOPIC, messagesOf(events));
    await ctx.drain();
  }, 240_000);
  afterAll(async () => {
    await (ctx.hub as Hub | undefined)?.close();
    await tdb?.drop();
  });
  return ctx;
}
