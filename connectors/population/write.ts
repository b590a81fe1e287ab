// writePopulation: each system's native export files, the truth, and a manifest. Deterministic:
// the same population always gives the same bytes. Layout: README.md, "Files".
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Population } from './generate.ts';
import type { NoiseKind } from './noise-rates.ts';
import { MEMBER_SYSTEM_HEADERS, type OaEmployee, type WechatUserInfo } from './system-types.ts';
import type { SystemId } from './types.ts';
import { populationQrScenes } from './qr-scenes.ts';
import { QR_SCENE_FILE_HEADER } from '../../schemas/qr-scene-file.ts';
import { writeCsv } from './writers/csv.ts';
import { writeJson, writeJsonArray, writeNdjson } from './writers/json.ts';
import { writeXlsx } from './writers/xlsx.ts';

export const MANIFEST_VERSION = 1;
const BATCHGET_LIMIT = 100;

export interface Manifest {
  readonly generator: 'yibiao-population';
  readonly version: number;
  readonly seed: string;
  readonly settings: Population['settings'];
  readonly counts: Population['counts'] & { readonly persons: number; readonly outsiders: number; readonly orgs: number; readonly tasks: number };
  /** Realised noise: records at risk of each kind, records that got it, and the share. */
  readonly noiseObserved: Record<SystemId, Partial<Record<NoiseKind, { atRisk: number; applied: number; rate: number }>>>;
  /** Relative path → number of records in it. */
  readonly files: Record<string, number>;
}

function* batches<T>(items: readonly T[], size: number): Generator<T[]> {
  for (let i = 0; i < items.length; i += size) yield items.slice(i, i + size);
}

const OA_HEADERS: ReadonlyArray<keyof OaEmployee> = [
  'id', 'workcode', 'loginid', 'lastname', 'departmentname', 'subcompanyname', 'mobile', 'jobtitlename', 'status',
];

export async function writePopulation(pop: Population, dir: string, onProgress?: (file: string) => void): Promise<Manifest> {
  for (const sub of ['member-system', 'wechat', 'xapi', 'oa']) await mkdir(join(dir, sub), { recursive: true });
  const files: Record<string, number> = {};
  const step = async (name: string, write: (path: string) => Promise<number>) => {
    onProgress?.(name);
    files[name] = await write(join(dir, name));
  };
  const { memberSystem, wechat, xapi, oa } = pop.systems;

  await step('member-system/members.xlsx', async (path) => {
    const rows = memberSystem.rows;
    await writeXlsx(path, '党员信息', MEMBER_SYSTEM_HEADERS, (function* () {
      for (const r of rows) yield MEMBER_SYSTEM_HEADERS.map((h) => r[h]);
    })());
    return rows.length;
  });
  await step('wechat/tags.json', async (path) => {
    await writeJson(path, { tags: wechat.tags });
    return wechat.tags.length;
  });
  // One line per batchget response, 100 users each, in user/get (subscription) order.
  await step('wechat/batchget.ndjson', async (path) => {
    await writeNdjson(path, (function* () {
      for (const list of batches<WechatUserInfo>(wechat.followers, BATCHGET_LIMIT)) yield { user_info_list: list };
    })());
    return wechat.followers.length;
  });
  await step('wechat/bindings.json', (path) => writeJsonArray(path, wechat.bindings));
  // What a hub is configured with for these followers' branch QR codes (YIBIAO_WECHAT_QR_SCENES).
  await step('wechat/qr-scenes.csv', (path) => writeCsv(path, QR_SCENE_FILE_HEADER, [...populationQrScenes(pop)].map(([scene, branch]) => ({ scene, branch }))));
  await step('xapi/learners.json', (path) => writeJsonArray(path, xapi.learners));
  await step('xapi/statements.json', (path) => writeJsonArray(path, xapi.statements));
  await step('oa/directory.csv', (path) => writeCsv(path, OA_HEADERS, oa.employees));
  await step('oa/todos.json', (path) => writeJsonArray(path, oa.todos));
  await step('orgs.json', (path) => writeJsonArray(path, pop.orgs));
  await step('persons.ndjson', (path) => writeNdjson(path, pop.persons));
  await step('outsiders.ndjson', (path) => writeNdjson(path, pop.outsiders));
  await step('tasks.json', (path) => writeJsonArray(path, pop.tasks));
  await step('truth.ndjson', (path) => writeNdjson(path, pop.truth.records));
  await step('truth-overlaps.ndjson', (path) => writeNdjson(path, pop.truth.overlaps));

  const noiseObserved = {} as Manifest['noiseObserved'];
  for (const [system, kinds] of Object.entries(pop.noiseLedger) as Array<[SystemId, Population['noiseLedger'][SystemId]]>) {
    const out: Partial<Record<NoiseKind, { atRisk: number; applied: number; rate: number }>> = {};
    for (const [kind, e] of Object.entries(kinds) as Array<[NoiseKind, { atRisk: number; applied: number }]>) {
      if (e.atRisk > 0) out[kind] = { atRisk: e.atRisk, applied: e.applied, rate: Math.round((e.applied / e.atRisk) * 1e6) / 1e6 };
    }
    noiseObserved[system] = out;
  }
  const manifest: Manifest = {
    generator: 'yibiao-population',
    version: MANIFEST_VERSION,
    seed: pop.settings.seed,
    settings: pop.settings,
    counts: { ...pop.counts, persons: pop.persons.length, outsiders: pop.outsiders.length, orgs: pop.orgs.length, tasks: pop.tasks.length },
    noiseObserved,
    files,
  };
  onProgress?.('manifest.json');
  await writeJson(join(dir, 'manifest.json'), manifest);
  return manifest;
}
