// The member-system connector: the change feed as the 'members' stream (cursor = the feed's
// opaque position, which stays valid across runs, so each sync reads only what changed since),
// the Excel/CSV export through importFile (both through the same row mapping), and the 党组织
// list as the 'orgs' stream: a snapshot read page by page; its cursor is the next page within a
// run and returns to the first page at the end, so every sync re-reads the list (unchanged orgs
// give the same event ids, which consumers deduplicate).
import type { Logger } from 'pino';
import type { CheckResult, Connector, Cursor, ImportProgress, ReadBatch, StreamInfo } from '../contract.ts';
import { MemberSystemClient, type MemberSystemClientOptions } from './client.ts';
import { systemTimeToIso } from './dates.ts';
import { CONNECTOR_NAME, MEMBERS_STREAM, SYSTEM } from './fields.ts';
import { importMemberFile } from './import/import-file.ts';
import { mapMemberRow } from './mapping.ts';
import { ORGS_STREAM } from './org-fields.ts';
import { mapOrgRow } from './org-mapping.ts';

export interface MemberSystemConnectorOptions extends Omit<MemberSystemClientOptions, 'baseUrl'> {
  readonly baseUrl: string;
  readonly instance: string;
  /** Items per feed page and per batch (the API allows up to 500). */
  readonly pageSize?: number;
  /** Where a first sync (null cursor) starts: an ISO datetime; default the beginning. */
  readonly since?: string;
  readonly signal?: AbortSignal;
  readonly logger?: Pick<Logger, 'debug' | 'warn'>;
  readonly now?: () => Date;
}

export interface MemberSystemCursor extends Cursor {
  readonly cursor: string | null;
  readonly modifiedSince: string | null;
}

const STREAMS: readonly StreamInfo[] = [
  { name: MEMBERS_STREAM, topics: ['member.observed'], description: '党员信息 change feed (新增/修改/删除 by 修改时间) → member.observed' },
  { name: ORGS_STREAM, topics: ['org.observed'], description: '党组织 list (codes, names, 类别, parents) → org.observed' },
];

function asCursor(c: Cursor | null, since: string | undefined): MemberSystemCursor {
  const cursor = typeof c?.cursor === 'string' ? c.cursor : null;
  const modifiedSince = typeof c?.modifiedSince === 'string' ? c.modifiedSince : (since ?? null);
  return { cursor, modifiedSince };
}

export function createMemberSystemConnector(options: MemberSystemConnectorOptions): Connector {
  const client = new MemberSystemClient(options);
  const pageSize = options.pageSize ?? 500;
  const now = options.now ?? (() => new Date());
  const signalOf = (s?: AbortSignal) => (s && options.signal ? AbortSignal.any([s, options.signal]) : (s ?? options.signal));

  async function* readOrgs(start: Cursor | null, signal?: AbortSignal): AsyncGenerator<ReadBatch> {
    const sig = signalOf(signal);
    let pageNo = typeof start?.pageNo === 'number' && Number.isInteger(start.pageNo) && start.pageNo > 0 ? start.pageNo : 1;
    for (;;) {
      const page = await client.orgs(pageNo, pageSize, sig);
      const observedAt = now().toISOString();
      const items = page.items.map((row, i) => mapOrgRow(row, { instance: options.instance, observedAt, where: `org list page ${pageNo} item ${i}` }));
      const last = page.items.length === 0 || pageNo * page.pageSize >= page.total;
      if (items.length > 0 || last) yield { items, cursor: { pageNo: last ? 1 : pageNo + 1 }, recordsRead: page.items.length };
      if (last) return;
      pageNo++;
    }
  }

  async function* read(stream: string, start: Cursor | null, signal?: AbortSignal): AsyncGenerator<ReadBatch> {
    if (stream === ORGS_STREAM) {
      yield* readOrgs(start, signal);
      return;
    }
    if (stream !== MEMBERS_STREAM) throw new Error(`member-system has no stream "${stream}" (streams: ${MEMBERS_STREAM}, ${ORGS_STREAM})`);
    const sig = signalOf(signal);
    let position = asCursor(start, options.since);
    for (;;) {
      const page = await client.changes({ cursor: position.cursor ?? undefined, modifiedSince: position.modifiedSince ?? undefined, pageSize }, sig);
      const observedAt = now().toISOString();
      const items = page.items.map((row, i) =>
        mapMemberRow(row, { instance: options.instance, occurredAt: systemTimeToIso(row.修改时间) ?? observedAt, observedAt, where: `change feed item ${i}` }),
      );
      const next: MemberSystemCursor = { cursor: page.nextCursor ?? position.cursor, modifiedSince: position.modifiedSince };
      options.logger?.debug({ items: items.length, hasMore: page.hasMore }, 'member-system page');
      if (items.length > 0 || next.cursor !== position.cursor) yield { items, cursor: next, recordsRead: page.items.length };
      position = next;
      if (!page.hasMore) return;
    }
  }

  return {
    name: CONNECTOR_NAME,
    system: SYSTEM,
    instance: options.instance,
    async check(signal?: AbortSignal): Promise<CheckResult> {
      try {
        await client.changes({ pageSize: 1 }, signalOf(signal));
        return { ok: true, message: `member system at ${options.baseUrl}: token accepted, change feed answers` };
      } catch (err) {
        options.logger?.warn({ err }, 'member-system check failed');
        return { ok: false, message: err instanceof Error ? err.message : String(err) };
      }
    },
    discover: () => Promise.resolve(STREAMS),
    read,
    importFile: (file: string, onProgress?: ImportProgress) =>
      importMemberFile(file, { instance: options.instance, batchSize: pageSize, now, onProgress }),
  };
}
