// generatePopulation: the seeded synthetic population with ground truth. Same options → the same
// population, value for value (and writePopulation → the same bytes).
import { quartersEnding } from './dates.ts';
import { NoiseLedger, type LedgerSnapshot } from './noise.ts';
import {
  DEFAULT_COVERAGE, DEFAULT_HARD_NEGATIVES, resolveNoise,
  type Coverage, type HardNegatives, type NoiseOverrides, type NoiseRates,
} from './noise-rates.ts';
import { generateOrgs } from './orgs.ts';
import { generateOutsiders } from './outsiders.ts';
import { REFERENCE_DATE, referenceDay, TRAITS } from './person-traits.ts';
import { generatePersons } from './persons.ts';
import { generateTasks, taskOverlaps, type Task, type TaskOverlap } from './tasks.ts';
import { generateMemberSystem, type MemberSystemData } from './systems/member-system.ts';
import { OaBuilder } from './systems/oa.ts';
import { addWechatOutsiders, generateWechat, type WechatData } from './systems/wechat.ts';
import { generateXapi, type XapiData } from './systems/xapi.ts';
import type { GenContext, RecordKind, TruthRecord } from './context.ts';
import type { OaEmployee, OaTodo } from './system-types.ts';
import type { Org, Outsider, Person, SystemId } from './types.ts';

export type ProgressFn = (phase: string, done: number, total: number) => void;

export interface PopulationOptions {
  /** Party members (the truth persons). Non-member outsiders come on top. */
  readonly persons: number;
  readonly seed: number | string;
  readonly noise?: NoiseOverrides;
  /** Multiplies every noise rate (0: clean data; 2: twice as noisy). Default 1. */
  readonly noiseScale?: number;
  readonly coverage?: Partial<Coverage>;
  readonly hardNegatives?: Partial<HardNegatives>;
  /** Reference date (YYYY-MM-DD): ages, dates and the last task quarter. Default 2025-06-30. */
  readonly asOf?: string;
  /** Quarters of tasks and study records, ending with the one containing asOf. Default 2. */
  readonly quarters?: number;
  /** Mean xAPI statements per learner per quarter. Default 1.5. */
  readonly statementsPerQuarter?: number;
  readonly onProgress?: ProgressFn;
}

export interface PopulationSettings {
  readonly seed: string;
  readonly persons: number;
  readonly asOf: string;
  readonly periods: readonly string[];
  readonly statementsPerQuarter: number;
  readonly noise: NoiseRates;
  readonly coverage: Coverage;
  readonly hardNegatives: HardNegatives;
  readonly traits: typeof TRAITS;
}

export interface Population {
  readonly settings: PopulationSettings;
  readonly orgs: readonly Org[];
  readonly persons: readonly Person[];
  readonly outsiders: readonly Outsider[];
  readonly systems: {
    readonly memberSystem: MemberSystemData;
    readonly wechat: WechatData;
    readonly xapi: XapiData;
    readonly oa: { readonly employees: OaEmployee[]; readonly todos: OaTodo[] };
  };
  readonly tasks: readonly Task[];
  readonly truth: { readonly records: readonly TruthRecord[]; readonly overlaps: readonly TaskOverlap[] };
  /** Per system and noise kind: records at risk and records that got it. */
  readonly noiseLedger: LedgerSnapshot;
  readonly counts: { readonly records: number; readonly bySystem: Record<SystemId, Partial<Record<RecordKind, number>>> };
}

export function generatePopulation(options: PopulationOptions): Population {
  if (!Number.isInteger(options.persons) || options.persons < 1) throw new Error(`persons must be a positive integer, got ${options.persons}`);
  const seed = String(options.seed);
  const asOfIso = options.asOf ?? REFERENCE_DATE;
  const asOf = referenceDay(asOfIso);
  const quarters = quartersEnding(asOf, options.quarters ?? 2);
  const coverage: Coverage = { ...DEFAULT_COVERAGE, ...options.coverage };
  const hardNegatives: HardNegatives = { ...DEFAULT_HARD_NEGATIVES, ...options.hardNegatives };
  const noise = resolveNoise(options.noise, options.noiseScale ?? 1);
  const statementsPerQuarter = options.statementsPerQuarter ?? 1.5;
  const progress: ProgressFn = options.onProgress ?? (() => {});

  progress('orgs', 0, 1);
  const tree = generateOrgs(seed, options.persons);
  const phonesInUse = new Set<string>();
  const persons = generatePersons({ seed, asOf, tree, hardNegatives, phonesInUse, progress });
  const ledger = new NoiseLedger();
  const ctx: GenContext = {
    seed, asOf, quarters, persons, orgByCode: new Map(tree.orgs.map((o) => [o.code, o])),
    rates: noise, coverage, ledger, truth: [], progress,
  };

  const memberSystem = generateMemberSystem(ctx);
  const wechat = generateWechat(ctx);
  const xapi = generateXapi(ctx, { statementsPerQuarter });
  const oaBuilder = new OaBuilder(ctx);
  const oaMembers = oaBuilder.addMembers();

  // Outsiders: the first ones are both OA staff and followers, then OA-only, then WeChat-only.
  const followers = wechat.followers.length;
  const oaCount = Math.round(oaMembers * coverage.oaOutsiders);
  const wechatCount = Math.round(followers * coverage.wechatOutsiders);
  const both = Math.min(wechatCount, Math.round(oaCount * coverage.outsidersInBoth));
  progress('outsiders', 0, oaCount + wechatCount - both);
  const outsiders = generateOutsiders(seed, oaCount + wechatCount - both, asOf, phonesInUse);
  oaBuilder.addOutsiders(outsiders.slice(0, oaCount));
  addWechatOutsiders(ctx, wechat, [...outsiders.slice(0, both), ...outsiders.slice(oaCount)]);
  const oa = oaBuilder.build();

  const tasks = generateTasks(ctx, oa);
  progress('truth', 0, 1);
  const records = ctx.truth;
  const bySystem = { 'member-system': {}, wechat: {}, xapi: {}, oa: {} } as Record<SystemId, Partial<Record<RecordKind, number>>>;
  for (const r of records) bySystem[r.system][r.kind] = (bySystem[r.system][r.kind] ?? 0) + 1;

  return {
    settings: {
      seed, persons: options.persons, asOf: asOfIso, periods: quarters.map((q) => q.period), statementsPerQuarter,
      noise, coverage, hardNegatives, traits: TRAITS,
    },
    orgs: tree.orgs,
    persons,
    outsiders,
    systems: { memberSystem, wechat, xapi, oa: { employees: oa.employees, todos: oa.todos } },
    tasks,
    truth: { records, overlaps: taskOverlaps(tasks) },
    noiseLedger: ledger.snapshot(),
    counts: { records: records.length, bySystem },
  };
}
