// Reads a WeChat export completely, or refuses it with file, row and column: a user/info/batchget
// response dump (one { user_info_list } object, a JSON array of them, or one per line as
// writePopulation writes batchget.ndjson), the followers themselves (a JSON array of user_info
// objects, or one a line) or a mini-program binding dump (a JSON array).
import { readFile } from 'node:fs/promises';
import { ImportFileError } from '../contract.ts';

export type Dump =
  | { readonly kind: 'followers'; readonly records: readonly unknown[] }
  | { readonly kind: 'bindings'; readonly records: readonly unknown[] };

/** Checks UTF-8 line by line, so a bad byte is reported where it is. */
function decode(file: string, bytes: Buffer): string {
  const strict = new TextDecoder('utf-8', { fatal: true });
  try {
    return strict.decode(bytes).replace(/^\uFEFF/, '');
  } catch {
    let start = 0;
    for (let row = 1; start <= bytes.length; row++) {
      const end = bytes.indexOf(0x0a, start);
      const line = bytes.subarray(start, end === -1 ? bytes.length : end);
      try {
        strict.decode(line);
      } catch {
        throw new ImportFileError(file, 'not UTF-8 text (wrong encoding?)', { row, column: `byte ${firstBadByte(line) + 1}` });
      }
      if (end === -1) break;
      start = end + 1;
    }
    throw new ImportFileError(file, 'not UTF-8 text (wrong encoding?)');
  }
}

function firstBadByte(line: Uint8Array): number {
  const strict = new TextDecoder('utf-8', { fatal: true });
  for (let i = 1; i <= line.length; i++) {
    try {
      strict.decode(line.subarray(0, i), { stream: true });
    } catch {
      return i - 1;
    }
  }
  return line.length;
}

/** Row and column of a JSON.parse failure, from the position V8 reports. */
function syntaxAt(text: string, err: unknown, rowOffset = 0): { row: number; column: string } {
  const pos = /position (\d+)/.exec(String((err as Error).message));
  const at = pos ? Number(pos[1]) : text.length;
  const before = text.slice(0, at);
  const row = before.split('\n').length;
  return { row: row + rowOffset, column: `char ${at - before.lastIndexOf('\n')}` };
}

function isBinding(v: unknown): boolean {
  return typeof v === 'object' && v !== null && 'realName' in v && 'boundAt' in v;
}

function usersOf(file: string, response: unknown, row: number): unknown[] {
  // A dump of the followers themselves (an array of user_info objects, or one a line), as a script
  // that unwrapped the batchget responses writes it.
  if (typeof (response as { openid?: unknown } | null)?.openid === 'string' && !('user_info_list' in (response as object))) return [response];
  const list = (response as { user_info_list?: unknown } | null)?.user_info_list;
  if (typeof response !== 'object' || response === null || !Array.isArray(list)) {
    throw new ImportFileError(file, 'expected a user/info/batchget response ({"user_info_list":[…]}) or a follower ({"openid":…})', { row, column: 'user_info_list' });
  }
  list.forEach((u, i) => {
    if (typeof (u as { openid?: unknown } | null)?.openid !== 'string') {
      throw new ImportFileError(file, 'a follower without an openid', { row, column: `user_info_list[${i}].openid` });
    }
  });
  return list as unknown[];
}

export async function parseDump(file: string): Promise<Dump> {
  const bytes = await readFile(file).catch((err: unknown) => {
    throw new ImportFileError(file, `cannot read: ${(err as Error).message}`);
  });
  const text = decode(file, bytes);
  if (text.trim() === '') throw new ImportFileError(file, 'empty file', { row: 1 });
  let whole: unknown;
  let wholeError: unknown;
  try {
    whole = JSON.parse(text);
  } catch (err) {
    wholeError = err;
  }
  if (wholeError === undefined) {
    if (Array.isArray(whole)) {
      if (whole.length === 0) throw new ImportFileError(file, 'no records (an empty array)', { row: 1 });
      if (whole.every(isBinding)) {
        whole.forEach((b, i) => {
          if (typeof (b as { id?: unknown }).id !== 'string') throw new ImportFileError(file, 'a binding without an id', { row: i + 1, column: 'id' });
        });
        return { kind: 'bindings', records: whole };
      }
      return { kind: 'followers', records: whole.flatMap((r, i) => usersOf(file, r, i + 1)) };
    }
    return { kind: 'followers', records: usersOf(file, whole, 1) };
  }
  // Not one JSON document: newline-delimited responses, or a broken document.
  const lines = text.split('\n');
  const firstLine = lines.findIndex((l) => l.trim() !== '');
  try {
    JSON.parse(lines[firstLine] ?? '');
  } catch {
    throw new ImportFileError(file, `broken JSON: ${(wholeError as Error).message}`, syntaxAt(text, wholeError));
  }
  const records: unknown[] = [];
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (err) {
      throw new ImportFileError(file, `broken JSON line: ${(err as Error).message}`, syntaxAt(line, err, i));
    }
    for (const u of usersOf(file, value, i + 1)) records.push(u);
  });
  return { kind: 'followers', records };
}
