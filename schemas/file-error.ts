// A file that cannot be read as a whole, and where exactly: for the person fixing it. Import
// files (connectors), the declared org alias table and the API token file (config) report the same way.
import { readFileSync } from 'node:fs';

export class FileLocationError extends Error {
  readonly file: string;
  readonly row: number | undefined;
  readonly column: string | undefined;
  constructor(file: string, message: string, where: { row?: number; column?: string } = {}) {
    const at = [where.row === undefined ? '' : `row ${where.row}`, where.column === undefined ? '' : `column ${where.column}`].filter(Boolean).join(', ');
    super(`${file}${at ? ` (${at})` : ''}: ${message}`);
    this.file = file;
    this.row = where.row;
    this.column = where.column;
  }
}

/** The file's text as UTF-8; a file that cannot be read throws `error` saying why (ENOENT, EACCES…). */
export function readFileText(file: string, error: new (file: string, message: string) => FileLocationError): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    throw new error(file, `cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
}

/**
 * `text` when it decoded as UTF-8; readFileSync puts U+FFFD where a byte was not, and a file saved
 * in GBK would otherwise be read as garbled names.
 */
export function utf8Only(text: string, file: string, error: new (file: string, message: string) => FileLocationError): string {
  if (text.includes('\uFFFD')) throw new error(file, 'not UTF-8 text (save it as UTF-8)');
  return text;
}
