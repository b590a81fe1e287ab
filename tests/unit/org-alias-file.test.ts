// The declared org alias file is checked when the configuration is parsed: a good file gives its
// rows; a bad one stops start-up with a message naming the variable, the file, the row and the
// column — also through the real `yibiao start`, before anything is opened.
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cachedPopulation } from '../../connectors/population/index.ts';
import { loadConfig } from '../../schemas/config.ts';
import { configFiles, configRefusal } from '../support/config-file.ts';

const { dir, file } = configFiles('yibiao-aliases-');
const pop = cachedPopulation(300, 'org-alias-file');
const [a, b] = pop.orgs;

const refusal = (path: string) => configRefusal('YIBIAO_ORG_ALIASES', path);

describe('declared org alias file', () => {
  it('parses a good file (BOM, CRLF, quotes, blank lines)', () => {
    const f = file('good.csv', `\uFEFFalias,org_code\r\n"${a!.alias}",${a!.code}\r\n\r\n${b!.names.oa}, ${b!.code} \r\n"with ""quotes"", and comma",${b!.code}\r\n`);
    const c = loadConfig({ YIBIAO_ORG_ALIASES: f });
    expect(c.YIBIAO_ORG_ALIASES?.file).toBe(f);
    expect(c.YIBIAO_ORG_ALIASES?.aliases.map((x) => [x.alias, x.code, x.row])).toEqual([[a!.alias, a!.code, 2], [b!.names.oa, b!.code, 4], ['with "quotes", and comma', b!.code, 5]]);
  });

  it.each([
    ['bad-header.csv', `name,code\n${a!.alias},${a!.code}\n`, 'row 1, column alias'],
    ['bad-code.csv', `alias,org_code\n${a!.alias},${a!.code}\n${b!.alias},36-01 02\n`, 'row 3, column org_code'],
    ['no-alias.csv', `alias,org_code\n${a!.alias},${a!.code}\n,${b!.code}\n`, 'row 3, column alias'],
    ['extra-field.csv', `alias,org_code\n${a!.alias},${a!.code},x\n`, 'row 2, column org_code'],
    ['conflict.csv', `alias,org_code\n${a!.alias},${a!.code}\n${b!.code},${b!.code}\n${a!.alias},${b!.code}\n`, 'row 4, column alias'],
    ['open-quote.csv', `alias,org_code\n"${a!.alias},${a!.code}\n`, 'row 2'],
    ['line-break.csv', `alias,org_code\n\n"${a!.alias}\r\n",${a!.code}\n${b!.alias},${b!.code}\n`, 'row 3'],
    ['stray-quote.csv', `alias,org_code\n${a!.alias},${a!.code}\n${b!.alias},"${b!.code}"x\n`, 'row 3, column org_code'],
    ['empty.csv', '', 'row 1'],
  ])('refuses %s naming the file, row and column', (name, text, where) => {
    const f = file(name, text);
    const message = refusal(f);
    expect(message).toContain('YIBIAO_ORG_ALIASES');
    expect(message).toContain(`${f} (${where}`);
  });

  it('refuses a file that does not exist, naming it', () => {
    expect(refusal(join(dir, 'missing.csv'))).toMatch(/missing\.csv: cannot be read \(ENOENT\)/u);
  });

  it('stops `yibiao start` with the file, row and column before anything starts', () => {
    const f = file('start.csv', `alias,org_code\n${a!.alias},${a!.code}\n${b!.alias},not a code\n`);
    const r = spawnSync(process.execPath, [resolve(import.meta.dirname, '../../services/cli/main.ts'), 'start'], {
      env: { PATH: process.env.PATH ?? '', YIBIAO_ORG_ALIASES: f, YIBIAO_DATA_DIR: join(dir, 'data'), PORT: '0' },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`YIBIAO_ORG_ALIASES: ${f} (row 3, column org_code)`);
  });
});
