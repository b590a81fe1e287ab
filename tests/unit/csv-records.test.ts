// csvRecords: every record carries the line it starts on, also after cells that hold line breaks
// (LF, CRLF) and records ended by CRLF, LF or a bare CR; a tokenising error names the row where
// the broken record starts and its column. Built from a seeded population's org names.
import { describe, expect, it } from 'vitest';
import { cachedPopulation } from '../../connectors/population/index.ts';
import { FileLocationError } from '../../schemas/file-error.ts';
import { csvRecords } from '../../schemas/csv-records.ts';
import { thrown } from '../support/thrown.ts';

const pop = cachedPopulation(300, 'csv-records');
const COLUMNS = ['name', 'alias'] as const;
const IN_CELL = ['\n', '\r\n'] as const;
const ENDS = ['\r\n', '\n', '\r'] as const;
const quote = (v: string) => `"${v.replaceAll('"', '""')}"`;

/** The line a record appended to `text` starts on: one past the line ends (CRLF, LF, bare CR) in it. */
const nextLine = (text: string) => text.split(/\r\n|\n|\r/u).length;

/** The orgs as a CSV text, every third name over two lines; each record's expected start line from the text before it. */
function table(): { text: string; want: Array<{ row: number; cells: string[]; ending: string }> } {
  let text = '';
  const want: Array<{ row: number; cells: string[]; ending: string }> = [];
  pop.orgs.forEach((o, i) => {
    const name = i % 3 === 0 ? `${o.names.oa}${IN_CELL[i % 2]!}${o.names['member-system']}` : o.names.oa;
    const ending = ENDS[i % ENDS.length]!;
    want.push({ row: nextLine(text), cells: [name, o.alias], ending });
    text += `${quote(name)},${quote(o.alias)}${ending}`;
  });
  return { text, want };
}

const source = { file: 'orgs.csv', error: FileLocationError, column: (cell: number) => COLUMNS[cell], bareCr: true };

const refusal = (text: string, options: { lenientQuotes?: boolean } = {}) => thrown(() => Array.from(csvRecords(text, { ...source, ...options })), FileLocationError);

describe('csvRecords', () => {
  it('gives each record its cells, its start line and its line end, across quoted line breaks', () => {
    const { text, want } = table();
    expect(want.some((w) => w.cells[0]!.includes('\r\n'))).toBe(true);
    expect([...csvRecords(text, source)]).toEqual(want);
    expect([...csvRecords(`\uFEFF${text}`, source)]).toEqual(want);
  });

  it('names the start line and column of a quote left open after multi-line records', () => {
    const { text } = table();
    const org = pop.orgs[0]!;
    const err = refusal(`${text}${quote(org.names.oa)},"${org.alias}\r\n`);
    expect([err.row, err.column]).toEqual([nextLine(text), 'alias']);
    expect(err.message).toMatch(/never closed/u);
  });

  it('refuses text after a closing quote unless quotes are lenient, then keeps it as text', () => {
    const { text } = table();
    const org = pop.orgs[1]!;
    const broken = `${text}${quote(org.names.oa)}x,${org.alias}\n`;
    const err = refusal(broken);
    expect([err.row, err.column]).toEqual([nextLine(text), 'name']);
    expect([...csvRecords(broken, { ...source, lenientQuotes: true })].at(-1)?.cells).toEqual([`${quote(org.names.oa)}x`, org.alias]);
  });

  it('refuses a quote inside an unquoted cell unless quotes are lenient', () => {
    const org = pop.orgs[2]!;
    const text = `${org.names.oa},${org.alias}\n${org.names.oa}"x,${org.alias}\n`;
    expect([refusal(text).row, refusal(text).column]).toEqual([2, 'name']);
    expect([...csvRecords(text, { ...source, lenientQuotes: true })].at(-1)?.cells).toEqual([`${org.names.oa}"x`, org.alias]);
  });

  it('keeps a bare CR as cell text unless told it ends records', () => {
    const [a, b] = pop.orgs;
    const text = `${a!.names.oa},${a!.alias}\r${b!.names.oa},${b!.alias}\n`;
    expect([...csvRecords(text, { ...source, bareCr: false })].map((r) => r.cells)).toEqual([[a!.names.oa, `${a!.alias}\r${b!.names.oa}`, b!.alias]]);
    expect([...csvRecords(text, source)].map((r) => [r.row, r.ending])).toEqual([[1, '\r'], [2, '\n']]);
  });
});
