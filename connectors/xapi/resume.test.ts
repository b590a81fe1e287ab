// Resume: a read stopped after k batches and restarted from the last cursor yields, together,
// exactly the full read, also when many statements share a stored time, when the saved `more`
// link has expired, and when the LRS is only consistent up to a point behind its newest data.
import { describe, expect, it } from 'vitest';
import type { Cursor, ReadItem } from '../contract.ts';
import type { Population } from '../population/index.ts';
import { coarseStored, connector, drain, eventIdOf, population, recordIdOf, startSimulator } from './test-fixtures.ts';

const base = population(3000);
// Stored times floored to the hour: most statements share theirs with others.
const ties = coarseStored(base, 3_600_000);

async function stopAfter(url: string, stream: string, k: number, pageSize: number): Promise<{ items: ReadItem[]; cursor: Cursor | null }> {
  const items: ReadItem[] = [];
  let cursor: Cursor | null = null;
  let n = 0;
  for await (const b of connector(url, { pageSize }).read(stream, null)) {
    items.push(...b.items);
    cursor = b.cursor;
    if (++n === k) break;
  }
  return { items, cursor };
}

async function resumeMatchesFull(pop: Population, stream: string, pageSize: number, forgetMore: boolean) {
  const { sim, url } = await startSimulator({ population: pop, maxLimit: 500 });
  try {
    const full = (await drain(connector(url, { pageSize }).read(stream, null))).items;
    expect(full.length).toBeGreaterThan(1000);
    for (const k of [1, 4, 13]) {
      const first = await stopAfter(url, stream, k, pageSize);
      const cursor = forgetMore && first.cursor ? { ...first.cursor, more: null } : first.cursor;
      const rest = (await drain(connector(url, { pageSize }).read(stream, cursor))).items;
      const union = [...first.items, ...rest];
      expect(union.map(recordIdOf)).toEqual(full.map(recordIdOf));
      expect(union.map(eventIdOf)).toEqual(full.map(eventIdOf));
    }
  } finally {
    await sim.close();
  }
}

describe('xapi connector: resume', () => {
  it('has many statements sharing a stored time in the fixture', () => {
    const stored = ties.systems.xapi.statements.map((s) => s.stored);
    expect(new Set(stored).size).toBeLessThan(stored.length * 0.9);
  });

  it('statements: resuming from the cursor with its more link loses and repeats nothing', () => resumeMatchesFull(ties, 'statements', 70, false));

  it('statements: resuming from since + ids at that stored time alone (expired more) loses and repeats nothing', () =>
    resumeMatchesFull(ties, 'statements', 70, true));

  it('learners: resuming from the page cursor loses and repeats nothing', () => resumeMatchesFull(base, 'learners', 100, false));

  it('falls back to since when the saved more link is refused', async () => {
    let now = Date.now();
    const { sim, url } = await startSimulator({ population: ties, clock: () => now, moreTtlMs: 1_000 });
    try {
      const full = (await drain(connector(url, { pageSize: 100 }).read('statements', null))).items.map(recordIdOf);
      const first = await stopAfter(url, 'statements', 3, 100);
      expect(first.cursor?.more).toMatch(/^\/xapi\/statements\?more=/);
      now += 5_000;
      const rest = (await drain(connector(url, { pageSize: 100 }).read('statements', first.cursor))).items;
      expect([...first.items, ...rest].map(recordIdOf)).toEqual(full);
    } finally {
      await sim.close();
    }
  });

  it('never moves the cursor past Consistent-Through, so statements that become visible late are still read', async () => {
    const statements = base.systems.xapi.statements;
    const lagMs = 5 * 86_400_000;
    let now = Date.parse(statements[Math.floor(statements.length * 0.6)]!.stored);
    const { sim, url } = await startSimulator({ population: base, clock: () => now, consistencyLagMs: lagMs });
    try {
      const consistentThrough = now - lagMs;
      const existing = statements.filter((s) => Date.parse(s.stored) <= now);
      const window = existing.filter((s) => Date.parse(s.stored) > consistentThrough);
      expect(window.length).toBeGreaterThan(20);
      const first = await drain(connector(url).read('statements', null));
      const cursor = first.batches.at(-1)!.cursor;
      expect(Date.parse(String(cursor.since))).toBeLessThanOrEqual(consistentThrough);
      expect(first.items.map(recordIdOf)).toEqual(existing.filter((s) => Date.parse(s.stored) <= consistentThrough).map((s) => s.id));
      now = Date.now();
      const rest = (await drain(connector(url).read('statements', cursor))).items;
      expect([...first.items, ...rest].map(recordIdOf)).toEqual(statements.map((s) => s.id));
    } finally {
      await sim.close();
    }
  });
});
