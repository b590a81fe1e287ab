// Shared fixtures for the xapi tests: seeded populations (and variants derived from them by a
// seeded rule, never by hand), a running simulator, and helpers to drain a connector.
import type { Population, XapiStatement } from '../population/index.ts';
import { generatePopulation } from '../population/index.ts';
import type { ReadBatch, ReadItem } from '../contract.ts';
import { createXapiConnector, type XapiConnectorOptions } from './connector.ts';
import { unit } from './simulator/faults.ts';
import { createXapiSimulator, type XapiSimulator, type XapiSimulatorOptions } from './simulator/index.ts';

export const SEED = process.env.POPULATION_TEST_SEED ?? 'xapi-test';
export const CREDENTIALS = { key: 'lrs-key', secret: 'lrs-secret' } as const;
export const FAST_RETRY = { baseDelayMs: 2, maxDelayMs: 20 } as const;

export function population(persons = 3000): Population {
  return generatePopulation({ persons, seed: SEED });
}

export function withStatements(pop: Population, statements: XapiStatement[]): Population {
  return { ...pop, systems: { ...pop.systems, xapi: { ...pop.systems.xapi, statements } } };
}

/** Stored times floored to `unitMs`, so many statements share one (as on a busy LRS). */
export function coarseStored(pop: Population, unitMs: number): Population {
  return withStatements(pop, pop.systems.xapi.statements.map((s) => ({ ...s, stored: new Date(Math.floor(Date.parse(s.stored) / unitMs) * unitMs).toISOString() })));
}

/** A seeded share of statements broken the ways real dumps are: the ids broken are the expected invalids. */
export function corrupted(pop: Population, share: number): { pop: Population; broken: Map<string, string> } {
  const broken = new Map<string, string>();
  const statements = pop.systems.xapi.statements.map((s) => {
    const u = unit(`${SEED}\u0002${s.id}`);
    if (u >= share) return s;
    const which = Math.floor((u / share) * 3);
    if (which === 0) {
      broken.set(s.id, 'result.duration');
      return { ...s, result: { ...s.result, duration: 'P1M' } };
    }
    if (which === 1) {
      broken.set(s.id, 'timestamp');
      return { ...s, timestamp: 'yesterday' };
    }
    broken.set(s.id, 'actor.account');
    return { ...s, actor: { ...s.actor, account: { ...s.actor.account, name: '' } } };
  });
  const learners = pop.systems.xapi.learners.map((l) => {
    if (unit(`${SEED}\u0003${l.id}`) >= share) return l;
    broken.set(l.id, 'name');
    return { ...l, actor: { ...l.actor, name: ' ' } };
  });
  const out = withStatements(pop, statements);
  return { pop: { ...out, systems: { ...out.systems, xapi: { ...out.systems.xapi, learners } } }, broken };
}

export async function startSimulator(options: XapiSimulatorOptions): Promise<{ sim: XapiSimulator; url: string }> {
  const sim = createXapiSimulator({ ...CREDENTIALS, ...options });
  return { sim, url: await sim.start() };
}

export function connector(url: string, extra: Partial<XapiConnectorOptions> = {}) {
  return createXapiConnector({ baseUrl: url, instance: 'test', ...CREDENTIALS, retry: FAST_RETRY, ...extra });
}

export async function drain(batches: AsyncIterable<ReadBatch>): Promise<{ batches: ReadBatch[]; items: ReadItem[] }> {
  const all: ReadBatch[] = [];
  for await (const b of batches) all.push(b);
  return { batches: all, items: all.flatMap((b) => b.items) };
}

export function recordIdOf(item: ReadItem): string {
  return item.kind === 'invalid' ? item.recordId : (item.event as { source: { recordId: string } }).source.recordId;
}

export function eventIdOf(item: ReadItem): string | undefined {
  return item.kind === 'event' ? (item.event as { id: string }).id : undefined;
}
