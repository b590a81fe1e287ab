// The small CSV tables the hub is configured with (declared org aliases, WeChat QR scenes): a
// header row naming the columns, then one entry a row (UTF-8, optional BOM, quotes as in RFC 4180).
// Read whole or refused with the file, row and column of the first problem.
import { csvRecords, type LocatedErrorClass } from './csv-records.ts';
import { utf8Only } from './file-error.ts';

const isBlank = (cells: readonly string[]) => cells.length === 1 && cells[0]!.trim() === '';

/** The table's rows after the header, each with its 1-based row in the file (the header is row 1) and its trimmed cells. */
export function csvTableRows(text: string, file: string, header: readonly string[], error: LocatedErrorClass): Array<{ row: number; cells: string[] }> {
  utf8Only(text, file, error);
  if (text.replace(/^\uFEFF/u, '').trim() === '') throw new error(file, `empty; expected the header ${header.join(',')}`, { row: 1 });
  // Stray quotes stay text, as they always have in these hand-edited files.
  const records = csvRecords(text, { file, error, column: (cell) => header[cell], lenientQuotes: true });
  const first = records.next();
  const got = first.done ? [] : first.value.cells.map((h) => h.trim());
  // The message quotes the header line as typed, so a person sees their own text.
  const typed = () => JSON.stringify(text.replace(/^\uFEFF/u, '').split(/\r?\n/u, 1)[0]);
  for (const [i, want] of header.entries()) {
    if (got[i] !== want) throw new error(file, `the header must be ${header.join(',')} (got ${typed()})`, { row: 1, column: want });
  }
  const out: Array<{ row: number; cells: string[] }> = [];
  for (const { row, cells } of records) {
    if (isBlank(cells)) continue;
    // One entry a line: a quoted field that runs on over a line break is a quote left open by mistake,
    // refused as it was when these tables were split into lines before their fields.
    if (cells.some((c) => c.includes('\n'))) throw new error(file, 'a quoted field is not closed', { row });
    if (cells.length !== header.length) {
      throw new error(file, `expected ${header.length} fields (${header.join(',')}), got ${cells.length}`, { row, column: cells.length > header.length ? header.at(-1)! : header[0]! });
    }
    out.push({ row, cells: cells.map((c) => c.trim()) });
  }
  return out;
}
