// An estimated model: the configuration plus the parameters learnt from data. Plain data, so it
// can be versioned, stored next to links and broadcast to every worker.
import type { DependenceParams } from './estimate-dependence.ts';
import type { ModelConfig } from './model-config.ts';

export interface LevelParams {
  readonly label: string;
  readonly m: number;
  readonly u: number;
  /** log2(m/u); 0 for the null level and for refused levels. */
  readonly weight: number;
  readonly refused: boolean;
  /**
   * Suffix levels with TF: the mean share f of the agreed value over sampled non-match pairs agreeing
   * at this level; the pair's u is then u × f(value) / tfMean. Absent: the level's u is used as is.
   */
  readonly tfMean?: number;
  /**
   * The 'letters' level: the share of record pairs with one name or both written in letters. Such
   * a pair agreeing on a key of share f is one in f × tfScale of non-matches, not one in f: the
   * pair's u is f(value) × tfScale, as it is m that says how many matches show letters.
   */
  readonly tfScale?: number;
}

export interface Model {
  readonly config: ModelConfig;
  /** log2 of the prior odds that two random records match. */
  readonly prior: number;
  /**
   * The same per pair of source systems (key: systemPairKey), where the data allow: two rows of the
   * register are rarely one person, a register row and an OA entry often are.
   */
  readonly systemPriors?: Readonly<Record<string, number>>;
  readonly comparisons: ReadonlyArray<{ readonly field: string; readonly levels: readonly LevelParams[] }>;
  /**
   * Comparisons' u among strangers at another comparison's level (estimate-dependence.ts), where
   * there were enough such pairs: a household's phone says little of its branch. Absent in models
   * estimated before fs-9, or without such pairs.
   */
  readonly dependencies?: readonly DependenceParams[];
  /** Per attribute with a TF level: value → share of records holding it. */
  readonly tf: Readonly<Record<string, ReadonlyMap<string, number>>>;
  /**
   * The stream's tables were counted over this many stored records grouped by their masters
   * (stream/tf-recount.ts); absent where each valid ID number or account counted as a person.
   */
  readonly tfOverMasters?: number;
  /** Levels whose estimate was refused (u ≥ m), as field/label. */
  readonly refused: readonly string[];
  readonly expectedMatches: number;
  /** Per estimation session: how many candidate pairs it held and how many matches EM expected there. */
  readonly sessions?: ReadonlyArray<{ readonly name: string; readonly pairs: number; readonly expectedMatches: number }>;
}

/** Key of a pair of source systems, in either order. */
export function systemPairKey(a: string | null, b: string | null): string {
  const x = a ?? '';
  const y = b ?? '';
  return x <= y ? `${x}|${y}` : `${y}|${x}`;
}

/** The prior a pair of records of these two systems is scored with (the global one where none was fitted). */
export function pairPrior(model: Model, a: string | null, b: string | null): number {
  return model.systemPriors?.[systemPairKey(a, b)] ?? model.prior;
}
