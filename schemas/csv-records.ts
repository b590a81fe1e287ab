// The records of a whole CSV text (RFC 4180), tokenised by csv-parse, each with the 1-based line it
// starts on: the row a person finds in an editor, also after a quoted cell that holds line breaks.
// A tokenising error becomes the caller's located error, at the row where the broken record starts.
// Shared by the CSV readers of the member-system and OA imports and of the config tables.
import { CsvError, parse } from 'csv-parse/sync';
import type { FileLocationError } from './file-error.ts';

export type LocatedErrorClass = new (file: string, message: string, where?: { row?: number; column?: string }) => FileLocationError;

/** How a record's line ended: '' when the text ends without a line break. */
type LineEnding = '\r\n' | '\n' | '\r' | '';

export interface CsvRecord {
  /** 1-based line the record starts on. */
  readonly row: number;
  readonly cells: string[];
  readonly ending: LineEnding;
}

interface CsvSource {
  /** Names the file in errors. */
  readonly file: string;
  readonly error: LocatedErrorClass;
  /** The column an error names for the 0-based cell it stopped in. */
  readonly column: (cell: number) => string | undefined;
  /** A bare CR also ends a record (old Mac line ends); otherwise it is text in its cell. */
  readonly bareCr?: boolean;
  /** Quotes RFC 4180 forbids (inside an unquoted cell, text after a closing quote) are kept as text instead of refused. */
  readonly lenientQuotes?: boolean;
}

// Our words for the tokenising errors the options below can raise; any other code keeps csv-parse's message.
const REASONS: Partial<Record<CsvError['code'], string>> = {
  CSV_QUOTE_NOT_CLOSED: 'a quoted cell is never closed: the file is truncated or broken',
  CSV_INVALID_CLOSING_QUOTE: 'text after a closing quote',
  INVALID_OPENING_QUOTE: 'a quote inside an unquoted cell (quote the whole cell and double its quotes)',
};

const LF = 0x0a;
const CR = 0x0d;

function endingBefore(bytes: Buffer, end: number, bareCr: boolean): LineEnding {
  if (bytes[end - 1] === LF) return bytes[end - 2] === CR ? '\r\n' : '\n';
  return bareCr && bytes[end - 1] === CR ? '\r' : '';
}

function countLf(bytes: Buffer, from: number, to: number): number {
  let n = 0;
  for (let i = bytes.indexOf(LF, from); i !== -1 && i < to; i = bytes.indexOf(LF, i + 1)) n++;
  return n;
}

/**
 * Yields every record in order, then throws the located error of the first tokenising problem, if
 * any: a caller's own checks on the records before it keep their precedence, as when it read
 * record by record. Records of any cell count come out; each caller checks its own shape.
 */
export function* csvRecords(text: string, source: CsvSource): Generator<CsvRecord, void, undefined> {
  const bytes = Buffer.from(text, 'utf8');
  const bareCr = source.bareCr ?? false;
  const records: CsvRecord[] = [];
  // Lines are counted from byte offsets rather than csv-parse's info.lines, which counts a CRLF
  // inside a quoted cell as two lines. A line is an LF, or a bare CR where that ends a record.
  let start = 0;
  let row = 1;
  let failure: { err: CsvError; row: number } | undefined;
  try {
    parse(bytes, {
      bom: true,
      record_delimiter: bareCr ? ['\r\n', '\n', '\r'] : ['\r\n', '\n'],
      relax_column_count: true,
      relax_quotes: source.lenientQuotes ?? false,
      on_record: (cells: string[], info) => {
        const ending = endingBefore(bytes, info.bytes, bareCr);
        records.push({ row, cells, ending });
        row += countLf(bytes, start, info.bytes) + (ending === '\r' ? 1 : 0);
        start = info.bytes;
        return null;
      },
    });
  } catch (err) {
    if (!(err instanceof CsvError)) throw err;
    failure = { err, row };
  }
  yield* records;
  if (!failure) return;
  // Named only now: the caller may learn its column names from the records before (a header row).
  const { err, row: at } = failure;
  const cell = typeof err['column'] === 'number' ? source.column(err['column']) : undefined;
  throw new source.error(source.file, REASONS[err.code] ?? err.message, { row: at, column: cell });
}
