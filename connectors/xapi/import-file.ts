// The platform's native exports: an xAPI statement dump (a JSON array of statements, a
// StatementResult-like `{ "statements": [...] }`, or one statement a line) and the learner list
// export (a JSON array of learners, or one a line). The whole file is decoded and parsed before anything is yielded; a file that is not
// such an export is refused with the line and column (or element and key) where it goes wrong.
import { readFile } from 'node:fs/promises';
import { ImportFileError } from '../contract.ts';

export type ExportKind = 'statements' | 'learners';

export interface ParsedExport {
  readonly kind: ExportKind;
  readonly records: readonly unknown[];
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const STATEMENT_KEYS = ['id', 'actor', 'verb', 'object'] as const;
const LEARNER_KEYS = ['id', 'actor', 'registeredAt'] as const;

function lineColumn(text: string, offset: number): { row: number; column: string } {
  const before = text.slice(0, offset);
  const row = before.split('\n').length;
  return { row, column: String(offset - before.lastIndexOf('\n')) };
}

function decode(file: string, bytes: Buffer): string {
  if (bytes.length === 0) throw new ImportFileError(file, 'the file is empty', { row: 1 });
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    throw new ImportFileError(file, 'the file is UTF-16; export it as UTF-8', { row: 1, column: '1' });
  }
  const lossy = bytes.toString('utf8');
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    const at = lineColumn(lossy, lossy.indexOf('\uFFFD'));
    throw new ImportFileError(file, 'the file is not valid UTF-8 (GBK or another encoding?); export it as UTF-8', at);
  }
  const text = lossy.charCodeAt(0) === 0xfeff ? lossy.slice(1) : lossy;
  if (text.trim() === '') throw new ImportFileError(file, 'the file is empty', { row: 1 });
  return text;
}

function parse(file: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const lc = /line (\d+) column (\d+)/.exec(message);
    const pos = /position (\d+)/.exec(message);
    const where = lc ? { row: Number(lc[1]), column: lc[2]! } : pos ? lineColumn(text, Number(pos[1])) : lineColumn(text, text.trimEnd().length);
    throw new ImportFileError(file, `not valid JSON (broken or truncated): ${message}`, where);
  }
}

/**
 * One JSON object a line (NDJSON), as LRS bulk exports and scripts write statements: null when the
 * text is not laid out so. Each line is parsed on its own, so a broken one is named by its row; a
 * line holding a StatementResult page contributes its statements.
 */
function ndjson(file: string, text: string): unknown[] | null {
  const lines = text.split('\n').map((l, i) => ({ row: i + 1, line: l.trim() })).filter((l) => l.line !== '');
  if (lines.length < 2 || !lines.every(({ line }) => line.startsWith('{') && line.endsWith('}'))) return null;
  return lines.flatMap(({ row, line }) => {
    let j: unknown;
    try {
      j = JSON.parse(line);
    } catch (err) {
      throw new ImportFileError(file, `line ${row} is not valid JSON: ${err instanceof Error ? err.message : String(err)}`, { row });
    }
    return isObj(j) && Array.isArray(j.statements) ? (j.statements as unknown[]) : [j];
  });
}

function kindOf(file: string, first: unknown): ExportKind {
  if (!isObj(first)) throw new ImportFileError(file, 'element 1 is not a JSON object', { row: 1 });
  // A learner export row has registeredAt; anything else must be a statement.
  const kind: ExportKind = 'registeredAt' in first ? 'learners' : 'statements';
  const missing = (kind === 'learners' ? LEARNER_KEYS : STATEMENT_KEYS).find((k) => !(k in first));
  if (missing) throw new ImportFileError(file, `element 1 is not an xAPI ${kind === 'learners' ? 'learner' : 'statement'}: no "${missing}"`, { row: 1, column: missing });
  return kind;
}

export async function parseXapiExport(file: string): Promise<ParsedExport> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (err) {
    throw new ImportFileError(file, `cannot read the file: ${err instanceof Error ? err.message : String(err)}`);
  }
  const text = decode(file, bytes);
  // One JSON document as a rule; only text that is not one is looked at line by line.
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    doc = ndjson(file, text) ?? parse(file, text);
  }
  let records: unknown;
  if (Array.isArray(doc)) records = doc;
  else if (isObj(doc) && 'statements' in doc) records = doc.statements;
  else throw new ImportFileError(file, 'expected a JSON array of statements or learners, or an object with "statements"', { row: 1, column: 'statements' });
  if (!Array.isArray(records)) throw new ImportFileError(file, '"statements" is not an array', { row: 1, column: 'statements' });
  if (records.length === 0) throw new ImportFileError(file, 'the export holds no records', { row: 1 });
  const kind = kindOf(file, records[0]);
  const bad = records.findIndex((r) => !isObj(r));
  if (bad >= 0) throw new ImportFileError(file, `element ${bad + 1} is not a JSON object`, { row: bad + 1 });
  return { kind, records };
}
