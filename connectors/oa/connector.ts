// The OA connector: the HRM directory (→ member.observed) and the 统一待办 todos with their
// notice forms (→ task.assigned), read incrementally; and the directory export file.
import { readFile } from 'node:fs/promises';
import type { Logger } from 'pino';
import type { Connector, Cursor, ImportProgress, ReadBatch, StreamInfo } from '../contract.ts';
import { NonRetriableError } from '../../schemas/errors.ts';
import { OaClient, type OaClientOptions } from './client.ts';
import { parseDirectoryCsv } from './directory-csv.ts';
import type { HttpOptions } from './http.ts';
import { mapEmployee, mapTodo, SYSTEM } from './mapping.ts';
import { compareTodos, type OaTodo } from './protocol.ts';

export interface OaConnectorOptions {
  readonly baseUrl: string;
  readonly instance: string;
  /** Dev-auth app id registered in the OA (集成中心 → 接口授权). */
  readonly appid: string;
  /** This hub's 异构系统 code in the 统一待办 center. Default 'YBDJ'. */
  readonly syscode?: string;
  readonly userid?: string;
  /** Records per page and per batch. Default 500 (the OA serves at most 1000). */
  readonly pageSize?: number;
  /** Notice forms fetched in parallel. Default 8. */
  readonly formConcurrency?: number;
  readonly http?: Omit<HttpOptions, 'baseUrl' | 'logger'>;
  readonly signal?: AbortSignal;
  readonly logger?: Logger;
}

export const STREAMS: readonly StreamInfo[] = [
  { name: 'employees', topics: ['member.observed'], description: 'HRM directory (getHrmUserInfoWithPage), by id; outsiders included' },
  { name: 'todos', topics: ['task.assigned'], description: '统一待办 todos (getTodoList) by creation time, each with its notice form (getWorkflowRequest)' },
];

const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (t: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

export type OaConnector = Connector & { readonly client: OaClient };

export function createOaConnector(options: OaConnectorOptions): OaConnector {
  const clientOptions: OaClientOptions = {
    ...options.http, baseUrl: options.baseUrl, appid: options.appid, syscode: options.syscode ?? 'YBDJ',
    ...(options.userid ? { userid: options.userid } : {}), ...(options.logger ? { logger: options.logger } : {}),
  };
  const client = new OaClient(clientOptions);
  const pageSize = options.pageSize ?? 500;
  const ctx = () => ({ instance: options.instance, observedAt: new Date().toISOString() });
  const withSignal = (signal?: AbortSignal) => {
    const all = [signal, options.signal].filter((s): s is AbortSignal => s !== undefined);
    return all.length === 0 ? undefined : AbortSignal.any(all);
  };

  async function* employees(cursor: Cursor | null, signal?: AbortSignal): AsyncIterable<ReadBatch> {
    let page = num(cursor?.curpage) ?? 1;
    let lastId = num(cursor?.lastId) ?? 0;
    let size = num(cursor?.pagesize) ?? pageSize;
    for (;;) {
      const p = await client.employeesPage(page, size, signal);
      // The directory is served in id order; a resumed page may hold records already read.
      const fresh = p.dataList.filter((e) => e.id > lastId);
      size = p.pageSize;
      const full = p.dataList.length >= p.pageSize;
      const nextPage = full ? page + 1 : page;
      if (fresh.length > 0) {
        lastId = Math.max(lastId, ...fresh.map((e) => e.id));
        const c = ctx();
        yield { items: fresh.map((e) => mapEmployee(e, c)), cursor: { curpage: nextPage, pagesize: size, lastId }, recordsRead: fresh.length };
      }
      if (!full) return;
      page = nextPage;
    }
  }

  async function* todos(cursor: Cursor | null, signal?: AbortSignal): AsyncIterable<ReadBatch> {
    const since = str(cursor?.since);
    let after: Pick<OaTodo, 'createdatetime' | 'flowid' | 'receiver'> | undefined =
      since === undefined ? undefined : { createdatetime: since, flowid: str(cursor?.flowid) ?? '', receiver: str(cursor?.receiver) ?? '' };
    // The filter stays fixed while paging; only the skip key moves with what was yielded.
    const from = since === undefined ? {} : { createdatetimeFrom: since };
    for (let pageNo = 1; ; pageNo++) {
      const p = await client.todoPage({ ...from, pageNo, pageSize }, signal);
      const fresh = p.dataList.filter((t) => after === undefined || compareTodos(t, after) > 0);
      const forms = await mapLimit(fresh, options.formConcurrency ?? 8, (t) => client.todoForm(t.flowid, signal));
      const last = fresh.at(-1);
      if (last) {
        const c = ctx();
        after = last;
        yield {
          items: fresh.map((t, i) => mapTodo(t, forms[i], c)),
          cursor: { since: last.createdatetime, flowid: last.flowid, receiver: last.receiver },
          recordsRead: fresh.length,
        };
      }
      if (p.dataList.length < p.pageSize || p.dataList.length === 0) return;
    }
  }

  return {
    name: 'oa',
    system: SYSTEM,
    instance: options.instance,
    client,
    async check(signal) {
      try {
        const s = withSignal(signal);
        const e = await client.employeesPage(1, 1, s);
        const t = await client.todoPage({ pageNo: 1, pageSize: 1 }, s);
        return { ok: true, message: `OA ${options.baseUrl}: ${e.totalSize} employees, ${t.totalSize} todos for ${clientOptions.syscode}` };
      } catch (err) {
        return { ok: false, message: (err as Error).message };
      }
    },
    discover: () => Promise.resolve(STREAMS),
    read(stream, cursor, signal) {
      const s = withSignal(signal);
      if (stream === 'employees') return employees(cursor, s);
      if (stream === 'todos') return todos(cursor, s);
      throw new NonRetriableError(`OA has no stream "${stream}"; it has ${STREAMS.map((x) => x.name).join(', ')}`, { rule: 'known stream' });
    },
    async importFile(file: string, onProgress?: ImportProgress) {
      const records = parseDirectoryCsv(await readFile(file), file);
      function* batches(): Generator<ReadBatch> {
        for (let at = 0; at < records.length; at += pageSize) {
          const chunk = records.slice(at, at + pageSize);
          const c = ctx();
          yield { items: chunk.map((e) => mapEmployee(e, c)), cursor: { row: at + chunk.length }, recordsRead: chunk.length };
          onProgress?.(at + chunk.length, records.length);
        }
      }
      const it = batches();
      return { [Symbol.asyncIterator]: () => ({ next: () => Promise.resolve(it.next()) }) };
    },
  };
}
