// Fixtures for tests and measurements: a seeded population's member observations as canonical
// member.observed events, mapped by the core's offline adapters (the same field mapping the
// connectors do), with the truth person of each. Events the schema refuses are left out, as a connector dead-letters them.
import { createHash } from 'node:crypto';
import { generatePopulation, type PopulationOptions } from '../../../connectors/population/index.ts';
import { eventId } from '../../../schemas/events/event-id.ts';
import { memberObserved, type MemberObserved } from '../../../schemas/events/member-observed.ts';
import type { OutgoingMessage } from '../../bus/port.ts';
import { observationsOf } from '../offline/adapters.ts';
import type { TruthRecord } from './read-model.ts';
import { recordKey } from './record-key.ts';

export interface PopulationEvents {
  readonly events: MemberObserved[];
  readonly truth: TruthRecord[];
  /** Record key → its person's true birth date; only when asked for (`withBirthDates`). */
  readonly birthDates?: ReadonlyMap<string, string>;
}

const OBSERVED_AT = '2025-06-30T08:00:00.000Z';

/** `options`: the generator's knobs beyond size and seed (noise scale, hard negatives …), for stress evaluations. */
export function populationEvents(persons: number, seed: string, options: Omit<PopulationOptions, 'persons' | 'seed'> & { withBirthDates?: boolean } = {}): PopulationEvents {
  const pop = generatePopulation({ ...options, persons, seed });
  const events: MemberObserved[] = [];
  for (const r of observationsOf(pop)) {
    const source = { system: r.system as MemberObserved['source']['system'], instance: 'default', recordId: r.ref.slice(r.system.length + 1) };
    const parsed = memberObserved.safeParse({
      type: 'member.observed', version: 1, id: eventId('member.observed', source, r.payload), source,
      occurredAt: OBSERVED_AT, observedAt: OBSERVED_AT, payload: r.payload,
    });
    if (parsed.success) events.push(parsed.data);
  }
  const truth = pop.truth.records.map((t) => ({ system: t.system, id: t.id, personId: t.personId }));
  if (options.withBirthDates !== true) return { events, truth };
  const born = new Map<string, string>([...pop.persons, ...pop.outsiders].map((p) => [p.id, p.birthDate]));
  const birthDates = new Map<string, string>();
  for (const t of truth) {
    const b = t.personId === null ? undefined : born.get(t.personId);
    if (b !== undefined) birthDates.set(recordKey({ system: t.system, instance: 'default', recordId: t.id }), b);
  }
  return { events, truth, birthDates };
}

/** Bus messages; `key` null keys by source record as the catalog does, a string puts all in one partition. */
export function messagesOf(events: readonly MemberObserved[], key: string | null = null): OutgoingMessage[] {
  return events.map((e) => ({ key: key ?? recordKey(e.source), value: JSON.stringify(e) }));
}

/**
 * The events spread over `partitions` by record key (as the bus keys them), each partition in
 * publication order, and taken a batch per partition in turn: the order a consumer reads them in.
 */
export function arrivalOrder(events: readonly MemberObserved[], partitions: number, batch: number): { byPartition: MemberObserved[][]; arrival: MemberObserved[] } {
  const byPartition: MemberObserved[][] = Array.from({ length: partitions }, () => []);
  for (const e of events) {
    const key = recordKey(e.source);
    byPartition[createHash('sha256').update(key).digest().readUInt32BE(0) % partitions]!.push(e);
  }
  const arrival: MemberObserved[] = [];
  for (let i = 0; arrival.length < events.length; i += batch) for (const p of byPartition) arrival.push(...p.slice(i, i + batch));
  return { byPartition, arrival };
}
