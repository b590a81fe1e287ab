// Reads the first worksheet of an .xlsx with exceljs's streaming reader (exports run to hundreds
// of thousands of rows). The archive is checked first: exceljs streams local zip entries and
// would otherwise hand over the rows of a truncated file before noticing it ends early.
import { open } from 'node:fs/promises';
import type ExcelJS from 'exceljs';
import { ImportFileError } from '../../contract.ts';
import type { RawRow } from './sheet.ts';
import { utf8SafeWorkbookReader } from './utf8-safe-reader.ts';

const LOCAL_HEADER = 0x04034b50;
const END_OF_CENTRAL_DIRECTORY = 0x06054b50;

async function checkZip(file: string): Promise<void> {
  const fh = await open(file, 'r');
  try {
    const { size } = await fh.stat();
    if (size === 0) throw new ImportFileError(file, 'the file is empty');
    const head = Buffer.alloc(4);
    await fh.read(head, 0, 4, 0);
    if (size < 22 || head.readUInt32LE(0) !== LOCAL_HEADER) throw new ImportFileError(file, 'not an .xlsx workbook (no zip signature): was a CSV or an old .xls renamed?');
    const tailLength = Math.min(size, 22 + 0xffff);
    const tail = Buffer.alloc(tailLength);
    await fh.read(tail, 0, tailLength, size - tailLength);
    for (let i = tailLength - 22; i >= 0; i--) if (tail.readUInt32LE(i) === END_OF_CENTRAL_DIRECTORY) return;
    throw new ImportFileError(file, 'the .xlsx archive is truncated or damaged (no end of central directory)');
  } finally {
    await fh.close();
  }
}

/** A cell as text or number: rich text joined, formulas by their result, date cells as ISO days. */
export function cellValue(v: ExcelJS.CellValue): string | number | boolean | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? null : v.toISOString().replace(/T00:00:00\.000Z$/u, '').replace('T', ' ').replace(/\.\d{3}Z$/u, '');
  if ('richText' in v) return v.richText.map((t) => t.text).join('');
  if ('result' in v) return cellValue(v.result ?? null);
  if ('text' in v && typeof v.text === 'string') return v.text;
  if ('error' in v) return null;
  return null;
}

export async function* readXlsx(file: string): AsyncGenerator<RawRow> {
  await checkZip(file);
  const reader = utf8SafeWorkbookReader(file, { sharedStrings: 'cache', styles: 'cache', hyperlinks: 'ignore', worksheets: 'emit', entries: 'emit' });
  try {
    for await (const sheet of reader) {
      for await (const row of sheet) {
        const values = Array.isArray(row.values) ? row.values.slice(1) : [];
        yield { row: row.number, cells: values.map((v) => cellValue(v ?? null)) };
      }
      // The export has one sheet of data; later sheets (notes, dictionaries) are not members.
      return;
    }
  } catch (err) {
    if (err instanceof ImportFileError) throw err;
    throw new ImportFileError(file, `cannot read the workbook: ${err instanceof Error ? err.message : String(err)}`);
  }
}
