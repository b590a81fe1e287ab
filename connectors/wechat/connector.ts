// The WeChat connector: followers (user/get pages → batchget 100 at a time → member.observed
// from remark and tags) and mini-program bindings (→ member.observed), incremental by cursor.
import type { Logger } from 'pino';
import type { CheckResult, Connector, Cursor, ImportProgress, ReadBatch, ReadItem, StreamInfo } from '../contract.ts';
import { BATCHGET_LIMIT, BINDINGS_LIMIT } from './protocol.ts';
import { WechatClient, type WechatClientOptions } from './client.ts';
import { importWechatFile } from './import-file.ts';
import { mapBinding, mapFollower } from './mapping.ts';

export interface WechatConnectorOptions extends Omit<WechatClientOptions, 'signal'> {
  readonly instance: string;
  /** Followers per batch (a multiple of 100 is best: batchget takes 100). Default 500. */
  readonly batchSize?: number;
  readonly signal?: AbortSignal;
  readonly logger?: Logger;
  /** Scene string of a branch's QR code → the branch (MapContext.qrScenes). */
  readonly qrScenes?: ReadonlyMap<string, string>;
}

const STREAMS: readonly StreamInfo[] = [
  { name: 'followers', topics: ['member.observed'], description: 'followers of the official account (user/get + user/info/batchget); named by remark and tags' },
  { name: 'bindings', topics: ['member.observed'], description: 'party mini-program bindings: real name, phone, branch, ID number when verified' },
];

export function createWechatConnector(options: WechatConnectorOptions): Connector {
  const client = new WechatClient(options);
  const batchSize = Math.max(1, options.batchSize ?? 500);
  const context = (tagNames: ReadonlyMap<number, string>) => ({ instance: options.instance, tagNames, observedAt: new Date().toISOString(), ...(options.qrScenes ? { qrScenes: options.qrScenes } : {}) });
  const signals = (signal?: AbortSignal) => AbortSignal.any([options.signal, signal].filter((s): s is AbortSignal => s !== undefined));

  async function* followers(cursor: Cursor | null, signal: AbortSignal): AsyncGenerator<ReadBatch> {
    let next = typeof cursor?.next_openid === 'string' ? cursor.next_openid : '';
    let offset = typeof cursor?.offset === 'number' ? cursor.offset : 0;
    const tagNames = new Map((await client.tags(signal)).tags.map((t) => [t.id, t.name]));
    for (;;) {
      const page = await client.userGet(next, signal);
      const openids = page.data?.openid ?? [];
      if (page.count === 0 || openids.length === 0) return;
      options.logger?.debug({ next_openid: next, count: openids.length, total: page.total }, 'wechat user/get page');
      offset = Math.min(offset, openids.length);
      while (offset < openids.length) {
        const chunk = openids.slice(offset, offset + batchSize);
        const items: ReadItem[] = [];
        const ctx = context(tagNames);
        for (let i = 0; i < chunk.length; i += BATCHGET_LIMIT) {
          const res = await client.batchGet(chunk.slice(i, i + BATCHGET_LIMIT), signal);
          for (const user of res.user_info_list) {
            const item = mapFollower(user, ctx);
            if (item !== null) items.push(item);
          }
        }
        offset += chunk.length;
        // Within a page the cursor is the page's own next_openid plus a position; past its end,
        // the next page's, so a resume never re-reads a finished page.
        const after = offset >= openids.length ? { next_openid: page.next_openid, offset: 0 } : { next_openid: next, offset };
        yield { items, cursor: after, recordsRead: chunk.length };
      }
      if (page.next_openid === '' || page.next_openid === next) return;
      next = page.next_openid;
      offset = 0;
    }
  }

  async function* bindings(cursor: Cursor | null, signal: AbortSignal): AsyncGenerator<ReadBatch> {
    let since = typeof cursor?.since === 'string' ? cursor.since : '';
    for (;;) {
      const res = await client.bindings(since, Math.min(batchSize, BINDINGS_LIMIT), signal);
      if (res.items.length > 0) {
        const ctx = context(new Map());
        since = res.next_since;
        yield { items: res.items.map((b) => mapBinding(b, ctx)), cursor: { since }, recordsRead: res.items.length };
      }
      if (!res.has_more || res.items.length === 0) return;
    }
  }

  return {
    name: 'wechat',
    system: 'wechat',
    instance: options.instance,
    async check(signal?: AbortSignal): Promise<CheckResult> {
      try {
        await client.token(signals(signal));
        const { tags } = await client.tags(signals(signal));
        if (options.bindingsKey !== undefined) await client.bindings('', 1, signals(signal));
        return { ok: true, message: `token ok, ${tags.length} tags${options.bindingsKey !== undefined ? ', binding feed ok' : ''}` };
      } catch (err) {
        return { ok: false, message: err instanceof Error ? err.message : String(err) };
      }
    },
    discover() {
      return Promise.resolve(STREAMS);
    },
    read(stream: string, cursor: Cursor | null, signal?: AbortSignal): AsyncIterable<ReadBatch> {
      if (stream === 'followers') return followers(cursor, signals(signal));
      if (stream === 'bindings') return bindings(cursor, signals(signal));
      throw new Error(`wechat has no stream ${JSON.stringify(stream)}; streams: ${STREAMS.map((s) => s.name).join(', ')}`);
    },
    async importFile(file: string, onProgress?: ImportProgress) {
      return importWechatFile(file, { instance: options.instance, batchSize, ...(onProgress ? { onProgress } : {}), ...(options.qrScenes ? { qrScenes: options.qrScenes } : {}) });
    },
  };
}
