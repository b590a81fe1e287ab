// The OA directory export written by writePopulation imports to the same events as the live
// read; malformed files are refused whole, naming file, row and column.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ImportFileError } from '../contract.ts';
import { writePopulation } from '../population/index.ts';
import { events, population, readAll, startSimulator, type Running } from './testing.ts';

const pop = population(3000);
let run: Running;
let dir: string;
let csv: string;
let bytes: Buffer;
beforeAll(async () => {
  run = await startSimulator({ population: pop });
  dir = await mkdtemp(join(tmpdir(), 'oa-import-'));
  await writePopulation(pop, dir);
  csv = join(dir, 'oa', 'directory.csv');
  bytes = await readFile(csv);
});
afterAll(async () => {
  await run.sim.close();
  await rm(dir, { recursive: true, force: true });
});

async function refusal(name: string, content: Buffer | string): Promise<ImportFileError> {
  const file = join(dir, name);
  await writeFile(file, content);
  const err = await run.connector().importFile(file).then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(ImportFileError);
  expect((err as ImportFileError).file).toBe(file);
  return err as ImportFileError;
}

const text = () => bytes.toString('utf8');
const lines = () => text().split('\r\n');

describe('importing oa/directory.csv', () => {
  it('gives the live read\'s events, record for record, with progress', async () => {
    const live = events(await readAll(run.connector().read('employees', null)));
    const progress: Array<[number, number | undefined]> = [];
    const imported = events(await readAll(await run.connector().importFile(csv, (d, t) => progress.push([d, t]))));
    const key = (e: { id: string; source: { recordId: string }; payload: unknown }) => JSON.stringify([e.source.recordId, e.id, e.payload]);
    expect(imported.map(key).sort()).toEqual(live.map(key).sort());
    expect(imported.length).toBe(pop.truth.records.filter((r) => r.system === 'oa' && r.kind === 'employee').length);
    expect(progress.at(-1)).toEqual([imported.length, imported.length]);
  });

  it('refuses a header without a name column, or without an id and a login, naming what is missing', async () => {
    const err = await refusal('headers.csv', text().replace(',lastname,', ',lastnme,'));
    expect([err.row, err.column]).toEqual([1, 'lastname (姓名)']);
    const anonymous = await refusal('no-key.csv', text().replace(/^\uFEFF?id,/u, 'hrm,').replace(',loginid,', ',login_at,'));
    expect([anonymous.row, anonymous.column]).toEqual([1, 'id or loginid (登录名)']);
  });

  it('reads a clerk\'s export: Chinese labels, its own order, no id or workcode, an extra column; the login names the record', async () => {
    const live = events(await readAll(run.connector().read('employees', null)));
    const [head, ...body] = lines().filter((l) => l !== '');
    const at = (name: string) => head!.replace(/^\uFEFF/u, '').split(',').indexOf(name);
    // 登录名 姓名 部门 手机 分部 岗位 状态, reversed, and a remark column first.
    const picked = [['loginid', '登录名'], ['lastname', '姓 名'], ['departmentname', '所属部门'], ['mobile', '手机号码'], ['subcompanyname', '分部'], ['jobtitlename', '岗位'], ['status', '人员状态']].reverse();
    const loginOf = new Map(body.map((l) => { const c = l.split(','); return [c[at('id')]!, c[at('loginid')]!]; }));
    const csvText = `\uFEFF备注,${picked.map(([, zh]) => zh).join(',')}\r\n${body.map((l, i) => { const c = l.split(','); return [i % 5 === 0 ? '核对' : '', ...picked.map(([f]) => c[at(f!)]!)].join(','); }).join('\r\n')}\r\n`;
    const file = join(dir, 'clerk.csv');
    await writeFile(file, csvText);
    const imported = events(await readAll(await run.connector().importFile(file)));
    const key = (recordId: string, payload: unknown) => JSON.stringify([recordId, payload]);
    expect(imported.map((e) => key(e.source.recordId, e.payload)).sort()).toEqual(live.map((e) => key(loginOf.get(e.source.recordId)!, e.payload)).sort());
  });

  it('refuses a truncated file at the row it breaks off', async () => {
    let at = Math.floor(bytes.length * 0.6);
    while (bytes[at - 1] === 0x0a || bytes[at - 1] === 0x0d) at--;
    const cut = bytes.subarray(0, at);
    const err = await refusal('truncated.csv', cut);
    expect(err.row).toBe(cut.toString('utf8').split('\n').length);
    expect(err.message).toMatch(/truncated/);
  });

  it('refuses a file cut inside a multi-byte character as truncated', async () => {
    const lead = bytes.findIndex((b, i) => i > bytes.length / 2 && b >= 0xe0 && b <= 0xef);
    const cut = bytes.subarray(0, lead + 2);
    const err = await refusal('cut-char.csv', cut);
    expect(err.row).toBe(cut.toString('utf8').split('\n').length);
    expect(err.message).toMatch(/truncated/);
  });

  it('refuses a row with a missing cell, naming the column', async () => {
    const l = lines();
    const cells = (l[7] ?? '').split(',');
    l[7] = cells.slice(0, 8).join(',');
    const err = await refusal('short-row.csv', l.join('\r\n'));
    expect([err.row, err.column]).toEqual([8, 'status']);
  });

  it('refuses a GBK-encoded name, naming the row and column', async () => {
    const l = lines();
    const cells = (l[4] ?? '').split(',');
    const head = Buffer.from(`${[...l.slice(0, 4), cells.slice(0, 3).join(',')].join('\r\n')},`, 'utf8');
    // 王伟 in GBK: the bytes an export re-saved by a Windows tool would carry.
    const tail = Buffer.from(`,${cells.slice(4).join(',')}\r\n${l.slice(5).join('\r\n')}`, 'utf8');
    const err = await refusal('gbk.csv', Buffer.concat([head, Buffer.from([0xcd, 0xf5, 0xce, 0xb0]), tail]));
    expect([err.row, err.column]).toEqual([5, 'lastname']);
    expect(err.message).toMatch(/UTF-8/);
  });

  it('names the column of a GBK byte after a quoted cell that holds commas', async () => {
    const l = lines();
    const cells = (l[4] ?? '').split(',');
    cells[4] = `"${cells[4]},${cells[5]}"`;
    const head = Buffer.from(`${[...l.slice(0, 4), cells.slice(0, 7).join(',')].join('\r\n')},`, 'utf8');
    const tail = Buffer.from(`,${cells.slice(8).join(',')}\r\n${l.slice(5).join('\r\n')}`, 'utf8');
    // 书记 in GBK, as the job title.
    const err = await refusal('gbk-quoted.csv', Buffer.concat([head, Buffer.from([0xca, 0xe9, 0xbc, 0xc7]), tail]));
    expect([err.row, err.column]).toEqual([5, 'jobtitlename']);
  });

  it('refuses a non-numeric id', async () => {
    const l = lines();
    l[3] = (l[3] ?? '').replace(/^\d+/, 'abc');
    const err = await refusal('bad-id.csv', l.join('\r\n'));
    expect([err.row, err.column]).toEqual([4, 'id']);
  });

  it('names a row\'s file line after a department typed over two lines', async () => {
    const l = lines();
    const cells = (l[2] ?? '').split(',');
    cells[4] = `"${cells[4]}\r\n${cells[4]}"`;
    l[2] = cells.join(',');
    l[6] = (l[6] ?? '').replace(/^\d+/, 'abc');
    const content = l.join('\r\n');
    const err = await refusal('multi-line.csv', content);
    expect([err.row, err.column]).toEqual([content.split('\n').findIndex((line) => line.startsWith('abc')) + 1, 'id']);
  });

  it.each([
    ['text after a closing quote', (c: string[]) => `"${c[3]}"x`, 'lastname', /text after a closing quote/],
    ['a quote never closed', (c: string[]) => `"${c[3]}`, 'lastname', /never closed/],
    ['a quote inside an unquoted cell', (c: string[]) => `${c[3]}"`, 'lastname', /quote inside an unquoted cell/],
    ['a bare carriage return', (c: string[]) => `${c[3]}\r`, undefined, /bare carriage return/],
  ] as const)('refuses %s at its row', async (_name, lastname, column, message) => {
    const l = lines();
    const cells = (l[5] ?? '').split(',');
    cells[3] = lastname(cells);
    l[5] = cells.join(',');
    const err = await refusal('quotes.csv', l.join('\r\n'));
    expect([err.row, err.column]).toEqual([6, column]);
    expect(err.message).toMatch(message);
  });

  it.each([
    ['an empty file', '', 1],
    ['a byte-order mark alone', '\uFEFF', 1],
    ['a header without rows', () => `${lines()[0] ?? ''}\r\n`, 2],
  ] as const)('refuses %s', async (_name, content, row) => {
    const err = await refusal('empty.csv', typeof content === 'function' ? content() : content);
    expect(err.row).toBe(row);
  });
});
