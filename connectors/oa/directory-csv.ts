// The OA directory export (人员信息导出, as writePopulation writes it): UTF-8 with a BOM, CRLF,
// RFC 4180 quoting, a header row naming the columns (HrmResource names or their Chinese labels, in
// any order: directory-headers.ts). Parsed strictly and completely: any defect is an
// ImportFileError naming the row (1 = header) and column.
import { csvRecords, type CsvRecord } from '../../schemas/csv-records.ts';
import { ImportFileError } from '../contract.ts';
import { directoryColumns, type DirectoryHeader } from './directory-headers.ts';
import type { OaEmployee } from './protocol.ts';

export { DIRECTORY_HEADERS } from './directory-headers.ts';

/** Names a 0-based cell by the file's own header once it is read (`header`), else by its position. */
const columnNamer = (header: () => readonly string[] | null) => (cell: number): string => header()?.[cell]?.trim() || `#${cell + 1}`;

/** The export's records; each must end with the line break the OA tool writes after every row. */
function* rows(text: string, file: string, column: (cell: number) => string): Generator<CsvRecord> {
  for (const record of csvRecords(text, { file, error: ImportFileError, column, bareCr: true })) {
    // csv-parse takes both of these as a record's end; the OA tool writes neither. A last row without
    // a line break was cut off; a bare CR (let through as a line end so it shows here) was not written by it.
    if (record.ending === '') throw new ImportFileError(file, 'the last row does not end with a line break: the file is truncated', { row: record.row });
    if (record.ending === '\r') throw new ImportFileError(file, 'a bare carriage return inside a row', { row: record.row });
    yield record;
  }
}

/**
 * Which row and column hold the first byte that is not UTF-8: the records of the text decoded with
 * replacement characters, so a quoted cell holding commas or line breaks counts as one cell.
 */
function locateBadByte(bytes: Uint8Array, file: string): { row: number; column: string | undefined; atEnd: boolean } {
  const lossy = new TextDecoder('utf-8').decode(bytes);
  const atEnd = lossy.indexOf('\uFFFD') === lossy.length - 1;
  let header: string[] | null = null;
  const columnOf = columnNamer(() => header);
  try {
    for (const r of csvRecords(lossy, { file, error: ImportFileError, column: columnOf, bareCr: true })) {
      const cell = r.cells.findIndex((c) => c.includes('\uFFFD'));
      if (cell >= 0) return { row: r.row, column: columnOf(cell), atEnd };
      header ??= r.cells;
    }
  } catch (err) {
    // The bad bytes broke the quoting before their own cell: the row the tokeniser stopped at.
    if (err instanceof ImportFileError && err.row !== undefined) return { row: err.row, column: undefined, atEnd };
    throw err;
  }
  return { row: lossy.slice(0, lossy.indexOf('\uFFFD')).split('\n').length, column: undefined, atEnd };
}

/** A directory row as the connector maps it: the record id is the HRM id, or the login where the file has no id column. */
export type DirectoryEmployee = Omit<OaEmployee, 'id'> & { readonly id: number | string };

export function parseDirectoryCsv(bytes: Uint8Array, file: string): DirectoryEmployee[] {
  if (bytes.length === 0) throw new ImportFileError(file, 'the file is empty', { row: 1 });
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    const { row, column, atEnd } = locateBadByte(bytes, file);
    const why = atEnd ? 'the file ends inside a character: it is truncated' : 'not UTF-8 (an OA export is UTF-8 with a BOM; was it saved as GBK?)';
    throw new ImportFileError(file, why, column === undefined ? { row } : { row, column });
  }
  if (text.trim() === '') throw new ImportFileError(file, 'the file is empty', { row: 1 });
  let cellsOfHeader: string[] | null = null;
  const it = rows(text, file, columnNamer(() => cellsOfHeader));
  const header = it.next();
  if (header.done) throw new ImportFileError(file, 'the file is empty', { row: 1 });
  cellsOfHeader = header.value.cells;
  const columns = directoryColumns(header.value.cells, file);
  const width = header.value.cells.length;
  const out: DirectoryEmployee[] = [];
  for (const { row, cells } of it) {
    if (cells.length !== width) {
      const column = header.value.cells[Math.min(cells.length, width - 1)]?.trim() || `#${cells.length}`;
      throw new ImportFileError(file, `${cells.length} cells, expected ${width} as in the header`, { row, column });
    }
    const cell = (h: DirectoryHeader) => (columns.has(h) ? cells[columns.get(h)!]! : '');
    let id: number | string;
    if (columns.has('id')) {
      if (!/^[1-9]\d{0,11}$/.test(cell('id'))) throw new ImportFileError(file, `id must be a positive integer, found "${cell('id')}"`, { row, column: header.value.cells[columns.get('id')!]!.trim() });
      id = Number(cell('id'));
    } else {
      // Without the HRM id the login is the employee's key; a row without one cannot be told apart.
      id = cell('loginid').trim();
      if (id === '') throw new ImportFileError(file, 'loginid is empty, and the file has no id column to name the employee by', { row, column: header.value.cells[columns.get('loginid')!]!.trim() });
    }
    out.push({
      id, workcode: cell('workcode'), loginid: cell('loginid'), lastname: cell('lastname'), departmentname: cell('departmentname'),
      subcompanyname: cell('subcompanyname'), mobile: cell('mobile'), jobtitlename: cell('jobtitlename'), status: cell('status') as OaEmployee['status'],
    });
  }
  if (out.length === 0) throw new ImportFileError(file, 'the file has a header but no employees', { row: 2 });
  return out;
}
