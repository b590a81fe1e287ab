// Ranks the registered orgs a name may mean. A candidate must end with the same designator (一支部
// is not 二支部); its stem must end with the name's stem (机关 in …交通运输局机关) or contain it
// in order (交通局机关 in …交通运输局机关: an abbreviation). Such a "strong" match with a non-empty
// stem is confident; the name resolves by matching only when exactly one org matches confidently.
import type { KeyParts } from './org-key.ts';

export interface OrgEntry {
  readonly code: string;
  readonly name: string;
  readonly form: KeyParts;
  /** The official name's own alias key (the form may add the level word its kind implies). */
  readonly key: string;
}

export interface Candidate {
  readonly code: string;
  readonly name: string;
  readonly score: number;
  readonly confident: boolean;
}

// Reused rows of the LCS table: ranking compares one name with thousands of orgs.
let rowA = new Uint16Array(64);
let rowB = new Uint16Array(64);

/** Longest common subsequence length of two short strings. */
export function lcs(a: string, b: string): number {
  const x = [...a];
  const y = [...b];
  if (rowA.length <= y.length) {
    rowA = new Uint16Array(y.length + 1);
    rowB = new Uint16Array(y.length + 1);
  }
  let prev = rowA.fill(0, 0, y.length + 1);
  let cur = rowB;
  for (const cx of x) {
    cur[0] = 0;
    for (let j = 1; j <= y.length; j++) cur[j] = cx === y[j - 1] ? prev[j - 1]! + 1 : Math.max(prev[j]!, cur[j - 1]!);
    [prev, cur] = [cur, prev];
  }
  return prev[y.length]!;
}

/** How many of a's characters occur in b at all: an upper bound of lcs(a, b), cheap to get. */
function shared(a: readonly string[], b: string): number {
  let n = 0;
  for (const c of a) if (b.includes(c)) n++;
  return n;
}

/** Below this share of the name's stem found in a candidate's, the candidate is not worth showing. */
const MIN_COVERAGE = 0.5;

export function scoreCandidate(q: KeyParts, org: OrgEntry): Candidate | null {
  const c = org.form;
  if (q.key === org.key || q.key === c.key) return { code: org.code, name: org.name, score: 1, confident: true };
  const d = q.designator === null ? 0.5 : q.designator === c.designator ? 1 : 0.3;
  let s: number;
  let strong: boolean;
  if (q.stem === '') {
    s = 0.5;
    strong = false;
  } else if (c.stem.endsWith(q.stem)) {
    s = 1;
    strong = true;
  } else {
    const chars = [...q.stem];
    if (shared(chars, c.stem) < MIN_COVERAGE * chars.length) return null;
    const coverage = lcs(q.stem, c.stem) / chars.length;
    if (coverage < MIN_COVERAGE) return null;
    s = 0.9 * coverage;
    strong = coverage === 1;
  }
  // Among equals, the tighter fit first: fewer characters the name does not account for.
  s -= 0.001 * Math.min(50, Math.max(0, [...c.stem].length - [...q.stem].length));
  return { code: org.code, name: org.name, score: Math.round(d * s * 1000) / 1000, confident: d === 1 && strong && q.stem !== '' };
}

/** Registered orgs grouped by level word, so a name is compared with comparable orgs only. */
export class CandidateIndex {
  readonly #byLevel = new Map<string, OrgEntry[]>();
  readonly #all: OrgEntry[] = [];

  constructor(entries: Iterable<OrgEntry>) {
    for (const e of entries) {
      this.#all.push(e);
      const level = e.form.level ?? '';
      const list = this.#byLevel.get(level) ?? [];
      list.push(e);
      this.#byLevel.set(level, list);
    }
  }

  /** Every candidate worth showing, best first (ties by code, so the order is stable). */
  rank(q: KeyParts): Candidate[] {
    const pool = q.level === null ? this.#all : (this.#byLevel.get(q.level) ?? []);
    const out: Candidate[] = [];
    for (const e of pool) {
      const c = scoreCandidate(q, e);
      if (c !== null) out.push(c);
    }
    return out.sort((a, b) => b.score - a.score || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
  }
}
