// Which values each entity holds, kept compact for term frequencies counted over a whole topic
// (term-frequencies.ts). A map from each entity's string to its values, one per attribute, was the
// largest live part of the stream's model pass: at a million records three such maps of ~700,000
// entries and one of the ID numbers, next to the term frequencies themselves. Here entities and values
// are numbered once (Numbering), and each attribute keeps an entity's first value in an Int32Array
// slot — nearly every entity holds one — with the rest aside.

/** Strings numbered 0, 1, 2 … in the order first seen. */
export class Numbering {
  readonly #ids = new Map<string, number>();
  readonly #keys: string[] = [];

  id(key: string): number {
    let n = this.#ids.get(key);
    if (n === undefined) {
      n = this.#keys.length;
      this.#ids.set(key, n);
      this.#keys.push(key);
    }
    return n;
  }

  key(id: number): string {
    return this.#keys[id]!;
  }

  /** Every string numbered, by number. */
  keys(): readonly string[] {
    return this.#keys;
  }
}

const NONE: readonly number[] = [];

/** Each entity's distinct values, both as numbers. */
export class HeldValues {
  /** An entity's first value + 1; 0 while it holds none. */
  #first = new Int32Array(1024);
  readonly #more = new Map<number, number[]>();
  #holders = 0;

  /** The entity's values before `v`, or null when it already holds `v`. */
  add(entity: number, v: number): readonly number[] | null {
    if (entity >= this.#first.length) {
      const grown = new Int32Array(Math.max(2 * this.#first.length, entity + 1));
      grown.set(this.#first);
      this.#first = grown;
    }
    const first = this.#first[entity]! - 1;
    if (first < 0) {
      this.#first[entity] = v + 1;
      this.#holders++;
      return NONE;
    }
    if (first === v) return null;
    const more = this.#more.get(entity);
    if (more === undefined) {
      this.#more.set(entity, [v]);
      return [first];
    }
    if (more.includes(v)) return null;
    const before = [first, ...more];
    more.push(v);
    return before;
  }

  /** The entity's values. */
  of(entity: number): readonly number[] {
    const first = entity < this.#first.length ? this.#first[entity]! - 1 : -1;
    return first < 0 ? NONE : [first, ...(this.#more.get(entity) ?? NONE)];
  }

  /** Entities holding at least one value. */
  get holders(): number {
    return this.#holders;
  }
}
