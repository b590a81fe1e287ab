// The LRS's statement table: one array in `stored` order (then id), a parallel array of stored
// milliseconds for binary search, so a page costs O(log n + page) even over a million statements.
// Nothing is re-sorted per request; new statements are stamped `stored = now`, so they append.
import type { XapiStatement } from '../../population/index.ts';

/** A position in the (stored, id) order: every statement sorting after it comes next. */
export interface Position {
  readonly ms: number;
  readonly id: string;
}

function before(aMs: number, aId: string, bMs: number, bId: string): boolean {
  return aMs < bMs || (aMs === bMs && aId < bId);
}

export class StatementStore {
  private readonly items: XapiStatement[];
  private ms: Float64Array;
  private size: number;
  // Built on the first lookup by id: a million-statement benchmark never asks for one.
  private byId: Map<string, number> | null = null;

  constructor(statements: readonly XapiStatement[]) {
    let items = statements.slice();
    let stamp = items.map((s) => Date.parse(s.stored));
    let sorted = true;
    for (let i = 1; i < stamp.length && sorted; i++) sorted = !before(stamp[i]!, items[i]!.id, stamp[i - 1]!, items[i - 1]!.id);
    // Exports come in stored order already; sort once here, never per request.
    if (!sorted) {
      const order = items.map((_, i) => i).sort((a, b) => stamp[a]! - stamp[b]! || (items[a]!.id < items[b]!.id ? -1 : 1));
      items = order.map((i) => statements[i]!);
      stamp = order.map((i) => stamp[i]!);
    }
    this.items = items;
    this.size = items.length;
    this.ms = new Float64Array(Math.max(16, this.size));
    this.ms.set(stamp);
  }

  get length(): number {
    return this.size;
  }

  at(i: number): XapiStatement {
    return this.items[i]!;
  }

  storedMs(i: number): number {
    return this.ms[i]!;
  }

  get(id: string): XapiStatement | undefined {
    if (this.byId === null) {
      this.byId = new Map();
      for (let i = 0; i < this.size; i++) this.byId.set(this.items[i]!.id, i);
    }
    const i = this.byId.get(id);
    return i === undefined ? undefined : this.items[i];
  }

  /** First index whose stored time is > ms (the xAPI `since` is exclusive, `until` inclusive). */
  upperBound(ms: number): number {
    let lo = 0;
    let hi = this.size;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.ms[mid]! <= ms) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** First index not sorting before a position (ties on stored are few, so the scan is short). */
  lowerBound(p: Position): number {
    let i = this.upperBound(p.ms - 1);
    while (i < this.size && before(this.ms[i]!, this.items[i]!.id, p.ms, p.id)) i++;
    return i;
  }

  /** Appends statements stamped `stored` by the LRS clock, which never runs backwards here. */
  append(statement: XapiStatement): void {
    const ms = Date.parse(statement.stored);
    const last = this.size > 0 ? this.ms[this.size - 1]! : -Infinity;
    if (ms < last) throw new Error('stored must not run backwards');
    if (this.size === this.ms.length) {
      const grown = new Float64Array(this.ms.length * 2);
      grown.set(this.ms);
      this.ms = grown;
    }
    this.items.push(statement);
    this.ms[this.size] = ms;
    this.byId?.set(statement.id, this.size);
    this.size++;
  }
}
