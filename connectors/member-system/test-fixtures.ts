// Fixtures shared by this connector's tests: a seeded population, the same rows with legacy
// damage a real register holds (a lost name, impossible dates) chosen by hash, and helpers that
// drain a connector's batches.
import { createHash } from 'node:crypto';
import type { ReadBatch, ReadItem } from '../contract.ts';
import type { MemberObserved } from '../../schemas/events/index.ts';
import { cachedPopulation, type MemberSystemRow, type Population } from '../population/index.ts';

export const SEED = `member-system${process.env.POPULATION_TEST_SEED ?? ''}`;

export function population(persons: number): Population {
  return cachedPopulation(persons, SEED);
}

export type Damage = { column: '姓名' | '出生日期' | '入党日期'; value: string };

/** About 1 row in 25 damaged; which and how follows from a hash of the record id. */
export function damage(rows: readonly MemberSystemRow[]): { rows: MemberSystemRow[]; broken: Map<string, Damage> } {
  const broken = new Map<string, Damage>();
  const out = rows.map((r) => {
    const h = createHash('sha256').update(`${SEED}\u0000damage\u0000${r.记录ID}`).digest().readUInt32BE(0) % 75;
    const d: Damage | null = h === 0 ? { column: '姓名', value: ' ' } : h === 1 ? { column: '出生日期', value: `${r.出生日期.slice(0, 4)}-02-30` } : h === 2 ? { column: '入党日期', value: '不详' } : null;
    if (!d) return r;
    broken.set(r.记录ID, d);
    return { ...r, [d.column]: d.value };
  });
  return { rows: out, broken };
}

export async function drain(batches: AsyncIterable<ReadBatch>): Promise<{ batches: ReadBatch[]; items: ReadItem[] }> {
  const all: ReadBatch[] = [];
  for await (const b of batches) all.push(b);
  return { batches: all, items: all.flatMap((b) => b.items) };
}

export function events(items: readonly ReadItem[]): MemberObserved[] {
  return items.flatMap((i) => (i.kind === 'event' ? [i.event as MemberObserved] : []));
}

export function invalids(items: readonly ReadItem[]) {
  return items.flatMap((i) => (i.kind === 'invalid' ? [i] : []));
}
