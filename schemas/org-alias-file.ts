// The declared org alias file: a CSV with the header `alias,org_code`, one alias a row (UTF-8,
// optional BOM, quotes as in RFC 4180). Parsed whole or refused with the file, row and column
// of the first problem, so a typo in the file stops start-up instead of silently resolving wrong.
import { csvTableRows } from './csv-table.ts';
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

/** Parses alias file text; `file` only names it in errors. */
export function parseAliasCsv(text: string, file: string): DeclaredAlias[] {
  const out: DeclaredAlias[] = [];
  const seen = new Map<string, DeclaredAlias>();
  for (const { row, cells } of csvTableRows(text, file, ALIAS_FILE_HEADER, AliasFileError)) {
    const [alias, code] = cells as [string, string];
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
