// The declared org alias file: a CSV with the header `alias,org_code`, one alias a row (UTF-8,
// optional BOM, quotes as in RFC 4180). Parsed whole or refused with the file, row and column
// of the first problem, so a typo in the file stops start-up instead of silently resolving wrong.
import { orgCode } from './events/envelope.ts';
import { FileLocationError, readFileText } from './file-error.ts';

export interface DeclaredAlias {
  readonly alias: string;
  readonly code: string;
  /** 1-based row in the file (the header is row 1). */
  readonly row: number;
}

export const ALIAS_FILE_HEADER = ['alias', 'org_code'] as const;

export class AliasFileError extends FileLocationError {
  override readonly name = 'AliasFileError';
}

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

/** Parses alias file text; `file` only names it in errors. */
export function parseAliasCsv(text: string, file: string): DeclaredAlias[] {
  if (text.includes('\uFFFD')) throw new AliasFileError(file, 'not UTF-8 text (save it as UTF-8)');
  const lines = text.replace(/^\uFEFF/u, '').split(/\r?\n/u);
  while (lines.length > 0 && lines.at(-1)!.trim() === '') lines.pop();
  if (lines.length === 0) throw new AliasFileError(file, `empty; expected the header ${ALIAS_FILE_HEADER.join(',')}`, { row: 1 });
  const header = splitLine(lines[0]!)?.map((h) => h.trim());
  for (const [i, want] of ALIAS_FILE_HEADER.entries()) {
    if (header?.[i] !== want) throw new AliasFileError(file, `the header must be ${ALIAS_FILE_HEADER.join(',')} (got ${JSON.stringify(lines[0])})`, { row: 1, column: want });
  }
  const out: DeclaredAlias[] = [];
  const seen = new Map<string, DeclaredAlias>();
  for (let i = 1; i < lines.length; i++) {
    const row = i + 1;
    if (lines[i]!.trim() === '') continue;
    const cells = splitLine(lines[i]!);
    if (cells === null) throw new AliasFileError(file, 'a quoted field is not closed', { row });
    if (cells.length !== 2) throw new AliasFileError(file, `expected 2 fields (alias,org_code), got ${cells.length}`, { row, column: cells.length > 2 ? 'org_code' : 'alias' });
    const alias = cells[0]!.trim();
    const code = cells[1]!.trim();
    if (alias === '') throw new AliasFileError(file, 'required', { row, column: 'alias' });
    if (alias.length > 200) throw new AliasFileError(file, 'at most 200 characters', { row, column: 'alias' });
    const checked = orgCode.safeParse(code);
    if (!checked.success) throw new AliasFileError(file, `${JSON.stringify(code)} is not an org code (${checked.error.issues[0]?.message ?? 'invalid'})`, { row, column: 'org_code' });
    const before = seen.get(alias);
    if (before && before.code !== code) throw new AliasFileError(file, `alias ${JSON.stringify(alias)} already maps to ${before.code} on row ${before.row}`, { row, column: 'alias' });
    const entry = { alias, code, row };
    if (!before) out.push(entry);
    seen.set(alias, entry);
  }
  return out;
}

export function readAliasFile(file: string): DeclaredAlias[] {
  return parseAliasCsv(readFileText(file, AliasFileError), file);
}
