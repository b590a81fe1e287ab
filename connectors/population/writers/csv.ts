// CSV the way a Chinese OA export opens in Excel: UTF-8 with a byte-order mark, CRLF line ends,
// RFC 4180 quoting.
import { open } from 'node:fs/promises';

function cell(value: string | number): string {
  const s = String(value);
  return /[",\r\n]/u.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

export async function writeCsv<T extends object>(path: string, headers: ReadonlyArray<keyof T & string>, rows: Iterable<T>): Promise<number> {
  const file = await open(path, 'w');
  let count = 0;
  try {
    let buf = `\uFEFF${headers.join(',')}\r\n`;
    for (const row of rows) {
      const r = row as Record<string, string | number>;
      buf += `${headers.map((h) => cell(r[h] ?? '')).join(',')}\r\n`;
      count++;
      if (buf.length >= 1 << 20) {
        await file.write(buf);
        buf = '';
      }
    }
    await file.write(buf);
  } finally {
    await file.close();
  }
  return count;
}
