// importFile on the files writePopulation writes gives the same events as a live read of the
// same records; malformed files are refused whole with file, row and column.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writePopulation } from '../population/index.ts';
import { ImportFileError, type Connector, type ReadItem } from '../contract.ts';
import { drain, eventsOf, population, startSimulator, type Running } from './testing.ts';

const pop = population(1500, 'import');

async function importAll(c: Connector, file: string): Promise<{ items: ReadItem[]; read: number; progress: number[] }> {
  const progress: number[] = [];
  const items: ReadItem[] = [];
  let read = 0;
  for await (const b of await c.importFile(file, (done) => progress.push(done))) {
    items.push(...b.items);
    read += b.recordsRead;
  }
  return { items, read, progress };
}

const comparable = (items: readonly ReadItem[]) => eventsOf(items).map((e) => ({ id: e.id, recordId: e.source.recordId, payload: e.payload }));

describe('wechat importFile', () => {
  let dir: string;
  let r: Running;
  let c: Connector;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'wechat-import-'));
    await writePopulation(pop, dir);
    r = await startSimulator({ population: pop });
    c = r.connector({ batchSize: 250 });
  });
  afterAll(async () => {
    await r.sim.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('imports batchget.ndjson and bindings.json to the same events as a live read', async () => {
    const liveFollowers = await drain(c, 'followers');
    const imported = await importAll(c, join(dir, 'wechat', 'batchget.ndjson'));
    expect(imported.read).toBe(pop.systems.wechat.followers.length);
    expect(comparable(imported.items)).toEqual(comparable(liveFollowers.items));
    expect(imported.progress.at(-1)).toBe(pop.systems.wechat.followers.length);
    const liveBindings = await drain(c, 'bindings');
    const importedBindings = await importAll(c, join(dir, 'wechat', 'bindings.json'));
    expect(comparable(importedBindings.items)).toEqual(comparable(liveBindings.items));
    expect(importedBindings.read).toBe(pop.systems.wechat.bindings.length);
  });

  it('takes one batchget response or a JSON array of them', async () => {
    const users = pop.systems.wechat.followers.slice(0, 230);
    const live = comparable((await drain(c, 'followers')).items).filter((e) => users.some((u) => u.openid === e.recordId));
    await writeFile(join(dir, 'wechat', 'one.json'), JSON.stringify({ user_info_list: users }));
    await writeFile(join(dir, 'wechat', 'many.json'), JSON.stringify([{ user_info_list: users.slice(0, 100) }, { user_info_list: users.slice(100) }]));
    expect(comparable((await importAll(c, join(dir, 'wechat', 'one.json'))).items)).toEqual(live);
    expect(comparable((await importAll(c, join(dir, 'wechat', 'many.json'))).items)).toEqual(live);
    expect(live.some((e) => e.payload.category !== undefined)).toBe(true);
  });

  it('takes the followers themselves: a JSON array of user_info objects, or one a line', async () => {
    const users = pop.systems.wechat.followers.slice(0, 230);
    const live = comparable((await drain(c, 'followers')).items).filter((e) => users.some((u) => u.openid === e.recordId));
    await writeFile(join(dir, 'wechat', 'users.json'), JSON.stringify(users));
    await writeFile(join(dir, 'wechat', 'users.ndjson'), `${users.map((u) => JSON.stringify(u)).join('\n')}\n`);
    expect(comparable((await importAll(c, join(dir, 'wechat', 'users.json'))).items)).toEqual(live);
    expect(comparable((await importAll(c, join(dir, 'wechat', 'users.ndjson'))).items)).toEqual(live);
  });

  describe('refuses malformed files with file, row and column', () => {
    const refused = async (name: string, content: string | Buffer) => {
      const file = join(dir, 'wechat', name);
      await writeFile(file, content);
      const err = await c.importFile(file).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ImportFileError);
      expect((err as ImportFileError).file).toBe(file);
      return err as ImportFileError;
    };

    it('wrong headers (not a batchget response)', async () => {
      const good = JSON.stringify({ user_info_list: pop.systems.wechat.followers.slice(0, 3) });
      const err = await refused('wrong-header.ndjson', `${good}\n{"users":[]}\n`);
      expect([err.row, err.column]).toEqual([2, 'user_info_list']);
      const noOpenid = await refused('no-openid.json', JSON.stringify({ user_info_list: [{ remark: '王伟' }] }));
      expect([noOpenid.row, noOpenid.column]).toEqual([1, 'user_info_list[0].openid']);
    });

    it('truncated or broken JSON', async () => {
      const text = await readFile(join(dir, 'wechat', 'batchget.ndjson'), 'utf8');
      const lines = text.split('\n');
      const cut = `${lines.slice(0, 2).join('\n')}\n${(lines[2] ?? '').slice(0, 500)}`;
      const err = await refused('truncated.ndjson', cut);
      expect(err.row).toBe(3);
      expect(err.column).toMatch(/^char \d+$/);
      const arr = await readFile(join(dir, 'wechat', 'bindings.json'), 'utf8');
      const broken = await refused('broken.json', arr.slice(0, Math.floor(arr.length / 2)));
      expect(broken.row).toBe(arr.slice(0, Math.floor(arr.length / 2)).split('\n').length);
    });

    it('wrong encoding (GBK bytes)', async () => {
      const line1 = JSON.stringify({ user_info_list: pop.systems.wechat.followers.slice(0, 1) });
      const head = Buffer.from(`${line1}\n{"user_info_list":[{"openid":"oX3mTx","remark":"`, 'utf8');
      const gbk = Buffer.from([0xcd, 0xf5, 0xce, 0xb0]); // 王伟 in GBK
      const err = await refused('gbk.ndjson', Buffer.concat([head, gbk, Buffer.from('"}]}\n')]));
      expect(err.row).toBe(2);
      // 0xCD may start a UTF-8 sequence; 0xF5 after it cannot continue one: that byte is named.
      expect(err.column).toBe(`byte ${head.length - Buffer.byteLength(line1) - 1 + 2}`);
      expect(err.message).toMatch(/UTF-8/);
    });

    it('empty files and empty arrays', async () => {
      expect((await refused('empty.json', '')).row).toBe(1);
      expect((await refused('blank.json', '\n\n')).message).toMatch(/empty/);
      expect((await refused('empty-array.json', '[]')).message).toMatch(/no records/);
    });
  });
});
