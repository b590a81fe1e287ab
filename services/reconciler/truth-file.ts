// The truth file `yibiao eval --truth` scores against: which real person each source record is.
// `yibiao datagen` writes NDJSON lines {system, id, personId}; a truth from elsewhere (an
// independent generator, a steward's hand-checked sample) is as likely a CSV or snake_case keys,
// numeric ids, a blank person for someone who is nobody's record. Both layouts are read, with the
// usual names for each field; anything else is refused with the row and the field.
import { csvRecords } from '../../schemas/csv-records.ts';
import { FileLocationError, readFileText, utf8Only } from '../../schemas/file-error.ts';
import { columnsByName } from '../../schemas/header-columns.ts';
import type { TruthRecord } from './stream/read-model.ts';

export class TruthFileError extends FileLocationError {
  override readonly name = 'TruthFileError';
}

type Field = keyof TruthRecord;

/** Accepted names per field, most specific first (compared as schemas/header-columns.ts does). */
const NAMES: Record<Field, readonly string[]> = {
  system: ['system', 'source_system', 'source'],
  id: ['id', 'record_id', 'source_record_id', 'source_id'],
  personId: ['person_id', 'person', 'entity_id', 'cluster_id', 'truth_id', 'true_id'],
};
const FIELDS = Object.keys(NAMES) as Field[];

/** A cell or JSON value as the field's text: strings trimmed, integers as written; undefined when it is neither. */
function text(v: unknown): string | null | undefined {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string') return v.trim() === '' ? null : v.trim();
  if (typeof v === 'number' && Number.isSafeInteger(v)) return String(v);
  return undefined;
}

function record(file: string, row: number, get: (f: Field) => unknown, column: (f: Field) => string): TruthRecord {
  const out: Partial<Record<Field, string | null>> = {};
  for (const f of FIELDS) {
    const v = text(get(f));
    if (v === undefined) throw new TruthFileError(file, `${column(f)} must be a string or an integer`, { row, column: column(f) });
    if (v === null && f !== 'personId') throw new TruthFileError(file, `${column(f)} is empty (every line names its record's system and id)`, { row, column: column(f) });
    out[f] = v;
  }
  return out as TruthRecord;
}

function* ndjson(file: string, content: string): Generator<[number, TruthRecord]> {
  const lines = content.split(/\r?\n/u);
  // Lines of one file nearly always have the same keys: each key list is matched to fields once.
  const keysOf = new Map<string, Map<Field, string>>();
  for (const [i, line] of lines.entries()) {
    if (line.trim() === '') continue;
    let j: unknown;
    try {
      j = JSON.parse(line);
    } catch (err) {
      throw new TruthFileError(file, `not a JSON object (${(err as Error).message})`, { row: i + 1 });
    }
    if (typeof j !== 'object' || j === null || Array.isArray(j)) throw new TruthFileError(file, 'not a JSON object', { row: i + 1 });
    // Per field the key of its most specific name (system before a nested 'source' object).
    const names = Object.keys(j);
    const signature = names.join('\u0000');
    let keys = keysOf.get(signature);
    if (keys === undefined) {
      keys = new Map([...columnsByName(names, NAMES)].map(([f, c]) => [f, names[c]!]));
      keysOf.set(signature, keys);
    }
    const found = keys;
    yield [i + 1, record(file, i + 1, (f) => (found.has(f) ? (j as Record<string, unknown>)[found.get(f)!] : undefined), (f) => found.get(f) ?? f)];
  }
}

function* csv(file: string, content: string): Generator<[number, TruthRecord]> {
  let columns: Map<Field, number> | null = null;
  let header: string[] = [];
  for (const { row, cells } of csvRecords(content, { file, error: TruthFileError, column: (c) => header[c] })) {
    if (cells.every((c) => c.trim() === '')) continue;
    if (columns === null) {
      header = cells.map((c) => c.trim());
      columns = columnsByName(header, NAMES);
      const missing = FIELDS.filter((f) => !columns!.has(f));
      if (missing.length > 0) {
        throw new TruthFileError(file, `the header needs columns for ${missing.map((f) => `${f} (${NAMES[f].join(', ')})`).join('; ')}; found ${header.join(', ')}`, { row });
      }
      continue;
    }
    const cols = columns;
    yield [row, record(file, row, (f) => cells[cols.get(f)!] ?? null, (f) => header[cols.get(f)!]!)];
  }
  if (columns === null) throw new TruthFileError(file, 'the file is empty', { row: 1 });
}

/** Every record of the truth file: NDJSON when its first character opens an object, else CSV with a header row. */
export function readTruthFile(file: string): TruthRecord[] {
  const content = utf8Only(readFileText(file, TruthFileError), file, TruthFileError).replace(/^\uFEFF/u, '');
  const out: TruthRecord[] = [];
  const rowOf = new Map<string, { row: number; personId: string | null }>();
  const records = content.trimStart().startsWith('{') ? ndjson(file, content) : csv(file, content);
  for (const [row, r] of records) {
    // The same record twice is harmless when both lines agree; two persons for it is no truth.
    const key = `${r.system}\u0000${r.id}`;
    const had = rowOf.get(key);
    if (had !== undefined) {
      if (had.personId !== r.personId) throw new TruthFileError(file, `${r.system} ${r.id} is given to ${had.personId ?? 'nobody'} (row ${had.row}) and to ${r.personId ?? 'nobody'}`, { row });
      continue;
    }
    rowOf.set(key, { row, personId: r.personId });
    out.push(r);
  }
  if (out.length === 0) throw new TruthFileError(file, 'no records in the file');
  return out;
}
