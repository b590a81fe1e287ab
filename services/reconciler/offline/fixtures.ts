// Test fixtures: a seeded population and the matching core run over it, computed once per test
// file. Expected values always come from the population's truth, never from hand-picked cases.
import { generatePopulation, type Population } from '../../../connectors/population/index.ts';
import { matchBatch, type BatchResult } from '../pipeline.ts';
import { observationsOf, truthOf, type OfflineRecord } from './adapters.ts';

export interface Fixture {
  readonly pop: Population;
  readonly input: readonly OfflineRecord[];
  readonly truth: ReadonlyArray<string | null>;
  readonly result: BatchResult;
}

const cache = new Map<string, Fixture>();

export function populationFixture(persons: number, seed: string | number): Fixture {
  const key = `${persons}/${seed}`;
  const hit = cache.get(key);
  if (hit !== undefined) return hit;
  const pop = generatePopulation({ persons, seed });
  const input = observationsOf(pop);
  const fx = { pop, input, truth: truthOf(pop, input), result: matchBatch(input) };
  cache.set(key, fx);
  return fx;
}
