// From a sheet's raw rows to header-keyed rows: finds the header row (exports put a title and a
// date line above it), matches headers after trimming, refuses a file that lacks required ones.
import { ImportFileError } from '../../contract.ts';
import { columnsByName } from '../../../schemas/header-columns.ts';
import { HEADER_ALIASES, HEADERS, REQUIRED_HEADERS, type Header, type NativeRow } from '../fields.ts';

export interface RawRow {
  /** 1-based row (line) number in the file, as a spreadsheet shows it. */
  readonly row: number;
  readonly cells: ReadonlyArray<string | number | boolean | null>;
}

export interface SheetRow {
  readonly row: number;
  readonly values: NativeRow;
}

/** Rows above the header we look through for it (title, export date, filters …). */
const HEADER_SEARCH_ROWS = 10;
/** Each header's names: the register's own first, then other templates' (fields.ts HEADER_ALIASES). */
const NAMES: Readonly<Record<Header, readonly string[]>> = (() => {
  const out = {} as Record<Header, readonly string[]>;
  for (const h of HEADERS) out[h] = [h, ...(HEADER_ALIASES[h] ?? [])];
  return out;
})();

function isBlank(cells: RawRow['cells']): boolean {
  return cells.every((c) => c === null || (typeof c === 'string' && c.trim() === ''));
}

export async function readSheet(file: string, rows: AsyncIterable<RawRow>, onRow?: (n: number) => void): Promise<SheetRow[]> {
  let columns: Array<string | null> | null = null;
  let headerRow = 0;
  let seen = 0;
  const out: SheetRow[] = [];
  for await (const raw of rows) {
    if (isBlank(raw.cells)) continue;
    seen++;
    if (columns === null) {
      const found = columnsByName(raw.cells.map((c) => (typeof c === 'string' ? c : '')), NAMES);
      if (found.size >= 3) {
        const missing = REQUIRED_HEADERS.filter((h) => !found.has(h));
        if (missing.length > 0) throw new ImportFileError(file, `missing required column(s): ${missing.join(', ')}`, { row: raw.row, column: missing.join(', ') });
        // Unknown headers are ignored.
        columns = raw.cells.map(() => null);
        for (const [h, i] of found) columns[i] = h;
        headerRow = raw.row;
      } else if (seen >= HEADER_SEARCH_ROWS) break;
      continue;
    }
    const values: Record<string, string | number | boolean | null> = {};
    columns.forEach((h, i) => {
      if (h !== null) values[h] = raw.cells[i] ?? null;
    });
    out.push({ row: raw.row, values });
    onRow?.(out.length);
  }
  if (seen === 0) throw new ImportFileError(file, 'the sheet is empty', { row: 1 });
  if (columns === null) throw new ImportFileError(file, `no header row in the first ${HEADER_SEARCH_ROWS} rows (expected ${REQUIRED_HEADERS.join(', ')})`, { row: 1 });
  if (out.length === 0) throw new ImportFileError(file, 'no member rows below the header', { row: headerRow + 1 });
  return out;
}
