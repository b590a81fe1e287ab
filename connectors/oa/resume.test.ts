// A read stopped after k batches and restarted from the last yielded cursor loses nothing: the
// union equals a full read, and anything read twice carries the same event id.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { events, population, readAll, startSimulator, type Running } from './testing.ts';

const pop = population(3000);
let run: Running;
beforeAll(async () => {
  run = await startSimulator({ population: pop });
});
afterAll(() => run.sim.close());

describe.each([
  ['employees', 300],
  ['todos', 40],
] as const)('resuming %s', (stream, pageSize) => {
  it.each([1, 2, 5])('after %i batches gives the full read, nothing missing or changed', async (k) => {
    const c = run.connector({ pageSize });
    const full = events(await readAll(c.read(stream, null)));
    const head = await readAll(c.read(stream, null), k);
    expect(head.length).toBe(k);
    const cursor = head.at(-1)?.cursor ?? null;
    // The cursor survives the runner's JSON round trip through PostgreSQL.
    const tail = await readAll(c.read(stream, JSON.parse(JSON.stringify(cursor)) as typeof cursor));
    const union = [...events(head), ...events(tail)];
    const ids = new Map(full.map((e) => [e.source.recordId, e.id]));
    expect(new Set(union.map((e) => e.source.recordId))).toEqual(new Set(ids.keys()));
    for (const e of union) expect(e.id).toBe(ids.get(e.source.recordId));
    // Only the batch in flight may repeat; a clean stop repeats nothing.
    expect(union.length).toBe(full.length);
  });
});
