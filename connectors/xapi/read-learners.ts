// The platform's learner list has no change feed, so `learners` is a full-refresh stream read page
// by page: the cursor is the next page; a finished pass leaves page 1, so the next run reads the
// list again and unchanged learners give the same event ids (consumers deduplicate them).
import type { Cursor, ReadBatch } from '../contract.ts';
import type { XapiClient } from './client.ts';
import { mapLearner } from './mapping.ts';

export interface ReadLearnersOptions {
  readonly client: XapiClient;
  readonly instance: string;
  readonly pageSize: number;
  readonly now: () => Date;
  readonly signal?: AbortSignal;
}

export async function* readLearners(options: ReadLearnersOptions, start: Cursor | null): AsyncGenerator<ReadBatch> {
  const { client, instance, signal } = options;
  // A resumed pass keeps its page size, or the page numbers would mean other learners.
  const size = typeof start?.size === 'number' && start.size > 0 ? start.size : options.pageSize;
  let page = typeof start?.page === 'number' && start.page >= 1 ? start.page : 1;
  const observedAt = options.now().toISOString();
  for (;;) {
    const res = await client.getLearners(page, size, signal);
    const done = res.items.length < size || page * size >= res.total;
    const cursor: Cursor = done ? { page: 1, size } : { page: page + 1, size };
    if (res.items.length > 0) {
      yield { items: res.items.map((l) => mapLearner(l, instance, observedAt)), cursor, recordsRead: res.items.length };
    }
    if (done) return;
    page++;
  }
}
