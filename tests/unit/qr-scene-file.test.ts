// The WeChat QR scene file is checked when the configuration is parsed: a good file gives scene →
// branch; a bad one stops start-up with a message naming the variable, the file, the row and the
// column. The table written for a population (populationQrScenes) reads back whole.
import { describe, expect, it } from 'vitest';
import { cachedPopulation, populationQrScenes } from '../../connectors/population/index.ts';
import { loadConfig } from '../../schemas/config.ts';
import { configFiles, configRefusal } from '../support/config-file.ts';

const { file } = configFiles('yibiao-qr-scenes-');
const pop = cachedPopulation(300, 'qr-scene-file');
const table = populationQrScenes(pop);

const refusal = (path: string) => configRefusal('YIBIAO_WECHAT_QR_SCENES', path);

describe('WeChat QR scene file', () => {
  it('reads the table of a population\'s branch codes whole (BOM, CRLF, quotes)', () => {
    const quote = (v: string) => (/[",]/u.test(v) ? `"${v.replaceAll('"', '""')}"` : v);
    const text = `\uFEFFscene,branch\r\n${[...table].map(([s, b]) => `${quote(s)},${quote(b)}`).join('\r\n')}\r\n`;
    const c = loadConfig({ YIBIAO_WECHAT_QR_SCENES: file('good.csv', text) });
    expect(c.YIBIAO_WECHAT_QR_SCENES?.scenes).toEqual(table);
    expect(table.size).toBe(pop.orgs.length);
  });

  it.each([
    ['bad-header.csv', 'scene_str,branch\nzb1,一支部\n', 'row 1, column scene'],
    ['no-branch.csv', 'scene,branch\nzb1,一支部\nzb2,\n', 'row 3, column branch'],
    ['no-scene.csv', 'scene,branch\n,一支部\n', 'row 2, column scene'],
    ['long-scene.csv', `scene,branch\n${'z'.repeat(65)},一支部\n`, 'row 2, column scene'],
    ['conflict.csv', 'scene,branch\nzb1,一支部\nzb2,二支部\nzb1,二支部\n', 'row 4, column scene'],
    ['extra-field.csv', 'scene,branch\nzb1,一支部,x\n', 'row 2, column branch'],
    ['empty.csv', '', 'row 1'],
  ])('refuses %s naming the file, row and column', (name, text, where) => {
    const f = file(name, text);
    const message = refusal(f);
    expect(message).toContain('YIBIAO_WECHAT_QR_SCENES');
    expect(message).toContain(`${f} (${where}`);
  });

  it('takes a row repeated with the same branch once', () => {
    const c = loadConfig({ YIBIAO_WECHAT_QR_SCENES: file('repeat.csv', 'scene,branch\nzb1,一支部\nzb1,一支部\n') });
    expect([...c.YIBIAO_WECHAT_QR_SCENES!.scenes]).toEqual([['zb1', '一支部']]);
  });
});
