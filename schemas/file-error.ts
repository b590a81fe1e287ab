// A file that cannot be read as a whole, and where exactly: for the person fixing it. Import
// files (connectors) and the declared org alias table (config) report the same way.
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
