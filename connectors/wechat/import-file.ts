// importFile for WeChat: the dump is parsed whole first (parseDump refuses a malformed file with
// file/row/column), then mapped in batches exactly as a live read maps the same records.
import { readFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { ImportFileError, type ImportProgress, type ReadBatch, type ReadItem } from '../contract.ts';
import { mapBinding, mapFollower, type MapContext } from './mapping.ts';
import { parseDump } from './parse-dump.ts';

export interface ImportOptions {
  readonly instance: string;
  readonly batchSize: number;
  readonly onProgress?: ImportProgress;
  readonly qrScenes?: ReadonlyMap<string, string>;
}

/**
 * The tag names live in tags/get, not in batchget: read `tags.json` beside the dump (as
 * writePopulation writes it) so imported followers get the same category as a live read.
 */
async function siblingTags(file: string): Promise<Map<number, string>> {
  const path = join(dirname(file), 'tags.json');
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    return new Map();
  }
  try {
    const tags = (JSON.parse(text) as { tags?: unknown }).tags;
    if (!Array.isArray(tags)) throw new Error('no "tags" array');
    return new Map((tags as { id: number; name: string }[]).map((t) => [Number(t.id), String(t.name)]));
  } catch (err) {
    throw new ImportFileError(path, `tags file unreadable: ${(err as Error).message}`, { row: 1, column: 'tags' });
  }
}

export async function importWechatFile(file: string, options: ImportOptions): Promise<AsyncIterable<ReadBatch>> {
  const dump = await parseDump(file);
  const tagNames = dump.kind === 'followers' ? await siblingTags(file) : new Map<number, string>();
  const ctx: MapContext = { instance: options.instance, tagNames, observedAt: new Date().toISOString(), ...(options.qrScenes ? { qrScenes: options.qrScenes } : {}) };
  const name = basename(file);
  const total = dump.records.length;
  const { batchSize, onProgress } = options;
  return (async function* () {
    for (let start = 0; start < total; start += batchSize) {
      // A large dump maps for seconds: let timers and sockets run between batches.
      await new Promise((resolve) => setImmediate(resolve));
      const chunk = dump.records.slice(start, start + batchSize);
      const items: ReadItem[] = [];
      for (const record of chunk) {
        const item = dump.kind === 'followers' ? mapFollower(record, ctx) : mapBinding(record, ctx);
        if (item !== null) items.push(item);
      }
      const done = start + chunk.length;
      onProgress?.(done, total);
      yield { items, cursor: { file: name, stream: dump.kind, position: done }, recordsRead: chunk.length };
    }
  })();
}
