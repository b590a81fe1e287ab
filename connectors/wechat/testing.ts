// Shared by this folder's tests: a seeded population served by a started simulator, and helpers
// that drain a connector stream.
import { cachedPopulation, type Population } from '../population/index.ts';
import type { Connector, Cursor, ReadBatch, ReadItem } from '../contract.ts';
import { createWechatConnector, type WechatConnectorOptions } from './connector.ts';
import { createWechatSimulator, type WechatSimulator, type WechatSimulatorOptions } from './simulator/server.ts';

export function population(persons: number, seed: string): Population {
  return cachedPopulation(persons, seed);
}

export interface Running {
  readonly sim: WechatSimulator;
  readonly baseUrl: string;
  connector(extra?: Partial<WechatConnectorOptions>): Connector;
}

export async function startSimulator(options: WechatSimulatorOptions): Promise<Running> {
  const sim = createWechatSimulator(options);
  const baseUrl = await sim.start();
  return {
    sim,
    baseUrl,
    connector: (extra = {}) =>
      createWechatConnector({ baseUrl, instance: 'party-account', appid: sim.appid, secret: sim.secret, bindingsKey: sim.bindingsKey, backoffBaseMs: 1, ...extra }),
  };
}

export interface Drained {
  readonly batches: ReadBatch[];
  readonly items: ReadItem[];
  readonly recordsRead: number;
  readonly lastCursor: Cursor | null;
}

/** Reads a stream from `cursor`, stopping after `maxBatches` batches when given. */
export async function drain(connector: Connector, stream: string, cursor: Cursor | null = null, maxBatches = Infinity): Promise<Drained> {
  const batches: ReadBatch[] = [];
  for await (const batch of connector.read(stream, cursor)) {
    batches.push(batch);
    if (batches.length >= maxBatches) break;
  }
  return {
    batches,
    items: batches.flatMap((b) => b.items),
    recordsRead: batches.reduce((n, b) => n + b.recordsRead, 0),
    lastCursor: batches.at(-1)?.cursor ?? cursor,
  };
}

export interface EventLike {
  readonly id: string;
  readonly source: { readonly recordId: string };
  readonly payload: Record<string, unknown> & { name: string; accounts: { kind: string; value: string }[] };
}

export function eventsOf(items: readonly ReadItem[]): EventLike[] {
  return items.flatMap((i) => (i.kind === 'event' ? [i.event as EventLike] : []));
}
