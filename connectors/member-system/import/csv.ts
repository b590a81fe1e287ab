// The member system's CSV export (UTF-8, often with a BOM). Older installs export GBK: decoded as
// UTF-8 its Chinese becomes U+FFFD, which we refuse with the row and column rather than publish
// mojibake names. Quoted fields may hold commas, quotes ("") and line breaks (addresses do).
import { readFile } from 'node:fs/promises';
import { ImportFileError } from '../../contract.ts';
import type { RawRow } from './sheet.ts';

function* records(text: string): Generator<{ line: number; cells: string[] }> {
  let cells: string[] = [];
  let cell = '';
  let quoted = false;
  let line = 1;
  let start = 1;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else {
        if (ch === '\n') line++;
        cell += ch;
      }
    } else if (ch === '"' && cell === '') quoted = true;
    else if (ch === ',') {
      cells.push(cell);
      cell = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      cells.push(cell);
      yield { line: start, cells };
      cells = [];
      cell = '';
      start = ++line;
    } else cell += ch;
  }
  if (cell !== '' || cells.length > 0) yield { line: start, cells: [...cells, cell] };
}

export async function* readCsv(file: string): AsyncGenerator<RawRow> {
  const bytes = await readFile(file);
  if (bytes.length === 0) throw new ImportFileError(file, 'the file is empty');
  const text = new TextDecoder('utf-8', { ignoreBOM: false }).decode(bytes);
  let header: string[] | null = null;
  for (const { line, cells } of records(text)) {
    const bad = cells.findIndex((c) => c.includes('\uFFFD'));
    if (bad >= 0) {
      const column = header?.[bad]?.trim() || `column ${bad + 1}`;
      throw new ImportFileError(file, 'not UTF-8 text (GBK export?): re-export as UTF-8 CSV or .xlsx', { row: line, column });
    }
    header ??= cells.some((c) => c.trim() === '姓名') ? cells : null;
    yield { row: line, cells };
  }
}
