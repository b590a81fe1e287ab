// The ingest runner on real Kafka + PostgreSQL: valid records arrive once, invalid ones are in
// the dead letters with their rule, and a run that fails mid-way resumes from its cursor with
// nothing lost and nothing duplicated.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generatePopulation } from '../../../connectors/population/index.ts';
import type { MemberSystemRow } from '../../../connectors/population/system-types.ts';
import { ALL_TOPICS } from '../../../schemas/topics.ts';
import { DLQ_HEADER } from '../../../services/bus/dead-letter.ts';
import { KafkaBus } from '../../../services/bus/kafka/kafka-bus.ts';
import { namespaced } from '../../../services/bus/namespaced.ts';
import type { EventBus } from '../../../services/bus/port.ts';
import { CursorRepository } from '../../../services/ingest/cursor-repository.ts';
import { SOURCE_HEADER } from '../../../services/ingest/publish-batch.ts';
import { RunRepository } from '../../../services/ingest/run-repository.ts';
import { cursorKey, syncStream, type RunDeps } from '../../../services/ingest/run-connector.ts';
import { consumeUntil, text } from '../../support/consume.ts';
import { createTestDatabase, kafkaBrokers, uniqueName, type TestDatabase } from '../../support/isolation.ts';
import { testLogger } from '../../support/logger.ts';
import { populationSource } from '../../support/population-source.ts';

const SEED = `runner-${Date.now() % 1000}`;

describe('ingest runner [kafka] [postgres]', () => {
  let tdb: TestDatabase;
  let bus: EventBus;
  let deps: RunDeps;
  let rows: MemberSystemRow[];
  let blankNames: Set<string>;
  let badDates: Set<string>;

  beforeAll(async () => {
    tdb = await createTestDatabase();
    bus = namespaced(new KafkaBus({ brokers: kafkaBrokers(), logger: testLogger }), `${uniqueName('ns')}.`);
    await bus.ensureTopics(ALL_TOPICS);
    deps = { bus, cursors: new CursorRepository(tdb.database.db), runs: new RunRepository(tdb.database.db), logger: testLogger };
    const pop = generatePopulation({ persons: 400, seed: SEED });
    // Damage some rows the way bad exports are damaged; which rows is drawn from the seed's own order.
    rows = pop.systems.memberSystem.rows.map((r, i) => (i % 23 === 5 ? { ...r, 姓名: '' } : i % 31 === 7 ? { ...r, 出生日期: '1968年13月' } : r));
    blankNames = new Set(rows.filter((r) => r.姓名 === '').map((r) => r.记录ID));
    badDates = new Set(rows.filter((r) => r.出生日期 === '1968年13月').map((r) => r.记录ID));
  });
  afterAll(async () => {
    await bus.close();
    await tdb.drop();
  });

  it('publishes valid records once, dead-letters invalid ones, and resumes after a failure from the cursor', async () => {
    expect(blankNames.size).toBeGreaterThan(0);
    expect(badDates.size).toBeGreaterThan(0);
    const failing = populationSource({ rows, batchSize: 50, failAtBatch: 3 });
    const first = await syncStream(deps, failing, 'members');
    expect(first.status).toBe('failed');
    expect(first.error).toMatch(/503/);
    expect(first.recordsRead).toBe(150);
    expect(await deps.cursors.get(cursorKey(failing), 'members')).toEqual({ offset: 150 });

    const healthy = populationSource({ rows, batchSize: 50 });
    const second = await syncStream(deps, healthy, 'members');
    expect(second.status).toBe('succeeded');
    expect(first.recordsRead + second.recordsRead).toBe(rows.length);
    expect(await deps.cursors.get(cursorKey(healthy), 'members')).toEqual({ offset: rows.length });

    const validCount = rows.length - blankNames.size - badDates.size;
    const events = await consumeUntil(bus, { groupId: uniqueName('g'), topics: ['member.observed'], fromBeginning: true }, (s) => s.length >= validCount);
    // Give a duplicate the chance to show up before counting.
    await new Promise((r) => setTimeout(r, 500));
    const ids = events.map((m) => (JSON.parse(text(m)) as { source: { recordId: string } }).source.recordId);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBe(validCount);
    for (const m of events) expect(m.key).toMatch(/^member-system\/test\//);

    const dead = await consumeUntil(bus, { groupId: uniqueName('g'), topics: ['member.observed.dlq'], fromBeginning: true }, (s) => s.length >= blankNames.size + badDates.size);
    expect(dead).toHaveLength(blankNames.size + badDates.size);
    for (const d of dead) {
      const recordId = d.headers[SOURCE_HEADER.recordId] ?? '';
      expect(d.headers[SOURCE_HEADER.system]).toBe('member-system');
      if (blankNames.has(recordId)) expect(d.headers[DLQ_HEADER.rule]).toBe('姓名: required');
      else {
        expect(badDates.has(recordId)).toBe(true);
        expect(d.headers[DLQ_HEADER.rule]).toMatch(/^payload\.birthDate: /);
      }
      expect((JSON.parse(text(d)) as { 记录ID?: string; source?: { recordId: string } }).记录ID ?? recordId).toBe(recordId);
    }
    const runs = await deps.runs.recent(healthy.name);
    expect(runs.map((r) => r.status).sort()).toEqual(['failed', 'succeeded']);
    expect(runs.reduce((n, r) => n + r.eventsEmitted, 0)).toBe(validCount);
    expect(runs.reduce((n, r) => n + r.deadLettered, 0)).toBe(blankNames.size + badDates.size);
  });
});
