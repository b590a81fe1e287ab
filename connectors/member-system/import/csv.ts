// The member system's CSV export (UTF-8, often with a BOM). Older installs export GBK: decoded as
// UTF-8 its Chinese becomes U+FFFD, which we refuse with the row and column rather than publish
// mojibake names. Quoted fields may hold commas, quotes ("") and line breaks (addresses do).
import { readFile } from 'node:fs/promises';
import { csvRecords } from '../../../schemas/csv-records.ts';
import { ImportFileError } from '../../contract.ts';
import type { RawRow } from './sheet.ts';

export async function* readCsv(file: string): AsyncGenerator<RawRow> {
  const bytes = await readFile(file);
  if (bytes.length === 0) throw new ImportFileError(file, 'the file is empty');
  const text = new TextDecoder('utf-8', { ignoreBOM: false }).decode(bytes);
  let header: string[] | null = null;
  const column = (cell: number) => header?.[cell]?.trim() || `column ${cell + 1}`;
  // Read as leniently as this reader always has: CR, LF or CRLF line ends, and stray quotes kept as text.
  for (const { row, cells } of csvRecords(text, { file, error: ImportFileError, column, bareCr: true, lenientQuotes: true })) {
    const bad = cells.findIndex((c) => c.includes('\uFFFD'));
    if (bad >= 0) throw new ImportFileError(file, 'not UTF-8 text (GBK export?): re-export as UTF-8 CSV or .xlsx', { row, column: column(bad) });
    header ??= cells.some((c) => c.trim() === '姓名') ? cells : null;
    yield { row, cells };
  }
}
