// `yibiao export masters` on a drained seeded population (real Kafka + PostgreSQL), run in-process
// as the CLI runs it: the .xlsx read back with exceljs holds the zh-CN headers and exactly the
// CSV's rows, ID numbers as text; the keyset paging behind both reads every active master once.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../schemas/config.ts';
import { exportCommand } from '../../../services/cli/commands/export.ts';
import { openHub, type Hub } from '../../../services/hub/hub.ts';
import { drainReconciler, MEMBER_TOPIC } from '../../../services/reconciler/stream/consumer.ts';
import { MASTERS_SHEET } from '../../../services/reconciler/stream/masters-xlsx.ts';
import { messagesOf, populationEvents } from '../../../services/reconciler/stream/population-events.ts';
import { activeMasters, MASTER_COLUMNS, streamActiveMasters } from '../../../services/reconciler/stream/read-model.ts';
import { createTestDatabase, kafkaBrokers, uniqueName, type TestDatabase } from '../../support/isolation.ts';
import { testLogger } from '../../support/logger.ts';
import { publishWhenReady } from './publish-ready.ts';

const fx = populationEvents(150, 'export-masters-1');

/** RFC 4180: quoted fields may hold commas, quotes ("") and line breaks. */
function parseCsv(text: string): string[][] {
  const out: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  const endField = () => {
    row.push(field);
    field = '';
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') endField();
    else if (c === '\n') {
      endField();
      out.push(row);
      row = [];
    } else field += c;
  }
  if (field !== '' || row.length > 0) {
    endField();
    out.push(row);
  }
  return out;
}

describe('export masters as CSV and xlsx [kafka] [postgres]', () => {
  let tdb: TestDatabase;
  let hub: Hub;
  let dir = '';
  const saved: Record<string, string | undefined> = {};

  beforeAll(async () => {
    tdb = await createTestDatabase();
    const prefix = `${uniqueName('exp')}.`;
    hub = await openHub(loadConfig({ KAFKA_BROKERS: kafkaBrokers().join(','), DATABASE_URL: tdb.url, YIBIAO_TOPIC_PREFIX: prefix, LOG_LEVEL: 'warn' }), testLogger);
    await publishWhenReady(hub.bus, MEMBER_TOPIC, messagesOf(fx.events));
    await drainReconciler({ db: hub.database.db, bus: hub.bus, logger: testLogger, groupId: uniqueName('reconciler') });
    dir = await mkdtemp(join(tmpdir(), 'export-masters-'));
    // The CLI reads its configuration from the environment, as `yibiao export` does.
    const env = { DATABASE_URL: tdb.url, KAFKA_BROKERS: kafkaBrokers().join(','), YIBIAO_TOPIC_PREFIX: prefix, LOG_LEVEL: 'silent' };
    for (const [k, v] of Object.entries(env)) {
      saved[k] = process.env[k];
      process.env[k] = v;
    }
  }, 240_000);
  afterAll(async () => {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    await rm(dir, { recursive: true, force: true });
    await hub?.close();
    await tdb?.drop();
  });

  it('reads every active master once, a page at a time', async () => {
    const all = await activeMasters(hub.database.db);
    const paged = [];
    for await (const m of streamActiveMasters(hub.database.db, 7)) paged.push(m);
    expect(all.length).toBeGreaterThan(14);
    expect(paged).toEqual(all);
  });

  it('writes the same rows as the CSV into an .xlsx with zh-CN headers, ID numbers as text', async () => {
    const csvFile = join(dir, 'masters.csv');
    const xlsxFile = join(dir, 'masters.xlsx');
    expect(await exportCommand.run(['masters', '--out', csvFile])).toBe(0);
    expect(await exportCommand.run(['masters', '--format', 'xlsx', '--out', xlsxFile])).toBe(0);
    const csv = parseCsv(await readFile(csvFile, 'utf8'));
    expect(csv[0]).toEqual(MASTER_COLUMNS.map((c) => c.key));
    const masters = await activeMasters(hub.database.db);
    expect(csv.length - 1).toBe(masters.length);

    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(xlsxFile);
    const ws = wb.getWorksheet(MASTERS_SHEET);
    expect(ws).toBeDefined();
    const sheet: string[][] = [];
    const idColumn = MASTER_COLUMNS.findIndex((c) => c.key === 'idNumber') + 1;
    let textIds = 0;
    ws!.eachRow({ includeEmpty: true }, (row, n) => {
      sheet.push(MASTER_COLUMNS.map((_, c) => {
        const v = row.getCell(c + 1).value;
        return v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v);
      }));
      const id = row.getCell(idColumn).value;
      if (n > 1 && id !== null && id !== undefined) {
        expect(typeof id).toBe('string');
        textIds++;
      }
    });
    expect(sheet[0]).toEqual(MASTER_COLUMNS.map((c) => c.zh));
    expect(sheet[0]).toContain('公民身份证号码');
    expect(sheet.slice(1)).toEqual(csv.slice(1));
    expect(textIds).toBeGreaterThan(0);
  });

  it('refuses xlsx without --out and an unknown format (usage, exit 2)', async () => {
    expect(await exportCommand.run(['masters', '--format', 'xlsx'])).toBe(2);
    expect(await exportCommand.run(['masters', '--format', 'ods', '--out', join(dir, 'x')])).toBe(2);
    expect(await exportCommand.run(['lineage', '--format', 'xlsx', '--out', join(dir, 'x')])).toBe(2);
  });
});
