// Blocking: only records sharing at least one key are compared. Several independent keys, so a
// typo or a missing field in one still leaves another (lessons §1: no single identity key).
// Each block is bounded: a key shared by more than `maxBlockSize` records (a common name in a big
// population) is skipped for candidate generation — such a key says little, and the other keys
// (ID, phone, name + birth date) still bring the true matches together.
import type { ModelConfig } from './model-config.ts';
import type { NormalisedRecord } from './normalise/index.ts';

export type BlockingConfig = ModelConfig['blocking'];

/** How many records a key's block may hold before it is skipped; the name-only key has its own bound. */
export function blockLimit(config: BlockingConfig, key: string): number {
  return key.startsWith('n:') ? (config.maxNameOnlyBlockSize ?? config.maxBlockSize) : config.maxBlockSize;
}

export function blockingKeys(r: NormalisedRecord): string[] {
  const keys: string[] = [];
  if (r.idDigits !== null) keys.push(`id:${r.idDigits}`);
  if (r.phone !== null) keys.push(`ph:${r.phone}`);
  for (const a of r.accounts) keys.push(`ac:${a}`);
  // A name in letters that may be given name first blocks under both readings (name.ts keyAlt).
  for (const n of [r.nameKey, r.nameKeyAlt ?? null]) {
    if (n === null) continue;
    keys.push(`n:${n}`);
    if (r.birthDate !== null) {
      keys.push(`nb:${n}|${r.birthDate}`);
      keys.push(`nm:${n}|${r.birthDate.slice(0, 7)}`);
    }
    // The stem's last two characters name the department (机关, 大队, 学校) in every system's
    // spelling of the branch, including an OA employee's plain department name.
    const stem = r.orgStem ?? r.orgCore;
    if (stem !== null) keys.push(`no:${n}|${stem.slice(-2)}`);
    if (r.phoneTail !== null) keys.push(`nt:${n}|${r.phoneTail}`);
  }
  return keys;
}

/** In-memory candidate index for offline evaluation; the streaming one reads the same keys from PostgreSQL. */
export class CandidateIndex {
  readonly #blocks = new Map<string, number[]>();
  readonly #config: BlockingConfig;

  constructor(config: BlockingConfig) {
    this.#config = config;
  }

  add(recordIndex: number, r: NormalisedRecord): void {
    for (const k of blockingKeys(r)) {
      const b = this.#blocks.get(k);
      if (b === undefined) this.#blocks.set(k, [recordIndex]);
      else b.push(recordIndex);
    }
  }

  /** Records sharing a bounded block with r (excluding `self`), ascending. */
  candidatesOf(r: NormalisedRecord, self = -1): number[] {
    const out = new Set<number>();
    for (const k of blockingKeys(r)) {
      const b = this.#blocks.get(k);
      if (b === undefined || b.length > blockLimit(this.#config, k)) continue;
      for (const i of b) if (i !== self) out.add(i);
    }
    return [...out].sort((x, y) => x - y);
  }

  /** Every candidate pair [i, j] with i < j, once. */
  pairs(): Array<[number, number]> {
    const seen = new Set<number>();
    const out: Array<[number, number]> = [];
    let n = 0;
    for (const b of this.#blocks.values()) for (const i of b) n = Math.max(n, i + 1);
    for (const [k, b] of this.#blocks) {
      if (b.length < 2 || b.length > blockLimit(this.#config, k)) continue;
      for (let x = 0; x < b.length; x++) {
        for (let y = x + 1; y < b.length; y++) {
          const i = Math.min(b[x] ?? 0, b[y] ?? 0);
          const j = Math.max(b[x] ?? 0, b[y] ?? 0);
          if (i === j || seen.has(i * n + j)) continue;
          seen.add(i * n + j);
          out.push([i, j]);
        }
      }
    }
    return out.sort((p, q) => p[0] - q[0] || p[1] - q[1]);
  }

  /** Blocks skipped as over-full, for reporting. */
  overfullBlocks(): number {
    let c = 0;
    for (const [k, b] of this.#blocks) if (b.length > blockLimit(this.#config, k)) c++;
    return c;
  }
}
