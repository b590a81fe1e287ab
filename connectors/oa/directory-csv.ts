// The OA directory export (人员信息导出, as writePopulation writes it): UTF-8 with a BOM, CRLF,
// RFC 4180 quoting, a header row of HrmResource column names. Parsed strictly and completely:
// any defect is an ImportFileError naming the row (1 = header) and column.
import { csvRecords, type CsvRecord } from '../../schemas/csv-records.ts';
import { ImportFileError } from '../contract.ts';
import type { OaEmployee } from './protocol.ts';

export const DIRECTORY_HEADERS = [
  'id', 'workcode', 'loginid', 'lastname', 'departmentname', 'subcompanyname', 'mobile', 'jobtitlename', 'status',
] as const satisfies ReadonlyArray<keyof OaEmployee>;

const columnOf = (cell: number): string => DIRECTORY_HEADERS[cell] ?? `#${cell + 1}`;

/** The export's records; each must end with the line break the OA tool writes after every row. */
function* rows(text: string, file: string): Generator<CsvRecord> {
  for (const record of csvRecords(text, { file, error: ImportFileError, column: columnOf, bareCr: true })) {
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
  try {
    for (const r of csvRecords(lossy, { file, error: ImportFileError, column: columnOf, bareCr: true })) {
      const cell = r.cells.findIndex((c) => c.includes('\uFFFD'));
      if (cell >= 0) return { row: r.row, column: columnOf(cell), atEnd };
    }
  } catch (err) {
    // The bad bytes broke the quoting before their own cell: the row the tokeniser stopped at.
    if (err instanceof ImportFileError && err.row !== undefined) return { row: err.row, column: undefined, atEnd };
    throw err;
  }
  return { row: lossy.slice(0, lossy.indexOf('\uFFFD')).split('\n').length, column: undefined, atEnd };
}

export function parseDirectoryCsv(bytes: Uint8Array, file: string): OaEmployee[] {
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
  const it = rows(text, file);
  const header = it.next();
  if (header.done) throw new ImportFileError(file, 'the file is empty', { row: 1 });
  DIRECTORY_HEADERS.forEach((h, c) => {
    const got = header.value.cells[c];
    if (got !== h) throw new ImportFileError(file, `header ${c + 1} must be "${h}", found ${got === undefined ? 'nothing' : `"${got}"`}`, { row: 1, column: h });
  });
  if (header.value.cells.length !== DIRECTORY_HEADERS.length) {
    throw new ImportFileError(file, `${header.value.cells.length} headers, expected ${DIRECTORY_HEADERS.length}`, { row: 1, column: `#${DIRECTORY_HEADERS.length + 1}` });
  }
  const out: OaEmployee[] = [];
  for (const { row, cells } of it) {
    if (cells.length !== DIRECTORY_HEADERS.length) {
      const column = DIRECTORY_HEADERS[cells.length] ?? `#${cells.length}`;
      throw new ImportFileError(file, `${cells.length} cells, expected ${DIRECTORY_HEADERS.length}`, { row, column });
    }
    const [id, workcode, loginid, lastname, departmentname, subcompanyname, mobile, jobtitlename, status] = cells as [string, string, string, string, string, string, string, string, string];
    if (!/^[1-9]\d{0,11}$/.test(id)) throw new ImportFileError(file, `id must be a positive integer, found "${id}"`, { row, column: 'id' });
    out.push({ id: Number(id), workcode, loginid, lastname, departmentname, subcompanyname, mobile, jobtitlename, status: status as OaEmployee['status'] });
  }
  if (out.length === 0) throw new ImportFileError(file, 'the file has a header but no employees', { row: 2 });
  return out;
}
