// importFile for the member system: the whole file is read and mapped before the first batch is
// handed out, so a file refused half-way publishes nothing.
import { basename, extname } from 'node:path';
import type { ImportProgress, ReadBatch, ReadItem } from '../../contract.ts';
import { mapMemberRow } from '../mapping.ts';
import { readCsv } from './csv.ts';
import { readSheet } from './sheet.ts';
import { readXlsx } from './xlsx.ts';

export interface ImportOptions {
  readonly instance: string;
  readonly batchSize: number;
  /** The export's time: rows carry no 修改时间, so the events occur when the file is imported. */
  readonly now: () => Date;
  readonly onProgress?: ImportProgress;
}

export async function importMemberFile(file: string, options: ImportOptions): Promise<AsyncIterable<ReadBatch>> {
  const reader = extname(file).toLowerCase() === '.csv' ? readCsv(file) : readXlsx(file);
  const rows = await readSheet(file, reader, (n) => {
    if (n % 1000 === 0) options.onProgress?.(n, undefined);
  });
  const at = options.now().toISOString();
  const name = basename(file);
  const items: ReadItem[] = rows.map((r) => mapMemberRow(r.values, { instance: options.instance, occurredAt: at, observedAt: at, where: `${name} row ${r.row}` }));
  options.onProgress?.(rows.length, rows.length);
  const size = options.batchSize;
  const batches = (function* (): Generator<ReadBatch> {
    for (let i = 0; i < items.length; i += size) {
      const slice = items.slice(i, i + size);
      yield { items: slice, cursor: { file: name, row: rows[Math.min(i + size, rows.length) - 1]!.row }, recordsRead: slice.length };
    }
  })();
  return { [Symbol.asyncIterator]: () => ({ next: () => Promise.resolve(batches.next()) }) };
}
