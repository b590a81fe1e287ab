// A full live read of a seeded population (with a seeded share of broken records) checked
// against the truth: every record exactly once, valid ones as events, broken ones as InvalidRecords.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TruthRecord } from '../population/index.ts';
import type { ReadBatch, ReadItem } from '../contract.ts';
import type { XapiSimulator } from './simulator/index.ts';
import { connector, corrupted, drain, population, recordIdOf, startSimulator } from './test-fixtures.ts';

let sim: XapiSimulator;
let url: string;
let truth: readonly TruthRecord[];
let broken: Map<string, string>;

beforeAll(async () => {
  const base = population(3000);
  const c = corrupted(base, 0.02);
  broken = c.broken;
  truth = c.pop.truth.records.filter((r) => r.system === 'xapi');
  ({ sim, url } = await startSimulator({ population: c.pop }));
});
afterAll(() => sim.close());

function checkAgainstTruth(items: readonly ReadItem[], kind: 'statement' | 'learner') {
  const expected = truth.filter((r) => r.kind === kind).map((r) => r.id);
  expect(expected.length).toBeGreaterThan(1000);
  const counts = new Map<string, number>();
  for (const item of items) counts.set(recordIdOf(item), (counts.get(recordIdOf(item)) ?? 0) + 1);
  expect(counts.size).toBe(expected.length);
  let invalid = 0;
  for (const id of expected) expect(counts.get(id), id).toBe(1);
  for (const item of items) {
    const rule = broken.get(recordIdOf(item));
    if (rule === undefined) {
      expect(item.kind).toBe('event');
    } else {
      invalid++;
      expect(item.kind).toBe('invalid');
      if (item.kind === 'invalid') expect(item.rule.startsWith(rule)).toBe(true);
    }
  }
  expect(invalid).toBeGreaterThan(5);
}

describe('xapi connector: full read against the truth', () => {
  let statementBatches: ReadBatch[];

  it('reads every statement once, in batches of at most a page, ending without a continuation', async () => {
    const c = connector(url);
    expect(await c.check()).toMatchObject({ ok: true });
    expect((await c.discover()).map((s) => s.name)).toEqual(['statements', 'learners']);
    const { batches, items } = await drain(c.read('statements', null));
    statementBatches = batches;
    checkAgainstTruth(items, 'statement');
    expect(items.every((i) => i.topic === 'study.recorded')).toBe(true);
    for (const b of batches) {
      expect(b.items.length).toBeGreaterThan(0);
      expect(b.items.length).toBeLessThanOrEqual(500);
      expect(b.recordsRead).toBe(b.items.length);
    }
    expect(batches.at(-1)!.cursor.more).toBeNull();
  });

  it('reads nothing more from the final cursor, then exactly a newly stored statement', async () => {
    const c = connector(url);
    const last = statementBatches.at(-1)!.cursor;
    expect((await drain(c.read('statements', last))).items).toHaveLength(0);
    const template = sim.store.at(0);
    const res = await fetch(`${url}/xapi/statements`, {
      method: 'POST',
      headers: { 'X-Experience-API-Version': '1.0.3', 'Content-Type': 'application/json', Authorization: `Basic ${Buffer.from('lrs-key:lrs-secret').toString('base64')}` },
      body: JSON.stringify([{ actor: template.actor, verb: template.verb, object: template.object, result: template.result }]),
    });
    const [id] = (await res.json()) as string[];
    const { items } = await drain(c.read('statements', last));
    expect(items.map(recordIdOf)).toEqual([id]);
  });

  it('reads every learner once as member.observed', async () => {
    const { batches, items } = await drain(connector(url).read('learners', null));
    checkAgainstTruth(items, 'learner');
    expect(items.every((i) => i.topic === 'member.observed')).toBe(true);
    expect(batches.at(-1)!.cursor).toEqual({ page: 1, size: 500 });
  });

  it('refuses an unknown stream', () => {
    expect(() => connector(url).read('courses', null)).toThrow(/no stream "courses"/);
  });
});
