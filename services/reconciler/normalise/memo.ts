// Names and org names repeat: a person's name in each system that knows them, a common name in
// thousands of records, an org name in every record of its branch. Their normal forms are pure
// functions of the text, and the slow part of a record's normalisation (opencc, pinyin-pro,
// a chain of regular expressions), so the last distinct values are kept. Bounded, so a stream
// of a million distinct names holds no more than `max` of them; a value evicted is recomputed.
import { LRUCache } from 'lru-cache';

export function memoised<V extends object>(max: number, fn: (raw: string) => V): (raw: string) => V {
  const cache = new LRUCache<string, V>({ max });
  return (raw) => {
    let v = cache.get(raw);
    if (v === undefined) {
      v = fn(raw);
      cache.set(raw, v);
    }
    return v;
  };
}
