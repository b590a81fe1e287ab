// The org registry's consumer end to end on real Kafka and PostgreSQL: a seeded population's
// member observations (consumed first, so names arrive before their orgs) and the member
// system's 党组织 list as org.observed, plus poison messages. Every org lands in the registry,
// every org name seen is either resolved or an open suggestion, nothing several orgs share is
// auto-resolved, poison goes to the dead letters with its reason, and a second consumer
// re-reading everything (a redelivery of every event) changes nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { cachedPopulation } from '../../../connectors/population/index.ts';
import { loadConfig } from '../../../schemas/config.ts';
import { DLQ_HEADER } from '../../../services/bus/dead-letter.ts';
import { openHub, type Hub } from '../../../services/hub/hub.ts';
import { startOrgConsumer, type RunningOrgConsumer } from '../../../services/orgs/consumer.ts';
import { aliasKey } from '../../../services/orgs/org-key.ts';
import { listSuggestions } from '../../../services/orgs/repository.ts';
import { resolveOrgNames } from '../../../services/orgs/resolve.ts';
import { populationEvents } from '../../../services/reconciler/stream/population-events.ts';
import { rows } from '../../../services/reconciler/stream/sql.ts';
import { consumeUntil } from '../../support/consume.ts';
import { createTestDatabase, kafkaBrokers, uniqueName, type TestDatabase } from '../../support/isolation.ts';
import { testLogger } from '../../support/logger.ts';
import { publishWhenReady } from '../reconciler/publish-ready.ts';
import { messagesOf, nameTruth, orgEventsOf } from './fixtures.ts';

const PERSONS = 800;
const SEED = `orgs-consumer${process.env.POPULATION_TEST_SEED ?? ''}`;

async function count(hub: Hub, table: string): Promise<number> {
  return (await rows<{ n: number }>(hub.database.db, sql.raw(`select count(*)::int as n from ${table}`)))[0]!.n;
}

