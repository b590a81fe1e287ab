import { generatePopulation, type Population } from './generate.ts';

const populations = new Map<string, Population>();

/** Generating takes a second or more: tests of one process share populations by (persons, seed). */
export function cachedPopulation(persons: number, seed: string): Population {
  const key = `${persons}\u0000${seed}`;
  let pop = populations.get(key);
  if (pop === undefined) {
    pop = generatePopulation({ persons, seed });
    populations.set(key, pop);
  }
  return pop;
}
