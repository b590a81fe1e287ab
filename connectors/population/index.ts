// The seeded synthetic population with ground truth: the fixture source for tests and benchmarks.
export { generatePopulation } from './generate.ts';
export type { Population, PopulationOptions, PopulationSettings, ProgressFn } from './generate.ts';
export { writePopulation, MANIFEST_VERSION } from './write.ts';
export { populationQrScenes, qrSceneOf } from './qr-scenes.ts';
export type { Manifest } from './write.ts';
export {
  DEFAULT_COVERAGE, DEFAULT_HARD_NEGATIVES, DEFAULT_NOISE, NOISE_KINDS, resolveNoise,
} from './noise-rates.ts';
export type { Coverage, HardNegatives, NoiseKind, NoiseOverrides, NoiseRates, SystemNoise } from './noise-rates.ts';
export type { LedgerEntry, LedgerSnapshot } from './noise.ts';
export type { RecordKind, TruthRecord } from './context.ts';
export type { Task, TaskOverlap } from './tasks.ts';
export { DOCUMENTED_OVERLAPS, TASK_TEMPLATES } from './tables/task-items.ts';
export type { TaskTemplate } from './tables/task-items.ts';
export { SYSTEMS } from './types.ts';
export type { Gender, MemberCategory, Org, OrgLevel, Outsider, PartyStatus, Person, SystemId } from './types.ts';
export { MEMBER_SYSTEM_HEADERS } from './system-types.ts';
export type {
  MemberSystemRow, OaEmployee, OaTodo, WechatBinding, WechatTag, WechatUserInfo, XapiAgent, XapiLearner, XapiStatement,
} from './system-types.ts';
export { toSimplified, toTraditional } from './tables/char-variants.ts';
export { toFullWidth } from './noise.ts';
export { cachedPopulation } from './cached.ts';
