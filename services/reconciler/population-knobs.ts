// The generator's stress knobs on the evaluation commands (eval-offline.ts, stream/eval-stream.ts):
// the hub is judged on data with a noise model of its own, so quality is also measured on data
// noisier or harder than the default, with the model estimated from that data as always.
import { DEFAULT_HARD_NEGATIVES, type PopulationOptions } from '../../connectors/population/index.ts';

export const POPULATION_KNOBS = {
  'noise-scale': { type: 'string', default: '1' },
  'hard-negatives-scale': { type: 'string', default: '1' },
} as const;

function nonNegative(name: string, text: string): number {
  const x = Number(text);
  if (!Number.isFinite(x) || x < 0) throw new Error(`--${name} must be a number ≥ 0, got "${text}"`);
  return x;
}

/** The knobs as generator options; defaults give the generator's default population. */
export function populationKnobs(values: { 'noise-scale': string; 'hard-negatives-scale': string }): Omit<PopulationOptions, 'persons' | 'seed'> {
  const noiseScale = nonNegative('noise-scale', values['noise-scale']);
  const h = nonNegative('hard-negatives-scale', values['hard-negatives-scale']);
  return { noiseScale, hardNegatives: { sameNameBirth: DEFAULT_HARD_NEGATIVES.sameNameBirth * h, twins: DEFAULT_HARD_NEGATIVES.twins * h } };
}

/** How the knobs read in a result line ('' at the defaults). */
export function describeKnobs(values: { 'noise-scale': string; 'hard-negatives-scale': string }): string {
  const parts = [];
  if (Number(values['noise-scale']) !== 1) parts.push(`noise ×${values['noise-scale']}`);
  if (Number(values['hard-negatives-scale']) !== 1) parts.push(`hard negatives ×${values['hard-negatives-scale']}`);
  return parts.length === 0 ? '' : ` · ${parts.join(' · ')}`;
}
