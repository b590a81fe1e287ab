// The 远程教育 connector: statements from the LRS → study.recorded, the platform's learner list
// → member.observed, live (incremental from a cursor) or from the platform's JSON exports.
import { setImmediate } from 'node:timers/promises';
import type { Connector, Cursor, ImportProgress, ReadBatch, StreamInfo } from '../contract.ts';
import { createXapiClient, type XapiClient } from './client.ts';
import type { RetryPolicy } from './http.ts';
import { parseXapiExport } from './import-file.ts';
import { mapLearner, mapStatement, SYSTEM } from './mapping.ts';
import { readLearners } from './read-learners.ts';
import { readStatements } from './read-statements.ts';

export interface XapiConnectorOptions {
  /** The platform's root URL; the LRS is at `${baseUrl}${lrsPath}`. */
  readonly baseUrl: string;
  readonly instance: string;
  readonly key: string;
  readonly secret: string;
  readonly lrsPath?: string;
  /** Statements or learners per request and per batch (the LRS may cap it). Default 500. */
  readonly pageSize?: number;
  readonly retry?: Partial<RetryPolicy>;
  readonly signal?: AbortSignal;
  readonly logger?: { warn(obj: object, msg?: string): void };
  readonly now?: () => Date;
}

export const XAPI_STREAMS: readonly StreamInfo[] = [
  { name: 'statements', topics: ['study.recorded'], description: 'xAPI statements in stored order (incremental, since + ids at the last stored time)' },
  { name: 'learners', topics: ['member.observed'], description: "the platform's learner list (full refresh, paged)" },
];

const IMPORT_BATCH = 500;

export function createXapiConnector(options: XapiConnectorOptions): Connector & { readonly client: XapiClient } {
  const client = createXapiClient(options);
  const pageSize = options.pageSize ?? 500;
  const now = options.now ?? (() => new Date());
  const signalOf = (s?: AbortSignal) => (s && options.signal ? AbortSignal.any([s, options.signal]) : (s ?? options.signal));

  return {
    name: 'xapi',
    system: SYSTEM,
    instance: options.instance,
    client,
    async check(signal) {
      try {
        const about = await client.about(signalOf(signal));
        if (!about.version.some((v) => v.startsWith('1.0.'))) return { ok: false, message: `the LRS speaks xAPI ${about.version.join(', ')}, not 1.0.x` };
        // About is open to all; a one-statement query proves the credentials.
        const page = await client.getStatements({ limit: 1 }, signalOf(signal));
        return { ok: true, message: `xAPI ${about.version.join(', ')}; consistent through ${page.consistentThrough ?? '(not reported)'}` };
      } catch (err) {
        return { ok: false, message: err instanceof Error ? err.message : String(err) };
      }
    },
    discover() {
      return Promise.resolve(XAPI_STREAMS);
    },
    read(stream: string, cursor: Cursor | null, signal?: AbortSignal): AsyncIterable<ReadBatch> {
      const base = { client, instance: options.instance, pageSize, signal: signalOf(signal), logger: options.logger };
      if (stream === 'statements') return readStatements(base, cursor);
      if (stream === 'learners') return readLearners({ ...base, now }, cursor);
      throw new Error(`xapi has no stream "${stream}"; it has ${XAPI_STREAMS.map((s) => s.name).join(', ')}`);
    },
    async importFile(file: string, onProgress?: ImportProgress) {
      const { kind, records } = await parseXapiExport(file);
      const observedAt = now().toISOString();
      const map = kind === 'statements' ? (r: unknown) => mapStatement(r, options.instance) : (r: unknown) => mapLearner(r, options.instance, observedAt);
      return (async function* () {
        for (let i = 0; i < records.length; i += IMPORT_BATCH) {
          const chunk = records.slice(i, i + IMPORT_BATCH);
          const done = i + chunk.length;
          yield { items: chunk.map(map), cursor: { file, kind, offset: done }, recordsRead: chunk.length };
          onProgress?.(done, records.length);
          // A large dump maps in one go otherwise; let timers and I/O run between batches.
          await setImmediate();
        }
      })();
    },
  };
}
