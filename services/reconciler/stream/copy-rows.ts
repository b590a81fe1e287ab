// Rows into a table with COPY, inside the batch's transaction: PostgreSQL's own bulk path, no
// statement to parse and plan, no array literal to take apart. It is used only for rows that
// cannot collide with a stored one (COPY has no ON CONFLICT): history rows, and the records,
// block rows and links of records the batch is the first to see (bench write-floor measures what
// each table costs this way). node-postgres has no COPY of its own: pg-copy-streams speaks it on
// the transaction's connection; PGlite reads COPY ... FROM '/dev/blob' from a Blob it is handed.
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { Tx } from './sql.ts';

export type CopyValue = string | number | boolean | null;

/** One row in COPY's text format: tab-separated, backslash, tab, newline and CR escaped, null as \N. */
function copyLine(values: readonly CopyValue[]): string {
  return `${values.map((v) => (v === null ? '\\N' : String(v).replace(/[\\\t\n\r]/gu, (c) => COPY_ESCAPES[c]!))).join('\t')}\n`;
}
const COPY_ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

interface PgliteCopy { query(sql: string, params: unknown[], options: { blob: Blob }): Promise<unknown> }

/** `target` is `table (column, …)`; the rows' values in that order. */
export async function copyRows(tx: Tx, target: string, rows: ReadonlyArray<readonly CopyValue[]>): Promise<void> {
  if (rows.length === 0) return;
  const text = rows.map(copyLine).join('');
  // The connection the transaction runs on; drizzle keeps it on its session (not in its types).
  const client = (tx._.session as unknown as { client: unknown }).client;
  if (client instanceof pg.Client) {
    await pipeline(Readable.from([text]), client.query(copyFrom(`copy ${target} from stdin`)));
    return;
  }
  await (client as PgliteCopy).query(`copy ${target} from '/dev/blob'`, [], { blob: new Blob([text]) });
}
