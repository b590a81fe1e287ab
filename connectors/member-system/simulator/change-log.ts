// The simulator's change log: every row with a deterministic 修改时间, ordered by (time, 记录ID),
// so a modified-since query and an opaque position cursor both page stably. Touching rows moves
// them to the end with a later time, as an edit in the real system does.
import { createHash } from 'node:crypto';
import type { MemberSystemRow } from '../../population/system-types.ts';
import type { ChangeItem, Operation } from '../fields.ts';

const YEAR_S = 365 * 24 * 3600;
const DAY_S = 24 * 3600;
const BEIJING_MS = 8 * 3600 * 1000;

interface Entry {
  row: MemberSystemRow;
  time: number;
  op: Operation;
}

export interface Position {
  readonly time: number;
  readonly id: string;
}

function hashInt(...parts: string[]): number {
  return createHash('sha256').update(parts.join('\u0000')).digest().readUInt32BE(0);
}

/** Epoch seconds → 'YYYY-MM-DD HH:mm:ss' in Beijing time, as the system prints it. */
export function formatSystemTime(seconds: number): string {
  return new Date(seconds * 1000 + BEIJING_MS).toISOString().slice(0, 19).replace('T', ' ');
}

function before(a: Position, b: Position): boolean {
  return a.time < b.time || (a.time === b.time && a.id < b.id);
}

export class ChangeLog {
  readonly #seed: string;
  #entries: Entry[];
  #clock: number;
  #generation = 0;

  /** `asOf` (YYYY-MM-DD): rows were last changed during the year before it. */
  constructor(rows: readonly MemberSystemRow[], seed: string, asOf: string) {
    this.#seed = seed;
    const end = Date.parse(`${asOf}T00:00:00+08:00`) / 1000;
    this.#entries = rows.map((row) => ({ row: { ...row }, time: end - YEAR_S + (hashInt(seed, 'mtime', row.记录ID) % YEAR_S), op: '新增' }));
    this.#entries.sort((a, b) => a.time - b.time || (a.row.记录ID < b.row.记录ID ? -1 : 1));
    this.#clock = end;
  }

  get size(): number {
    return this.#entries.length;
  }

  item(e: Entry): ChangeItem {
    return { ...e.row, 修改时间: formatSystemTime(e.time), 操作类型: e.op };
  }

  /** Up to `limit` entries strictly after `after` (or from `since` seconds, inclusive), in log order. */
  page(from: { after?: Position; since?: number }, limit: number): { items: ChangeItem[]; last: Position | null; hasMore: boolean } {
    let lo = 0;
    let hi = this.#entries.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const e = this.#entries[mid]!;
      const here = { time: e.time, id: e.row.记录ID };
      const skip = from.after ? !before(from.after, here) : from.since !== undefined && e.time < from.since;
      if (skip) lo = mid + 1;
      else hi = mid;
    }
    const slice = this.#entries.slice(lo, lo + limit);
    const tail = slice.at(-1);
    return { items: slice.map((e) => this.item(e)), last: tail ? { time: tail.time, id: tail.row.记录ID } : null, hasMore: lo + limit < this.#entries.length };
  }

  /**
   * Edits a deterministic `fraction` of rows a day after the last change: '修改' gives them a new
   * 联系电话 (the commonest real edit), '删除' marks them deleted. Returns the touched 记录ID.
   */
  touch(fraction: number, op: Exclude<Operation, '新增'> = '修改'): string[] {
    const gen = ++this.#generation;
    this.#clock += DAY_S;
    const threshold = Math.floor(fraction * 2 ** 32);
    const touched: Entry[] = [];
    const kept: Entry[] = [];
    for (const e of this.#entries) (hashInt(this.#seed, 'touch', String(gen), e.row.记录ID) < threshold ? touched : kept).push(e);
    touched.sort((a, b) => (a.row.记录ID < b.row.记录ID ? -1 : 1));
    for (const [i, e] of touched.entries()) {
      e.time = this.#clock + i;
      e.op = op;
      if (op === '修改') e.row = { ...e.row, 联系电话: `139${String(hashInt(this.#seed, 'phone', String(gen), e.row.记录ID) % 1e8).padStart(8, '0')}` };
    }
    this.#clock += touched.length;
    this.#entries = [...kept, ...touched];
    return touched.map((e) => e.row.记录ID);
  }
}
