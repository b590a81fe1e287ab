// One publish call may hold more than the broker takes in one produce request: Kafka refuses a
// record batch over message.max.bytes (1 MiB by default), and kafkajs puts everything one send
// gives a partition into one batch. A reconciler batch of a few thousand events announces as many
// master.updated messages, megabytes in all. Sending in chunks of at most REQUEST_BUDGET bytes,
// one after another, keeps every request under the limit and per-key order as it was.
import type { OutgoingMessage } from '../port.ts';

/** Half the broker's default limit: room for record and batch headers, which are not counted here. */
export const REQUEST_BUDGET = 512 * 1024;

/** Per-record overhead beyond key, value and headers (varints, attributes, offsets): an upper bound. */
const RECORD_OVERHEAD = 64;

export function messageBytes(m: OutgoingMessage): number {
  let n = RECORD_OVERHEAD + Buffer.byteLength(m.value) + (m.key == null ? 0 : Buffer.byteLength(m.key));
  for (const [k, v] of Object.entries(m.headers ?? {})) n += Buffer.byteLength(k) + Buffer.byteLength(v);
  return n;
}

/** Consecutive runs of messages under `budget` bytes each; a message larger than the budget goes alone. */
export function requestChunks<T extends OutgoingMessage>(messages: readonly T[], budget = REQUEST_BUDGET): T[][] {
  const out: T[][] = [];
  let chunk: T[] = [];
  let bytes = 0;
  for (const m of messages) {
    const b = messageBytes(m);
    if (chunk.length > 0 && bytes + b > budget) {
      out.push(chunk);
      chunk = [];
      bytes = 0;
    }
    chunk.push(m);
    bytes += b;
  }
  if (chunk.length > 0) out.push(chunk);
  return out;
}
