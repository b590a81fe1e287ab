import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readQrSceneFile } from '../../schemas/qr-scene-file.ts';
import { MEMBER_SYSTEM_HEADERS, generatePopulation, populationQrScenes, writePopulation, type Manifest } from './index.ts';

// Another seed re-runs every assertion on another population: POPULATION_TEST_SEED=x vitest run …
const SEED = process.env.POPULATION_TEST_SEED ?? '';

const pop = generatePopulation({ persons: 900, seed: `write${SEED}` });
let dir = '';
let manifest: Manifest;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pop-write-'));
  manifest = await writePopulation(pop, dir);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const text = (name: string) => readFile(join(dir, name), 'utf8');
const lines = async (name: string) => (await text(name)).split('\n').filter((l) => l !== '');

describe('writePopulation', () => {
  it('writes the member-system export as an .xlsx a spreadsheet library reads back', async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(join(dir, 'member-system/members.xlsx'));
    const ws = wb.worksheets[0];
    expect(ws?.name).toBe('党员信息');
    const rows: string[][] = [];
    ws?.eachRow({ includeEmpty: false }, (row) => {
      rows.push(MEMBER_SYSTEM_HEADERS.map((_, c) => {
        const v = row.getCell(c + 1).value;
        return typeof v === 'string' ? v : v === null || v === undefined ? '' : JSON.stringify(v);
      }));
    });
    expect(rows[0]).toEqual([...MEMBER_SYSTEM_HEADERS]);
    expect(rows.slice(1)).toEqual(pop.systems.memberSystem.rows.map((r) => MEMBER_SYSTEM_HEADERS.map((h) => r[h])));
  });

  it('writes WeChat batchget responses of at most 100 users, in subscription order', async () => {
    const pages = (await lines('wechat/batchget.ndjson')).map((l) => JSON.parse(l) as { user_info_list: Array<{ openid: string; subscribe_time: number }> });
    const users = pages.flatMap((p) => p.user_info_list);
    for (const p of pages) expect(p.user_info_list.length).toBeLessThanOrEqual(100);
    expect(users.map((u) => u.openid)).toEqual(pop.systems.wechat.followers.map((f) => f.openid));
    for (let i = 1; i < users.length; i++) expect(users[i]!.subscribe_time >= users[i - 1]!.subscribe_time).toBe(true);
    const tags = JSON.parse(await text('wechat/tags.json')) as { tags: Array<{ id: number; count: number }> };
    const tagged = users.length - pop.systems.wechat.followers.filter((f) => f.tagid_list.length === 0).length;
    expect(tags.tags.reduce((n, t) => n + t.count, 0)).toBeGreaterThanOrEqual(tagged);
  });

  it('writes the QR scene table a hub reads for these followers', () => {
    expect(readQrSceneFile(join(dir, 'wechat/qr-scenes.csv'))).toEqual(populationQrScenes(pop));
    expect(manifest.files['wechat/qr-scenes.csv']).toBe(pop.orgs.length);
  });

  it('writes JSON dumps that parse whole and line by line', async () => {
    for (const name of ['wechat/bindings.json', 'xapi/learners.json', 'xapi/statements.json', 'oa/todos.json', 'orgs.json', 'tasks.json']) {
      const whole = JSON.parse(await text(name)) as unknown[];
      expect(whole.length, name).toBe(manifest.files[name]);
      const body = (await lines(name)).slice(1, -1).map((l) => JSON.parse(l.replace(/,$/u, '')) as unknown);
      expect(body).toEqual(whole);
    }
    const statements = JSON.parse(await text('xapi/statements.json')) as Array<{ stored: string }>;
    for (let i = 1; i < statements.length; i++) expect(statements[i]!.stored >= statements[i - 1]!.stored).toBe(true);
  });

  it('writes the OA directory as CSV with a byte-order mark', async () => {
    const csv = await text('oa/directory.csv');
    expect(csv.charCodeAt(0)).toBe(0xfeff);
    const rows = csv.slice(1).split('\r\n').filter((l) => l !== '');
    expect(rows[0]).toBe('id,workcode,loginid,lastname,departmentname,subcompanyname,mobile,jobtitlename,status');
    expect(rows.length - 1).toBe(pop.systems.oa.employees.length);
    expect(rows[1]?.split(',')[2]).toBe(pop.systems.oa.employees[0]?.loginid);
  });

  it('writes the truth, persons and a manifest that agree with the population', async () => {
    const truth = (await lines('truth.ndjson')).map((l) => JSON.parse(l) as { system: string; id: string; personId: string | null });
    expect(truth).toHaveLength(pop.truth.records.length);
    expect(await lines('truth-overlaps.ndjson')).toHaveLength(pop.truth.overlaps.length);
    expect(await lines('persons.ndjson')).toHaveLength(900);
    expect(await lines('outsiders.ndjson')).toHaveLength(pop.outsiders.length);
    const onDisk = JSON.parse(await text('manifest.json')) as Manifest;
    expect(onDisk).toEqual(JSON.parse(JSON.stringify(manifest)));
    expect(onDisk.seed).toBe(`write${SEED}`);
    expect(onDisk.counts.records).toBe(truth.length);
    expect(onDisk.settings.noise['member-system'].idWrongDigit).toBe(pop.settings.noise['member-system'].idWrongDigit);
    expect(onDisk.noiseObserved.wechat.nameTypo?.atRisk).toBe(pop.noiseLedger.wechat.nameTypo.atRisk);
    const recordFiles = ['member-system/members.xlsx', 'wechat/batchget.ndjson', 'wechat/bindings.json', 'xapi/learners.json', 'xapi/statements.json', 'oa/directory.csv', 'oa/todos.json'];
    expect(recordFiles.reduce((n, f) => n + (onDisk.files[f] ?? 0), 0)).toBe(truth.length);
  });
});
