// The comparable forms of an org name. The alias key is the normaliser's org core (NFKC, so
// full-width forms fold; traditional → simplified; no party prefix; 第1/第一/一 one way; 党支部,
// 支部委员会 → 支部), so spelling variants of one name share one key. A key splits into the
// designator at its end (一支部, 总支, 党委: which org of a unit) and the stem before it (the
// unit and department the name carries).
import { cleanText } from '../reconciler/normalise/text.ts';
import { orgCore } from '../reconciler/normalise/org.ts';

export interface KeyParts {
  readonly key: string;
  readonly stem: string;
  /** The trailing ordinal + level word (一支部, 支部, 总支, 党委); null when the name has none. */
  readonly designator: string | null;
  /** The level word alone (支部, 总支, 党委 …), to find comparable orgs quickly. */
  readonly level: string | null;
}

const DESIGNATOR = /([零一二三四五六七八九十百]*)(总支|支部|党工委|党委|党组)$/u;

export function aliasKey(name: string): string {
  return orgCore(name) || cleanText(name) || name.trim();
}

export function splitKey(key: string): KeyParts {
  const m = DESIGNATOR.exec(key);
  if (!m) return { key, stem: key, designator: null, level: null };
  return { key, stem: key.slice(0, m.index), designator: m[0], level: m[2]! };
}

const LEVEL_OF_KIND: Readonly<Record<string, string>> = { 党委: '党委', 党工委: '党工委', 党总支: '总支', 党支部: '支部' };

/**
 * A registered org's form: its official name's key, with the level word its kind implies when
 * the name carries none (中共…交通运输局委员会 → …交通运输局党委), so 交通局党委 can match it.
 */
export function orgForm(name: string, kind: string | null): KeyParts {
  const parts = splitKey(aliasKey(name));
  const level = kind === null ? undefined : LEVEL_OF_KIND[kind];
  if (parts.designator !== null || level === undefined) return parts;
  return splitKey(`${parts.key}${level}`);
}
