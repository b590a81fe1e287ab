// Test helpers for this folder: a seeded population, a running simulator, a connector on it, and
// reads collected into arrays. Fixtures come from the generator and its truth only.
import { cachedPopulation, type Population } from '../population/index.ts';
import type { Cursor, EmittedEvent, ReadBatch, ReadItem } from '../contract.ts';
import { createOaConnector, type OaConnector, type OaConnectorOptions } from './connector.ts';
import { createOaSimulator, type OaSimulator, type OaSimulatorOptions } from './simulator/index.ts';

export const TEST_SEED = process.env.POPULATION_TEST_SEED ?? 'oa-connector';

export function population(persons = 3000): Population {
  return cachedPopulation(persons, TEST_SEED);
}

export interface Running {
  readonly sim: OaSimulator;
  readonly url: string;
  connector(options?: Partial<OaConnectorOptions>): OaConnector;
}

export async function startSimulator(options: Partial<OaSimulatorOptions> & { population: Population }): Promise<Running> {
  const sim = createOaSimulator(options);
  const url = await sim.start();
  return {
    sim,
    url,
    connector: (o = {}) => createOaConnector({ baseUrl: url, instance: 'test-oa', appid: 'yibiao', http: { backoffMs: 5, maxBackoffMs: 50 }, ...o }),
  };
}

export async function readAll(iterable: AsyncIterable<ReadBatch>, stopAfter?: number): Promise<ReadBatch[]> {
  const out: ReadBatch[] = [];
  for await (const b of iterable) {
    out.push(b);
    if (stopAfter !== undefined && out.length >= stopAfter) break;
  }
  return out;
}

export const items = (batches: readonly ReadBatch[]): ReadItem[] => batches.flatMap((b) => b.items);

export interface EventLike {
  id: string;
  source: { recordId: string };
  orgCode?: string;
  payload: Record<string, unknown>;
}
export const events = (batches: readonly ReadBatch[]): EventLike[] =>
  items(batches).filter((i): i is EmittedEvent => i.kind === 'event').map((i) => i.event as EventLike);

export const lastCursor = (batches: readonly ReadBatch[]): Cursor | null => batches.at(-1)?.cursor ?? null;
