// Streaming JSON writers. Both put one record on one line, so a reader can stream either:
// ndjson is plain lines; a "JSON array" file is `[`, records joined by `,\n`, `]` — valid JSON
// for tools that expect a dump, and still line-parseable for ones that stream.
import { open } from 'node:fs/promises';

const BATCH = 1 << 20;

async function writeLines(path: string, head: string, items: Iterable<unknown>, sep: string, tail: string): Promise<number> {
  const file = await open(path, 'w');
  let count = 0;
  try {
    let buf = head;
    for (const item of items) {
      buf += (count++ === 0 ? '' : sep) + JSON.stringify(item);
      if (buf.length >= BATCH) {
        await file.write(buf);
        buf = '';
      }
    }
    await file.write(count === 0 && tail === '\n' ? buf : buf + tail);
  } finally {
    await file.close();
  }
  return count;
}

/** One JSON value per line. Returns the number of lines. */
export function writeNdjson(path: string, items: Iterable<unknown>): Promise<number> {
  return writeLines(path, '', items, '\n', '\n');
}

/** A JSON array with one element per line. Returns the number of elements. */
export async function writeJsonArray(path: string, items: Iterable<unknown>): Promise<number> {
  return writeLines(path, '[\n', items, ',\n', '\n]\n');
}

export async function writeJson(path: string, value: unknown): Promise<void> {
  const file = await open(path, 'w');
  try {
    await file.write(`${JSON.stringify(value, null, 2)}\n`);
  } finally {
    await file.close();
  }
}
