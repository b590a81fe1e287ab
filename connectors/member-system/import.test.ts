// importFile: the export written by writePopulation, the same data in another layout written by
// exceljs (title rows, reordered and padded headers, date cells and serials, dotted and 年月日
// text) and as UTF-8 CSV all give the live read's events; malformed files are refused whole.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ImportFileError } from '../contract.ts';
import { writePopulation } from '../population/index.ts';
import { createMemberSystemConnector, createMemberSystemSimulator, DEFAULT_APP_KEY, DEFAULT_APP_SECRET, HEADERS } from './index.ts';
import { damage, drain, events, invalids, population } from './test-fixtures.ts';

const pop = population(1200);
const rows = pop.systems.memberSystem.rows;
let dir = '';
let live: string[] = [];
const connector = createMemberSystemConnector({ baseUrl: 'http://127.0.0.1:9', instance: 'jx', appKey: DEFAULT_APP_KEY, appSecret: DEFAULT_APP_SECRET });
const idsOf = async (file: string) => events((await drain(await connector.importFile(file))).items).map((e) => e.id).sort();

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'member-import-'));
  await writePopulation(pop, join(dir, 'pop'));
  const sim = createMemberSystemSimulator({ population: pop });
  const base = await sim.start();
  const read = await drain(createMemberSystemConnector({ baseUrl: base, instance: 'jx', appKey: DEFAULT_APP_KEY, appSecret: DEFAULT_APP_SECRET }).read('members', null));
  await sim.close();
  live = events(read.items).map((e) => e.id).sort();
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const serial = (iso: string) => (Date.parse(`${iso}T00:00:00Z`) - Date.UTC(1899, 11, 30)) / 86_400_000;
const dotted = (iso: string, i: number) => {
  const [y, m, d] = iso.split('-');
  return i % 2 === 0 ? `${y}.${m}.${d}` : `${y}年${Number(m)}月${Number(d)}日`;
};

/** The export re-saved by a clerk: a title, a blank line, columns moved, dates turned into dates, some genders coded. */
async function relaidOut(path: string): Promise<void> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Sheet1');
  const order = ['备注', ...[...HEADERS].reverse()];
  ws.addRow(['党员信息导出（截至 2025 年 6 月）']);
  ws.addRow([]);
  ws.addRow(order.map((h) => (h === '姓名' ? ' 姓 名 ' : h === '备注' ? '备注' : `${h} `)));
  rows.forEach((r, i) => {
    const cells = order.map((h): ExcelJS.CellValue => {
      if (h === '备注') return i % 7 === 0 ? '核对' : null;
      const v = r[h as (typeof HEADERS)[number]];
      if (v === '') return null;
      if (h === '入党日期') return new Date(`${v}T00:00:00Z`);
      if (h === '转正日期') return serial(v);
      if (h === '出生日期') return dotted(v, i);
      // Some exports code the gender (GB/T 2261.1), as a number cell.
      if (h === '性别' && i % 3 === 0) return v === '男' ? 1 : 2;
      return v;
    });
    ws.addRow(cells);
  });
  ws.getColumn(order.indexOf('入党日期') + 1).numFmt = 'yyyy-mm-dd';
  await wb.xlsx.writeFile(path);
}

