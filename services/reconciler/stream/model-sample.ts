// Which records the stream's model is estimated from. One function of the topic's contents, shared
// by the consumer (model-store.ts, reading the topic through the bus) and eval-stream.ts.
//
// The sample is the `size` records with the smallest salted hash of their record key (a
// "bottom-k" sample): a uniform random sample of the records, whatever order the topic holds them
// in. The first N events of each partition were not: connectors backfill one system after the
// other, and at 50k persons the first 20,000 events were all register rows — a model that had
// never seen an OA, WeChat or learner record (no priors for those system pairs, m from register
// duplicates only). The result does not depend on partitioning or arrival order, so every worker,
// restart and replay that reads the same records gets the same sample. A record's latest revision
// (the last one offered: a record key keeps to one partition) stands for it; a record whose latest
// revision deletes it is left out.
import { hash } from 'node:crypto';
import type { ObservationPayload } from '../normalise/index.ts';

/** Records the stream's model is estimated from (at 50k persons: 20,000 of 171,617). */
export const MODEL_SAMPLE_SIZE = 20_000;

export interface SampledRecord {
  readonly ref: string;
  readonly payload: ObservationPayload;
}

/**
 * A uniform 48-bit hash of `key`, salted so that each sample draws apart from the others. The
 * one-shot `hash` gives createHash's digest in half the time (1.1 s against 2.2 s per million keys).
 */
export function saltedHash(salt: string, key: string): number {
  return hash('sha256', `${salt}\u0000${key}`, 'buffer').readUIntBE(0, 6);
}

/**
 * A bottom-k sample is pruned back to its size when it holds this many times as many: the larger,
 * the fewer sorts, but what it holds between prunes is live at the pass's peak (at 2, the rule-key
 * sample held up to twice its 73 MiB at a million records). Which entries survive does not depend
 * on when the prunes happen.
 */
export const PRUNE_AT = 1.25;

/** Bottom-k order: by hash, ties (never seen at 48 bits, but possible) by key. */
export const before = (a: { h: number; key: string }, b: { h: number; key: string }) => a.h - b.h || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

interface Entry { readonly h: number; readonly key: string; value: SampledRecord }

export class ModelSample {
  private readonly kept = new Map<string, Entry>();
  /** The size-th smallest (hash, key) after the last prune: nothing above it can end up sampled. */
  private bound: { h: number; key: string } | null = null;

  private readonly size: number;

  constructor(size: number) {
    this.size = size;
  }

  /**
   * Offers one event of record `key`; `load` (parse and validate) runs only if the record is, so
   * far, among the sampled ones, so a pass over a large topic parses few events in full. `load`
   * returning null (an invalid event) leaves the record's earlier revision in place.
   */
  offer(key: string, load: () => SampledRecord | null): void {
    const existing = this.kept.get(key);
    const h = existing?.h ?? saltedHash('model-sample', key);
    if (existing === undefined && this.bound !== null && before({ h, key }, this.bound) > 0) return;
    const value = load();
    if (value === null) return;
    if (existing !== undefined) existing.value = value;
    else this.kept.set(key, { h, key, value });
    if (this.kept.size >= PRUNE_AT * this.size) this.prune();
  }

  private prune(): void {
    const sorted = [...this.kept.values()].sort(before);
    for (const e of sorted.slice(this.size)) this.kept.delete(e.key);
    const last = sorted[Math.min(this.size, sorted.length) - 1];
    if (sorted.length >= this.size && last !== undefined) this.bound = { h: last.h, key: last.key };
  }

  /** The sampled records that are not deleted, in ref order. */
  records(): SampledRecord[] {
    this.prune();
    return [...this.kept.values()].map((e) => e.value).filter((r) => r.payload.deleted !== true)
      .sort((a, b) => (a.ref < b.ref ? -1 : a.ref > b.ref ? 1 : 0));
  }
}

