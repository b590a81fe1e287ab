// Key → partition for the embedded log. Only stability matters (same key, same partition, so
// per-key order holds); keyless messages are spread round-robin.
import { createHash } from 'node:crypto';

export function partitionForKey(key: string, partitions: number): number {
  return createHash('md5').update(key).digest().readUInt32BE(0) % partitions;
}

export function roundRobin(partitions: number): () => number {
  let next = 0;
  return () => next++ % partitions;
}