function csv(headerRow: readonly string[], body: ReadonlyArray<readonly string[]>): string {
  const q = (v: string) => (/[",\r\n]/u.test(v) ? `"${v.replaceAll('"', '""')}"` : v);
  return `\uFEFF${[headerRow, ...body].map((r) => r.map(q).join(',')).join('\r\n')}\r\n`;
}

/** GBK bytes, built from Node's own GBK decoder (there is no GBK encoder in the platform). */
function toGbk(text: string): Buffer {
  const table = new Map<string, number[]>();
  const decoder = new TextDecoder('gbk');
  for (let a = 0x81; a <= 0xfe; a++) for (let b = 0x40; b <= 0xfe; b++) if (b !== 0x7f) table.set(decoder.decode(Uint8Array.of(a, b)), [a, b]);
  return Buffer.from([...text].flatMap((ch) => (ch.charCodeAt(0) < 0x80 ? [ch.charCodeAt(0)] : (table.get(ch) ?? [0x3f]))));
}

async function refusal(name: string, content: Buffer | string | (() => Promise<void>)) {
  const file = join(dir, name);
  if (typeof content === 'function') await content();
  else await writeFile(file, content);
  const err = await connector.importFile(file).then(drain).catch((e: unknown) => e);
  expect(err, name).toBeInstanceOf(ImportFileError);
  expect((err as ImportFileError).file).toBe(file);
  return err as ImportFileError;
}

describe('member-system importFile', () => {
  it('imports writePopulation\'s export into the same events as the live read, with progress', async () => {
    const seen: Array<[number, number | undefined]> = [];
    const got = await drain(await connector.importFile(join(dir, 'pop/member-system/members.xlsx'), (d, t) => seen.push([d, t])));
    expect(got.batches.every((b) => b.items.length <= 500)).toBe(true);
    expect(events(got.items).map((e) => e.id).sort()).toEqual(live);
    expect(seen.at(-1)).toEqual([rows.length, rows.length]);
  });

  it('reads another layout (title rows, moved and padded headers, date cells, serials, 年月日, gender codes) into the same events', async () => {
    const path = join(dir, 'relaid.xlsx');
    await relaidOut(path);
    expect(await idsOf(path)).toEqual(live);
  });

  it('reads the UTF-8 CSV export into the same events', async () => {
    const path = join(dir, 'members.csv');
    await writeFile(path, csv(HEADERS, rows.map((r) => HEADERS.map((h) => r[h]))));
    expect(await idsOf(path)).toEqual(live);
  });

  it('reads a template that names the columns otherwise (人员编号, 身份证号码, 所在党组织, 手机号码 …) into the same events', async () => {
    const renamed: Record<string, string> = { 记录ID: '人员编号', 公民身份证号码: '身份证号码', 所在党支部: '所在党组织', 联系电话: '手机号码', 党籍状态: '党籍', 工作岗位: '岗位' };
    const path = join(dir, 'template.csv');
    await writeFile(path, csv(HEADERS.map((h) => renamed[h] ?? h), rows.map((r) => HEADERS.map((h) => r[h]))));
    expect(await idsOf(path)).toEqual(live);
  });

  it('names each member by the ID number in an export without 记录ID, with the same payloads', async () => {
    const full = join(dir, 'with-record-id.csv');
    await writeFile(full, csv(HEADERS, rows.map((r) => HEADERS.map((h) => r[h]))));
    const payloadOf = new Map(events((await drain(await connector.importFile(full))).items).map((e) => [e.source.recordId, e.payload]));
    // The design page's header list has no 记录ID; every fiftieth row has lost its ID number too.
    const without = HEADERS.filter((h) => h !== '记录ID');
    const idOf = (r: (typeof rows)[number], i: number) => (i % 50 === 0 ? '' : r.公民身份证号码);
    const path = join(dir, 'no-record-id.csv');
    await writeFile(path, csv(without, rows.map((r, i) => without.map((h) => (h === '公民身份证号码' ? idOf(r, i) : r[h])))));
    const got = await drain(await connector.importFile(path));
    const key = (recordId: string, payload: unknown) => JSON.stringify([recordId, payload]);
    const expected = rows.flatMap((r, i) => {
      const id = idOf(r, i).normalize('NFKC').replace(/\s+/gu, '').toUpperCase();
      return id !== '' && payloadOf.has(r.记录ID) ? [key(id, payloadOf.get(r.记录ID))] : [];
    });
    expect(events(got.items).map((e) => key(e.source.recordId, e.payload)).sort()).toEqual(expected.sort());
    const unnamed = invalids(got.items).filter((i) => i.rule === '公民身份证号码: required without a 记录ID column');
    expect(unnamed).toHaveLength(rows.filter((r, i) => idOf(r, i).trim() === '').length);
  });

  it('turns damaged rows into InvalidRecords and keeps the rest', async () => {
    const { rows: bad, broken } = damage(rows);
    const path = join(dir, 'damaged.csv');
    await writeFile(path, csv(HEADERS, bad.map((r) => HEADERS.map((h) => r[h]))));
    const got = await drain(await connector.importFile(path));
    const inv = invalids(got.items);
    expect(inv.map((i) => i.recordId).sort()).toEqual([...broken.keys()].sort());
    for (const i of inv) expect(i.rule.startsWith(`${broken.get(i.recordId)!.column}:`)).toBe(true);
    expect(events(got.items)).toHaveLength(rows.length - broken.size);
  });

  it('refuses a file without a required column, naming it', async () => {
    const without = HEADERS.filter((h) => h !== '公民身份证号码' && h !== '入党日期');
    const err = await refusal('no-id.csv', csv(without, rows.slice(0, 5).map((r) => without.map((h) => r[h]))));
    expect(err.column).toBe('公民身份证号码, 入党日期');
    expect(err.row).toBe(1);
  });

  it('names the file line of a GBK row that follows addresses typed over two lines', async () => {
    // One address broken as a spreadsheet cell breaks it (LF), one as a text editor does (CRLF).
    const body = rows.slice(0, 20).map((r, i) => HEADERS.map((h) => (h === '家庭住址' && (i === 1 || i === 3) ? `${r[h]}${i === 1 ? '\n' : '\r\n'}${r[h]}` : r[h])));
    const text = csv(HEADERS, body);
    const line = csv(body[5]!, []).slice(1);
    const at = text.indexOf(line);
    const err = await refusal('multi-line.csv', Buffer.concat([Buffer.from(text.slice(0, at)), toGbk(line), Buffer.from(text.slice(at + line.length))]));
    expect([err.row, err.column]).toEqual([text.slice(0, at).split('\n').length, '姓名']);
  });

  it('refuses a quote that is never closed at the row and column where it opens', async () => {
    const body = rows.slice(0, 20).map((r) => HEADERS.map((h) => r[h]));
    const text = csv(HEADERS, body);
    const last = csv(body.at(-1)!, []).slice(1);
    const address = body.at(-1)![HEADERS.indexOf('家庭住址')]!;
    const open = text.replace(last, last.replace(`,${address},`, `,"${address},`));
    expect(open).not.toBe(text);
    const err = await refusal('open-quote.csv', open);
    expect([err.row, err.column]).toEqual([text.split('\r\n').indexOf(last.slice(0, -2)) + 1, '家庭住址']);
    expect(err.message).toContain('never closed');
  });

  it('refuses a renamed CSV, a truncated workbook, an empty file, an empty sheet and a GBK CSV', async () => {
    const good = await readFile(join(dir, 'pop/member-system/members.xlsx'));
    const text = csv(HEADERS, rows.slice(0, 20).map((r) => HEADERS.map((h) => r[h])));
    expect((await refusal('renamed.xlsx', text)).message).toContain('zip');
    expect((await refusal('truncated.xlsx', good.subarray(0, Math.floor(good.length / 2)))).message).toContain('truncated');
    await refusal('zero.xlsx', Buffer.alloc(0));
    const emptySheet = join(dir, 'empty-sheet.xlsx');
    expect((await refusal('empty-sheet.xlsx', async () => {
      const wb = new ExcelJS.Workbook();
      wb.addWorksheet('党员信息');
      await wb.xlsx.writeFile(emptySheet);
    })).message).toContain('empty');
    const gbk = await refusal('gbk.csv', toGbk(text.slice(1)));
    expect([gbk.row, gbk.column]).toEqual([1, 'column 1']);
    expect(gbk.message).toContain('UTF-8');
    // One row pasted in from a GBK file: refused at that row, in its first Chinese column.
    const lines = text.split('\r\n');
    const mixed = Buffer.concat([Buffer.from(`${lines.slice(0, 5).join('\r\n')}\r\n`), toGbk(`${lines[5]}\r\n`), Buffer.from(lines.slice(6).join('\r\n'))]);
    const row = await refusal('mixed.csv', mixed);
    expect([row.row, row.column]).toEqual([6, '姓名']);
    const headerOnly = await refusal('header-only.csv', csv(HEADERS, []));
    expect([headerOnly.row, headerOnly.message]).toEqual([2, expect.stringContaining('no member rows')]);
  });
});
