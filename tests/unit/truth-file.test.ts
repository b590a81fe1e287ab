// `yibiao eval --truth` reads the truth datagen writes and the layouts a truth from elsewhere comes
// in (CSV, snake_case keys, numeric ids, a blank person); a bad file is refused with row and field.
import { writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cachedPopulation } from '../../connectors/population/index.ts';
import { readTruthFile, TruthFileError } from '../../services/reconciler/truth-file.ts';
import { configFiles } from '../support/config-file.ts';
import { thrown } from '../support/thrown.ts';

const { file } = configFiles('yibiao-truth-');
const pop = cachedPopulation(300, 'truth-file');
const truth = pop.truth.records.map((t) => ({ system: t.system, id: t.id, personId: t.personId }));
const quote = (v: string | null) => (v === null ? '' : /[",\s]/u.test(v) ? `"${v.replaceAll('"', '""')}"` : v);

const refusal = (path: string) => thrown(() => readTruthFile(path), TruthFileError);

describe('truth file', () => {
  it('reads the truth.ndjson datagen writes, extra fields and all', () => {
    const text = pop.truth.records.map((r) => JSON.stringify(r)).join('\n');
    expect(readTruthFile(file('truth.ndjson', `${text}\n`))).toEqual(truth);
  });

  it('reads a CSV with its own column names and order, a BOM, CRLF and blank persons', () => {
    // Every tenth record nobody's (an outsider's account, say).
    const expected = truth.map((t, i) => (i % 10 === 0 ? { ...t, personId: null } : t));
    const rows = expected.map((t) => [quote(t.personId), 'x', quote(t.system), quote(t.id)].join(','));
    const path = file('truth.csv', `\uFEFFPerson_ID,note,Source System,source_record_id\r\n${rows.join('\r\n')}\r\n`);
    expect(readTruthFile(path)).toEqual(expected);
  });

  it('reads snake_case keys and integer ids as the text the lineage export writes', () => {
    const numeric = truth.map((t, i) => ({ ...t, id: String(100_000 + i) }));
    const text = numeric.map((t) => JSON.stringify({ source_system: t.system, record_id: Number(t.id), entity_id: t.personId })).join('\r\n');
    expect(readTruthFile(file('snake.ndjson', text))).toEqual(numeric);
  });

  it('takes each field from its most specific key: system before a nested source object', () => {
    const text = truth.map((t) => JSON.stringify({ source: { system: t.system, recordId: t.id }, ...t })).join('\n');
    expect(readTruthFile(file('nested.ndjson', text))).toEqual(truth);
  });

  it('keeps a record given twice alike once, and refuses one given to two persons', () => {
    const lines = truth.map((t) => JSON.stringify(t));
    expect(readTruthFile(file('twice.ndjson', [...lines, lines[0]!].join('\n')))).toEqual(truth);
    const other = truth.find((t) => t.personId !== null && t.personId !== truth[0]!.personId)!;
    const err = refusal(file('conflict.ndjson', [...lines, JSON.stringify({ ...truth[0]!, personId: other.personId })].join('\n')));
    expect(err.row).toBe(lines.length + 1);
    expect(err.message).toContain('(row 1)');
  });

  it.each([
    ['a header without a person column', (l: string[]) => ['system,id,name', ...l.slice(1)], 1, undefined, /person_?id|personid/iu],
    ['an empty system', (l: string[]) => l.map((x, i) => (i === 7 ? x.replace(/^[^,]*/u, '') : x)), 8, 'system', /empty/u],
    ['an unclosed quote', (l: string[]) => l.map((x, i) => (i === 5 ? `"${x}` : x)), 6, undefined, /never closed/u],
  ] as const)('refuses a CSV with %s, naming the row', (_what, edit, row, column, message) => {
    const lines = ['system,id,personId', ...truth.map((t) => [t.system, t.id, t.personId ?? ''].join(','))];
    const err = refusal(file('bad.csv', edit(lines).join('\n')));
    expect(err.row).toBe(row);
    if (column !== undefined) expect(err.column).toBe(column);
    expect(err.message).toMatch(message);
  });

  it('refuses a broken JSON line, a non-string id, non-UTF-8 bytes and an empty file, each with where', () => {
    const lines = truth.map((t) => JSON.stringify(t));
    const broken = refusal(file('broken.ndjson', lines.map((l, i) => (i === 9 ? l.slice(0, -3) : l)).join('\n')));
    expect(broken.row).toBe(10);
    const typed = refusal(file('typed.ndjson', lines.map((l, i) => (i === 3 ? JSON.stringify({ ...truth[3]!, id: { n: 1 } }) : l)).join('\n')));
    expect([typed.row, typed.column]).toEqual([4, 'id']);
    const gbk = file('gbk.csv', '');
    writeFileSync(gbk, Buffer.concat([Buffer.from('system,id,personId\nmember-system,1,'), Buffer.from([0xcd, 0xf5]), Buffer.from('\n')]));
    expect((refusal(gbk)).message).toMatch(/UTF-8/u);
    expect((refusal(file('empty.csv', '\n\n'))).message).toMatch(/empty/u);
  });
});
