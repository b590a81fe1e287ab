// A minimal source connector over the synthetic population's member-system rows, for testing the
// ingest runner itself (publishing, dead letters, cursors, crash and resume). It is a stand-in
// for a source system, not for Kafka or PostgreSQL, which the tests always run for real.
// The real member-system connector lives in connectors/member-system.
import type { Connector, Cursor, ReadBatch, ReadItem } from '../../connectors/contract.ts';
import type { MemberSystemRow } from '../../connectors/population/system-types.ts';
import { eventId } from '../../schemas/events/event-id.ts';
import { RetriableError } from '../../schemas/errors.ts';

export interface PopulationSourceOptions {
  rows: readonly MemberSystemRow[];
  batchSize: number;
  /** Throw a retriable error when asked for this batch index (a source outage mid-run). */
  failAtBatch?: number;
}

function toItem(row: MemberSystemRow): ReadItem {
  const source = { system: 'member-system' as const, instance: 'test', recordId: row.记录ID };
  // Rows whose record id marks them are handed over as invalid source records; others whose
  // 出生日期 is unparseable become events that fail the catalog schema: both paths are exercised.
  if (row.姓名.trim() === '') return { kind: 'invalid', topic: 'member.observed', recordId: row.记录ID, rule: '姓名: required', reason: 'row has no 姓名', raw: row };
  const payload = { name: row.姓名, idNumber: row.公民身份证号码 || undefined, birthDate: row.出生日期 || undefined, orgName: row.所在党支部 || undefined, accounts: [], deleted: false };
  const now = new Date().toISOString();
  return { kind: 'event', topic: 'member.observed', event: { type: 'member.observed', version: 1, id: eventId('member.observed', source, payload), source, occurredAt: now, observedAt: now, payload } };
}

export function populationSource(o: PopulationSourceOptions): Connector & { batchesServed: number } {
  const self = {
    name: 'population-source',
    system: 'member-system' as const,
    instance: 'test',
    batchesServed: 0,
    check: () => Promise.resolve({ ok: true, message: 'in memory' }),
    discover: () => Promise.resolve([{ name: 'members', topics: ['member.observed' as const], description: 'member rows' }]),
    async *read(_stream: string, cursor: Cursor | null): AsyncIterable<ReadBatch> {
      let at = typeof cursor?.offset === 'number' ? cursor.offset : 0;
      while (at < o.rows.length) {
        if (o.failAtBatch !== undefined && Math.floor(at / o.batchSize) === o.failAtBatch) throw new RetriableError('source system answered 503');
        const rows = o.rows.slice(at, at + o.batchSize);
        at += rows.length;
        self.batchesServed++;
        await Promise.resolve(); // a real source awaits its server here
        yield { items: rows.map(toItem), cursor: { offset: at }, recordsRead: rows.length };
      }
    },
    importFile: () => Promise.reject(new Error('not used')),
  };
  return self;
}
