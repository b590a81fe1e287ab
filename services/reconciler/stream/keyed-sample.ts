// Pairs of records that share a key, sampled from the whole topic by key: the model's own sample
// (model-sample.ts) is a uniform sample of records, and a pair is in it only when both of its
// records are: 20,000 records of 171,617 (50k persons) hold 669 pairs that share a rule key, of a
// million-record topic about 20, too few to count a level that one pair in a thousand holds.
// Sampling by the key instead keeps every record of a sampled key, so each sampled key brings all
// of its pairs. model-input.ts samples so the pairs a rule decides (by rule key) and the pairs at a
// dependency's given level (by its value: strangers sharing a phone).
//
// The keys kept are the `size` with the smallest salted hash (bottom-k, as model-sample.ts): a
// uniform sample of keys, the same for any order the topic is read in. A record's latest revision
// stands for it; a deleted one leaves.
import type { NormalisedRecord } from '../normalise/index.ts';
import { before, PRUNE_AT, saltedHash } from './model-sample.ts';

interface Key { readonly h: number; readonly key: string; readonly refs: Set<string> }

export class KeyedSample {
  readonly #size: number;
  readonly #salt: string;
  readonly #keysOf: (r: NormalisedRecord) => readonly string[];
  readonly #maxGroup: number;
  readonly #keys = new Map<string, Key>();
  readonly #records = new Map<string, { record: NormalisedRecord; keys: string[] }>();
  /** The size-th smallest (hash, key) after the last prune: nothing above it is kept. */
  #bound: { h: number; key: string } | null = null;

  /**
   * `salt` makes one sample's keys independent of another's; `keysOf`: the keys a record is sampled
   * under; a key held by more than `maxGroup` records brings no pairs (it would bring them by the square).
   */
  constructor(size: number, salt: string, keysOf: (r: NormalisedRecord) => readonly string[], maxGroup = Number.POSITIVE_INFINITY) {
    this.#size = size;
    this.#salt = salt;
    this.#keysOf = keysOf;
    this.#maxGroup = maxGroup;
  }

  /** The latest revision of record `ref`; null when it deletes the record. */
  offer(ref: string, record: NormalisedRecord | null): void {
    const earlier = this.#records.get(ref);
    if (earlier !== undefined) {
      for (const k of earlier.keys) this.#keys.get(k)?.refs.delete(ref);
      this.#records.delete(ref);
    }
    if (record === null) return;
    const kept: string[] = [];
    for (const key of this.#keysOf(record)) {
      let k = this.#keys.get(key);
      if (k === undefined) {
        const h = saltedHash(this.#salt, key);
        if (this.#bound !== null && before({ h, key }, this.#bound) > 0) continue;
        k = { h, key, refs: new Set() };
        this.#keys.set(key, k);
      }
      k.refs.add(ref);
      kept.push(key);
    }
    if (kept.length > 0) this.#records.set(ref, { record, keys: kept });
    if (this.#keys.size >= PRUNE_AT * this.#size) this.#prune();
  }

  #prune(): void {
    const sorted = [...this.#keys.values()].sort(before);
    for (const k of sorted.slice(this.#size)) {
      this.#keys.delete(k.key);
      for (const ref of k.refs) {
        const r = this.#records.get(ref)!;
        r.keys = r.keys.filter((x) => x !== k.key);
        if (r.keys.length === 0) this.#records.delete(ref);
      }
    }
    const last = sorted[Math.min(this.#size, sorted.length) - 1];
    if (sorted.length >= this.#size && last !== undefined) this.#bound = { h: last.h, key: last.key };
  }

  /**
   * The share of all keys offered that are kept: 1 until the sample first pruned; after, by the k
   * minimum values estimate (the keys kept are those whose hash is at most the size-th smallest,
   * and a uniform hash puts that share of all keys there).
   */
  keyShare(): number {
    this.#prune();
    if (this.#bound === null) return 1;
    return Math.min(1, ((this.#bound.h + 1) / 2 ** 48) * (this.#size / (this.#size - 1)));
  }

  /** Each pair of records that share a kept key, once (what the pair shows is the caller's to ask). */
  pairs(): Array<readonly [NormalisedRecord, NormalisedRecord]> {
    this.#prune();
    const seen = new Set<string>();
    const out: Array<readonly [NormalisedRecord, NormalisedRecord]> = [];
    for (const k of [...this.#keys.values()].sort(before)) {
      if (k.refs.size > this.#maxGroup) continue;
      const refs = [...k.refs].sort();
      for (let i = 0; i < refs.length; i++) {
        for (let j = i + 1; j < refs.length; j++) {
          const id = `${refs[i]}\u0000${refs[j]}`;
          if (seen.has(id)) continue;
          seen.add(id);
          out.push([this.#records.get(refs[i]!)!.record, this.#records.get(refs[j]!)!.record]);
        }
      }
    }
    return out;
  }
}
