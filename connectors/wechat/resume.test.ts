// Stopping a read after k batches and starting again from the last cursor loses nothing and
// repeats nothing: the union of the pieces equals one full read, event id for event id.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Cursor } from '../contract.ts';
import { drain, eventsOf, population, startSimulator, type Running } from './testing.ts';

describe('wechat connector: resume from a cursor', () => {
  const pop = population(2500, 'resume');
  let r: Running;
  beforeAll(async () => {
    // Pages of 700 and batches of 300: cursors land mid-page and on page ends.
    r = await startSimulator({ population: pop, userGetPageSize: 700 });
  });
  afterAll(() => r.sim.close());

  for (const [stream, batchSize] of [['followers', 300], ['bindings', 100]] as const) {
    it(`${stream}: pieces of k batches add up to the full read`, async () => {
      const c = r.connector({ batchSize });
      const full = await drain(c, stream);
      const fullIds = eventsOf(full.items).map((e) => e.id);
      expect(full.batches.length).toBeGreaterThan(3);
      for (const k of [1, 2, 3]) {
        const ids: string[] = [];
        let read = 0;
        let cursor: Cursor | null = null;
        for (let runs = 0; runs < 100; runs++) {
          const piece = await drain(r.connector({ batchSize }), stream, cursor, k);
          ids.push(...eventsOf(piece.items).map((e) => e.id));
          read += piece.recordsRead;
          cursor = piece.lastCursor;
          if (piece.batches.length < k) break;
        }
        expect(ids).toEqual(fullIds);
        expect(read).toBe(full.recordsRead);
      }
      // From the final cursor there is nothing new to read.
      const after = await drain(c, stream, full.lastCursor);
      expect(after.recordsRead).toBe(0);
    });
  }

  it('a batch in flight when the run died is read again with the same event ids', async () => {
    const c = r.connector({ batchSize: 300 });
    const first = await drain(c, 'followers', null, 2);
    const beforeCrash = first.batches[0]?.cursor ?? null;
    const again = await drain(c, 'followers', beforeCrash, 1);
    expect(eventsOf(again.items).map((e) => e.id)).toEqual(eventsOf(first.batches[1]?.items ?? []).map((e) => e.id));
  });
});
