// The connector contract, in the spirit of Airbyte/Singer: every source system's connector
// checks its credentials, lists its streams, reads incrementally from a cursor, imports the
// system's native export file, and (later) delivers write-backs. Connectors only map and
// validate shapes; the ingest runner (services/ingest) publishes, dead-letters and moves
// cursors, so every connector gets the same guarantees.
import type { SourceSystem } from '../schemas/events/envelope.ts';
import type { TopicName } from '../schemas/topics.ts';
import { FileLocationError } from '../schemas/file-error.ts';

/** An opaque, JSON-serialisable position in a stream (e.g. { next_openid }, { since, more }). */
export type Cursor = Readonly<Record<string, string | number | boolean | null>>;

/** One canonical event to publish (an envelope object; the runner validates it against the catalog). */
export interface EmittedEvent {
  readonly kind: 'event';
  readonly topic: TopicName;
  readonly event: unknown;
}

/** A source record that cannot become a canonical event: it goes to the topic's dead letters. */
export interface InvalidRecord {
  readonly kind: 'invalid';
  readonly topic: TopicName;
  readonly recordId: string;
  /** The rule it broke, e.g. "公民身份证号码: 18 digits with a valid check character". */
  readonly rule: string;
  readonly reason: string;
  /** The record exactly as the source gave it. */
  readonly raw: unknown;
}

export type ReadItem = EmittedEvent | InvalidRecord;

export interface ReadBatch {
  readonly items: readonly ReadItem[];
  /** Where the next read starts once every item of this batch is on the bus. */
  readonly cursor: Cursor;
  /** Source records this batch consumed (an item may come from several, or several items from one). */
  readonly recordsRead: number;
}

export interface StreamInfo {
  readonly name: string;
  readonly topics: readonly TopicName[];
  readonly description: string;
}

export interface CheckResult {
  readonly ok: boolean;
  readonly message: string;
}

export interface ImportProgress {
  (done: number, total: number | undefined): void;
}

export interface Connector {
  /** The connector's name in config, CLI and API: 'wechat', 'member-system', 'xapi', 'oa'. */
  readonly name: string;
  readonly system: SourceSystem;
  /** Which deployment (one province's member system, one official account). */
  readonly instance: string;
  check(signal?: AbortSignal): Promise<CheckResult>;
  discover(): Promise<readonly StreamInfo[]>;
  /**
   * Reads a stream from `cursor` (null: from the beginning), batch by batch. Source 5xx, timeouts
   * and quota errors are retried inside with backoff; what is still failing is thrown as a typed
   * error (schemas/errors.ts) and the runner keeps the cursor of the last acknowledged batch.
   */
  read(stream: string, cursor: Cursor | null, signal?: AbortSignal): AsyncIterable<ReadBatch>;
  /**
   * Parses a native export file completely before yielding anything: a malformed file (wrong
   * headers, broken archive, wrong encoding, empty) throws ImportFileError naming the file, row
   * and column, so nothing partial is published.
   */
  importFile(file: string, onProgress?: ImportProgress): Promise<AsyncIterable<ReadBatch>>;
}

/** A native export file that cannot be read as a whole; where exactly, for the person fixing it. */
export class ImportFileError extends FileLocationError {
  override readonly name = 'ImportFileError';
}
