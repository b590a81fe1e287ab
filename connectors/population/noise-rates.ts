// The noise model's knobs. Every rate is a per-record probability, conditional on the kind
// being applicable to that record (see README.md: "Noise model"); a record can carry several
// kinds. The defaults are estimates of what each system really holds, argued in the README;
// none was tuned against a matcher.
import type { SystemId } from './types.ts';

export const NOISE_KINDS = [
  'traditional', // name in traditional characters (name has a character with a traditional form)
  'nameTypo', // one character replaced by a homophone or look-alike
  'fullWidth', // digits of the ID number and phone in full-width forms (record carries either)
  'idWrongDigit', // one digit of the ID number wrong: the checksum fails (record carries an ID)
  'idLegacy15', // the 15-digit first-generation number (ID carried, born 1981 or earlier)
  'idLowercaseX', // check character typed as x (ID carried and ends in X, not 15-digit)
  'phoneStale', // the person's previous phone number (phone carried, person changed numbers)
  'orgStale', // the branch before an 组织关系转接 (org carried, person was transferred)
  'fieldMissing', // one optional field left blank
  'fieldSwap', // two fields in each other's place (member system: 入党/转正 dates; WeChat remark order)
  'duplicate', // the person's second record in the same system (person present there)
] as const;
export type NoiseKind = (typeof NOISE_KINDS)[number];

export type SystemNoise = Readonly<Record<NoiseKind, number>>;
export type NoiseRates = Readonly<Record<SystemId, SystemNoise>>;
export type NoiseOverrides = { readonly [S in SystemId]?: Partial<SystemNoise> };

export const DEFAULT_NOISE: NoiseRates = {
  'member-system': {
    traditional: 0.003, nameTypo: 0.004, fullWidth: 0.005, idWrongDigit: 0.002, idLegacy15: 0.01,
    idLowercaseX: 0.05, phoneStale: 0.5, orgStale: 0.02, fieldMissing: 0.03, fieldSwap: 0.005, duplicate: 0.004,
  },
  wechat: {
    traditional: 0.01, nameTypo: 0.03, fullWidth: 0.03, idWrongDigit: 0.01, idLegacy15: 0,
    idLowercaseX: 0.3, phoneStale: 0.3, orgStale: 0.5, fieldMissing: 0.05, fieldSwap: 0.15, duplicate: 0.02,
  },
  xapi: {
    traditional: 0.005, nameTypo: 0.015, fullWidth: 0.01, idWrongDigit: 0.008, idLegacy15: 0.02,
    idLowercaseX: 0.4, phoneStale: 0.35, orgStale: 0.4, fieldMissing: 0.05, fieldSwap: 0, duplicate: 0.025,
  },
  oa: {
    traditional: 0.002, nameTypo: 0.006, fullWidth: 0.005, idWrongDigit: 0, idLegacy15: 0,
    idLowercaseX: 0, phoneStale: 0.2, orgStale: 0.3, fieldMissing: 0.05, fieldSwap: 0, duplicate: 0.01,
  },
};

/** Who is where. */
export interface Coverage {
  /** Share of members with a record in each system (OA: members in work; see oaRetired). */
  readonly 'member-system': number;
  readonly wechat: number;
  readonly xapi: number;
  readonly oa: number;
  /** Share of retired members still in their former employer's OA directory. */
  readonly oaRetired: number;
  /** Non-member followers per member follower. */
  readonly wechatOutsiders: number;
  /** Non-member staff per member employee in OA. */
  readonly oaOutsiders: number;
  /** Share of OA's non-member staff who also follow the WeChat account. */
  readonly outsidersInBoth: number;
}

export const DEFAULT_COVERAGE: Coverage = {
  'member-system': 0.985, wechat: 0.7, xapi: 0.6, oa: 0.85, oaRetired: 0.05,
  wechatOutsiders: 0.45, oaOutsiders: 0.5, outsidersInBoth: 0.3,
};

/** Deliberately injected hard negatives, as shares of all persons. */
export interface HardNegatives {
  /** A different person with the same name and birth date (different number). */
  readonly sameNameBirth: number;
  /** Twins: same surname, birth date and region, adjacent sequence numbers, different given name. */
  readonly twins: number;
}

export const DEFAULT_HARD_NEGATIVES: HardNegatives = { sameNameBirth: 0.004, twins: 0.002 };

function clamp01(x: number): number {
  if (!Number.isFinite(x)) throw new Error(`noise rate must be a number, got ${x}`);
  return Math.min(1, Math.max(0, x));
}

/** Defaults, overridden per system and kind, then all multiplied by `scale` and clamped to [0, 1]. */
export function resolveNoise(overrides: NoiseOverrides = {}, scale = 1): NoiseRates {
  const out = {} as Record<SystemId, SystemNoise>;
  for (const system of Object.keys(DEFAULT_NOISE) as SystemId[]) {
    const merged = { ...DEFAULT_NOISE[system], ...overrides[system] };
    const scaled = {} as Record<NoiseKind, number>;
    for (const kind of NOISE_KINDS) scaled[kind] = clamp01(merged[kind] * scale);
    out[system] = scaled;
  }
  return out;
}
