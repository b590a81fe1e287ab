// Incremental read of the statements resource in `stored` order. The cursor is the stored time of
// the last statement read plus the ids already read at exactly that time (statements can share a
// stored time), and the `more` IRL while a paged query is open. It never passes the LRS's
// X-Experience-API-Consistent-Through: a statement stored after it may still be invisible, and a
// cursor beyond it would skip that statement for good.
import type { Cursor, ReadBatch, ReadItem } from '../contract.ts';
import type { StatementsPage, XapiClient } from './client.ts';
import { XapiError } from './http.ts';
import { mapStatement } from './mapping.ts';

export interface StatementCursor {
  /** `stored` of the last statement read (as the LRS wrote it), null before the first. */
  readonly since: string | null;
  /** Ids read whose stored time equals `since`, comma-separated. */
  readonly seen: string;
  /** The open continuation, if the last page had one. */
  readonly more: string | null;
}

export function statementCursor(cursor: Cursor | null): StatementCursor {
  const since = typeof cursor?.since === 'string' && !Number.isNaN(Date.parse(cursor.since)) ? cursor.since : null;
  return {
    since,
    seen: since !== null && typeof cursor?.seen === 'string' ? cursor.seen : '',
    more: typeof cursor?.more === 'string' && cursor.more !== '' ? cursor.more : null,
  };
}

export interface ReadStatementsOptions {
  readonly client: XapiClient;
  readonly instance: string;
  readonly pageSize: number;
  readonly signal?: AbortSignal;
  readonly logger?: { warn(obj: object, msg?: string): void };
}

async function fetchPage(options: ReadStatementsOptions, more: string | null, since: string | null, sinceMs: number): Promise<StatementsPage> {
  const { client, pageSize, signal } = options;
  if (more !== null) {
    try {
      return await client.getMore(more, signal);
    } catch (err) {
      // An expired or unknown continuation (kept across runs longer than the LRS keeps it):
      // a fresh query from since/seen places the cursor exactly on its own.
      if (!(err instanceof XapiError && [400, 404, 410].includes(err.status))) throw err;
      options.logger?.warn({ more, status: err.status }, 'xapi: continuation refused, querying again from since');
    }
  }
  // `since` is exclusive; asking from 1 ms earlier re-reads the statements sharing the last
  // stored time, and `seen` drops those already read.
  const from = since === null ? undefined : new Date(sinceMs - 1).toISOString();
  return client.getStatements({ since: from, ascending: true, limit: pageSize }, signal);
}

export async function* readStatements(options: ReadStatementsOptions, start: Cursor | null): AsyncGenerator<ReadBatch> {
  const c = statementCursor(start);
  let since = c.since;
  let sinceMs = since === null ? -Infinity : Date.parse(since);
  let seen = new Set(c.seen === '' ? [] : c.seen.split(','));
  let pending = fetchPage(options, c.more, since, sinceMs);
  for (;;) {
    const page = await pending;
    const ct = page.consistentThrough === undefined ? Infinity : Date.parse(page.consistentThrough);
    const items: ReadItem[] = [];
    let pastConsistent = false;
    for (const s of page.statements) {
      const stored = (s as { stored?: unknown } | null)?.stored;
      const ms = typeof stored === 'string' ? Date.parse(stored) : NaN;
      const rawId = (s as { id?: unknown } | null)?.id;
      const id = typeof rawId === 'string' ? rawId : '';
      if (Number.isNaN(ms)) {
        // Cannot be placed in stored order: dead-letter it without moving the cursor.
        items.push(mapStatement(s, options.instance));
        continue;
      }
      if (ms > ct) {
        pastConsistent = true;
        break;
      }
      if (ms < sinceMs || (ms === sinceMs && seen.has(id))) continue;
      if (ms > sinceMs) {
        sinceMs = ms;
        since = stored as string;
        seen = new Set();
      }
      seen.add(id);
      items.push(mapStatement(s, options.instance));
    }
    const more = pastConsistent || page.more === '' ? null : page.more;
    const cursor: Cursor = { since, seen: [...seen].join(','), more };
    // Ask for the next page while this batch is published; if the reader stops here, the answer
    // is dropped (the catch only keeps an abandoned request from being an unhandled rejection).
    if (more !== null) {
      pending = fetchPage(options, more, since, sinceMs);
      pending.catch(() => undefined);
    }
    if (items.length > 0) yield { items, cursor, recordsRead: items.length };
    if (more === null) return;
  }
}
