// The small CSV tables the hub is configured with (declared org aliases, WeChat QR scenes): a
// header row naming the columns, then one entry a row (UTF-8, optional BOM, quotes as in RFC 4180).
// Read whole or refused with the file, row and column of the first problem.
import type { FileLocationError } from './file-error.ts';

type TableError = new (file: string, message: string, where?: { row?: number; column?: string }) => FileLocationError;

/** RFC 4180 fields of one line; null when a quote is left open. */
function splitLine(line: string): string[] | null {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cur += c;
    } else if (c === '"' && cur === '') quoted = true;
    else if (c === ',') {
      out.push(cur);
      cur = '';
    } else cur += c;
  }
  if (quoted) return null;
  out.push(cur);
  return out;
}

/** The table's rows after the header, each with its 1-based row in the file (the header is row 1) and its trimmed cells. */
export function csvTableRows(text: string, file: string, header: readonly string[], error: TableError): Array<{ row: number; cells: string[] }> {
  if (text.includes('\uFFFD')) throw new error(file, 'not UTF-8 text (save it as UTF-8)');
  const lines = text.replace(/^\uFEFF/u, '').split(/\r?\n/u);
  while (lines.length > 0 && lines.at(-1)!.trim() === '') lines.pop();
  if (lines.length === 0) throw new error(file, `empty; expected the header ${header.join(',')}`, { row: 1 });
  const got = splitLine(lines[0]!)?.map((h) => h.trim());
  for (const [i, want] of header.entries()) {
    if (got?.[i] !== want) throw new error(file, `the header must be ${header.join(',')} (got ${JSON.stringify(lines[0])})`, { row: 1, column: want });
  }
  const out: Array<{ row: number; cells: string[] }> = [];
  for (let i = 1; i < lines.length; i++) {
    const row = i + 1;
    if (lines[i]!.trim() === '') continue;
    const cells = splitLine(lines[i]!);
    if (cells === null) throw new error(file, 'a quoted field is not closed', { row });
    if (cells.length !== header.length) {
      throw new error(file, `expected ${header.length} fields (${header.join(',')}), got ${cells.length}`, { row, column: cells.length > header.length ? header.at(-1)! : header[0]! });
    }
    out.push({ row, cells: cells.map((c) => c.trim()) });
  }
  return out;
}