async function until(what: string, check: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function tables(hub: Hub) {
  const q = (s: string) => rows<unknown>(hub.database.db, sql.raw(s));
  return {
    orgs: await q('select code, name, kind, parent_code, event_id, updated_at from orgs order by code'),
    aliases: await q('select alias, code, origin, created_at from org_aliases order by alias, code, origin'),
    names: await q('select name, alias, systems from org_names_seen order by name'),
    suggestions: await q('select alias, name, systems, candidates, status, updated_at from org_suggestions order by alias'),
  };
}

describe('org registry consumer over Kafka [kafka] [postgres]', () => {
  const pop = cachedPopulation(PERSONS, SEED);
  const orgEvents = orgEventsOf(pop);
  const members = populationEvents(PERSONS, SEED).events;
  const names = new Set(members.flatMap((e) => (e.payload.orgName === undefined ? [] : [e.payload.orgName])));
  const truth = nameTruth(pop);
  let tdb: TestDatabase;
  let hub: Hub;
  let consumer: RunningOrgConsumer;

  let openBeforeOrgs = 0;

  beforeAll(async () => {
    tdb = await createTestDatabase();
    hub = await openHub(loadConfig({ KAFKA_BROKERS: kafkaBrokers().join(','), DATABASE_URL: tdb.url, YIBIAO_TOPIC_PREFIX: `${uniqueName('orgs')}.`, LOG_LEVEL: 'warn' }), testLogger);
    await publishWhenReady(hub.bus, 'member.observed', messagesOf(members));
    consumer = await startOrgConsumer({ db: hub.database.db, bus: hub.bus, logger: testLogger, groupId: uniqueName('orgs'), refreshDelayMs: 200, sessionTimeoutMs: 6_000 });
    // Names first, with an empty registry: each one is a question until its org arrives.
    await until('every name', async () => (await count(hub, 'org_names_seen')) === names.size);
    openBeforeOrgs = (await listSuggestions(hub.database.db, 'open', 100_000)).length;
    const bad = { ...orgEvents[0]!, payload: { ...orgEvents[0]!.payload, name: '' } };
    await publishWhenReady(hub.bus, 'org.observed', [
      ...messagesOf(orgEvents),
      { key: 'poison/not-json', value: '{"type":"org.observed",' },
      { key: 'poison/no-name', value: JSON.stringify(bad) },
    ]);
    await until('every org and the poison', async () => (await count(hub, 'orgs')) === orgEvents.length && consumer.stats.invalid >= 2);
    await consumer.settle();
  });
  afterAll(async () => {
    await consumer?.close();
    await hub?.close();
    await tdb?.drop();
  });

  it('registers every org of the member system under its code, with its name and parent', async () => {
    const stored = await rows<{ code: string; name: string; kind: string; parentCode: string | null }>(hub.database.db, sql`select code, name, kind, parent_code as "parentCode" from orgs order by code`);
    expect(stored).toEqual([...pop.orgs].sort((a, b) => (a.code < b.code ? -1 : 1)).map((o) => ({ code: o.code, name: o.names['member-system'], kind: o.level, parentCode: o.parentCode })));
  });

  it('leaves every name seen either resolved or an open suggestion, never auto-resolving one several orgs share', async () => {
    const all = [...names];
    const got = await resolveOrgNames(hub.database.db, all);
    const open = new Map((await listSuggestions(hub.database.db, 'open', 10_000)).map((s) => [s.alias, s]));
    let resolved = 0;
    for (const n of all) {
      const r = got.get(n);
      const s = open.get(aliasKey(n));
      // Exactly one of the two: a resolved name has no open question, an unresolved one has.
      expect(r === null ? s !== undefined : s === undefined, `${n}: ${JSON.stringify(r)} / ${s?.status}`).toBe(true);
      const t = truth.get(aliasKey(n));
      if (r === null || r === undefined) continue;
      resolved++;
      if (t) expect(t.codes.size === 1 && t.codes.has(r.code), `${n} → ${r.code}, truth ${[...t.codes].join(',')}`).toBe(true);
    }
    // The member system's own names all arrive in member rows and resolve (names arrived first).
    const memberSystemNames = new Set(members.filter((e) => e.source.system === 'member-system').flatMap((e) => (e.payload.orgName ? [e.payload.orgName] : [])));
    for (const n of memberSystemNames) expect(got.get(n)?.via, n).toBe('observed');
    expect(resolved).toBeGreaterThan(memberSystemNames.size);
    expect(open.size).toBeGreaterThan(0);
    // Before the orgs arrived every name was open; the registry change re-judged them all.
    expect(openBeforeOrgs).toBe(new Set(all.map(aliasKey)).size);
    expect(consumer.stats.refreshes).toBeGreaterThan(0);
  });

  it('dead-letters poison org.observed messages with the reason', async () => {
    const dlq = await consumeUntil(hub.bus, { groupId: uniqueName('dlq'), topics: ['org.observed.dlq'], fromBeginning: true }, (seen) => seen.length >= 2);
    const byKey = new Map(dlq.map((m) => [m.key, m.headers]));
    expect(byKey.get('poison/not-json')?.[DLQ_HEADER.rule]).toBe('value must be valid JSON');
    expect(byKey.get('poison/no-name')?.[DLQ_HEADER.rule]).toMatch(/^payload\.name: /u);
    expect(byKey.get('poison/no-name')?.[DLQ_HEADER.reason]).toMatch(/not a org\.observed event/u);
  });

  it('changes nothing when every event is delivered again', async () => {
    const before = await tables(hub);
    const again = await startOrgConsumer({ db: hub.database.db, bus: hub.bus, logger: testLogger, groupId: uniqueName('orgs-again'), refreshDelayMs: 200, sessionTimeoutMs: 6_000 });
    try {
      await until('the redelivery', () => Promise.resolve(again.stats.orgsUnchanged === orgEvents.length && again.stats.invalid >= 2 && again.stats.names === new Set(members.flatMap((e) => (e.payload.orgName ? [`${e.source.system}\u0000${e.payload.orgName}`] : []))).size));
      await again.settle();
    } finally {
      await again.close();
    }
    expect(again.stats.orgsChanged).toBe(0);
    expect(again.stats.refreshes).toBe(0);
    expect(await tables(hub)).toEqual(before);
  });
});
