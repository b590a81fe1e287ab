// Import of the platform's exports as writePopulation writes them: the same events as a live read
// of the same records; malformed files refused whole, naming file, row and column.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ImportFileError, type ReadItem } from '../contract.ts';
import { writePopulation, type Population } from '../population/index.ts';
import { connector, drain, population, recordIdOf, startSimulator } from './test-fixtures.ts';

let dir: string;
let pop: Population;
let live: Record<'statements' | 'learners', ReadItem[]>;

beforeAll(async () => {
  pop = population(1500);
  dir = await mkdtemp(join(tmpdir(), 'xapi-import-'));
  await writePopulation(pop, dir);
  const { sim, url } = await startSimulator({ population: pop });
  try {
    live = {
      statements: (await drain(connector(url).read('statements', null))).items,
      learners: (await drain(connector(url).read('learners', null))).items,
    };
  } finally {
    await sim.close();
  }
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** What must agree between import and live read; observedAt of a learner is the time it was read. */
function essence(item: ReadItem) {
  if (item.kind === 'invalid') return item;
  const { id, source, payload, occurredAt } = item.event as Record<string, unknown>;
  return { topic: item.topic, id, source, payload, occurredAt };
}

async function refused(name: string, content: string | Buffer): Promise<ImportFileError> {
  const file = join(dir, name);
  await writeFile(file, content);
  const err = await connector('http://127.0.0.1:9').importFile(file).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(ImportFileError);
  expect((err as ImportFileError).file).toBe(file);
  return err as ImportFileError;
}

describe('xapi connector: import', () => {
  it('imports xapi/statements.json to the same events as the live read, in batches, with progress', async () => {
    const progress: Array<[number, number | undefined]> = [];
    const { batches, items } = await drain(await connector('http://127.0.0.1:9').importFile(join(dir, 'xapi/statements.json'), (d, t) => progress.push([d, t])));
    expect(items.map(essence)).toEqual(live.statements.map(essence));
    expect(items).toEqual(live.statements);
    expect(batches.every((b) => b.items.length <= 500)).toBe(true);
    expect(progress.at(-1)).toEqual([pop.systems.xapi.statements.length, pop.systems.xapi.statements.length]);
  });

  it('imports xapi/learners.json to the same member.observed events as the live read', async () => {
    const { items } = await drain(await connector('http://127.0.0.1:9').importFile(join(dir, 'xapi/learners.json')));
    expect(items.map(essence)).toEqual(live.learners.map(essence));
    expect(items.map(recordIdOf)).toEqual(pop.systems.xapi.learners.map((l) => l.id));
  });

  it('accepts a StatementResult-shaped dump { "statements": [...] }', async () => {
    const file = join(dir, 'result.json');
    await writeFile(file, JSON.stringify({ statements: pop.systems.xapi.statements.slice(0, 30), more: '' }));
    const { items } = await drain(await connector('http://127.0.0.1:9').importFile(file));
    expect(items).toEqual(live.statements.slice(0, 30));
  });

  it('accepts one record a line (NDJSON): statements, StatementResult pages and learners, and names a broken line', async () => {
    const file = join(dir, 'statements.ndjson');
    const statements = pop.systems.xapi.statements.slice(0, 60);
    await writeFile(file, `${statements.slice(0, 20).map((x) => JSON.stringify(x)).join('\n')}\n${JSON.stringify({ statements: statements.slice(20), more: '' })}\r\n`);
    expect((await drain(await connector('http://127.0.0.1:9').importFile(file))).items).toEqual(live.statements.slice(0, 60));
    const learners = join(dir, 'learners.ndjson');
    await writeFile(learners, pop.systems.xapi.learners.map((l) => JSON.stringify(l)).join('\n'));
    expect((await drain(await connector('http://127.0.0.1:9').importFile(learners))).items.map(essence)).toEqual(live.learners.map(essence));
    const lines = statements.map((x) => JSON.stringify(x));
    lines[6] = `${lines[6]!.slice(0, -2)}}`;
    expect((await refused('broken.ndjson', lines.join('\n'))).row).toBe(7);
  });

  it('refuses empty, truncated, non-UTF-8 and UTF-16 files with row and column', async () => {
    expect((await refused('empty.json', '')).row).toBe(1);
    expect((await refused('blank.json', '  \n')).message).toMatch(/empty/);
    const text = await readFile(join(dir, 'xapi/statements.json'), 'utf8');
    const cut = text.slice(0, Math.floor(text.length * 0.6));
    const truncated = await refused('truncated.json', cut);
    expect(truncated.row).toBe(cut.split('\n').length);
    expect(truncated.column).toBeDefined();
    // 王 in GBK (CD F5) on line 3: what a Windows export tool writes when told "ANSI".
    const lines = text.split('\n');
    const gbk = Buffer.concat([Buffer.from(`${lines.slice(0, 2).join('\n')}\n{"x":"`), Buffer.from([0xcd, 0xf5]), Buffer.from(`"}\n${lines.slice(3).join('\n')}`)]);
    const enc = await refused('gbk.json', gbk);
    expect(enc.message).toMatch(/UTF-8/);
    expect(enc).toMatchObject({ row: 3, column: '7' });
    expect((await refused('utf16.json', Buffer.from(`\ufeff${text.slice(0, 2000)}`, 'utf16le'))).message).toMatch(/UTF-16/);
  });

  it('refuses files that are not statement or learner exports, naming the missing key', async () => {
    const todos = await refused('todos.json', await readFile(join(dir, 'oa/todos.json')));
    expect(todos.row).toBe(1);
    expect(['id', 'actor', 'verb', 'object']).toContain(todos.column);
    expect((await refused('csv.json', await readFile(join(dir, 'oa/directory.csv')))).message).toMatch(/not valid JSON/);
    expect((await refused('object.json', '{"learners": []}')).column).toBe('statements');
    expect((await refused('none.json', '[]')).message).toMatch(/no records/);
    const mixed = [pop.systems.xapi.statements[0], 42];
    expect((await refused('mixed.json', JSON.stringify(mixed))).row).toBe(2);
  });
});
