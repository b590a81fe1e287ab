// A Han name as its surname and given name, and how common such a name is from the shares of
// its parts. The estimate builds the part tables (estimate.ts); scoring reads them for names the
// estimate never saw (score.ts), so this sits apart from both.
/** Compound surnames (复姓) that a name's first character alone would split wrongly. */
const COMPOUND_SURNAMES = new Set(['欧阳', '司马', '诸葛', '上官', '东方', '皇甫', '尉迟', '公孙', '慕容', '令狐', '司徒', '夏侯', '长孙', '宇文', '端木', '西门', '南宫', '独孤', '呼延', '轩辕', '万俟', '澹台', '公冶', '宗政', '濮阳', '太叔', '申屠', '钟离', '闻人', '赫连', '拓跋']);

/** A Han name of 2–4 characters → [surname, given name]; anything else (minority, Latin) → null. */
export function splitChineseName(name: string): [string, string] | null {
  const chars = [...name];
  if (chars.length < 2 || chars.length > 4 || !chars.every((c) => /\p{Script=Han}/u.test(c))) return null;
  const two = chars.slice(0, 2).join('');
  const k = COMPOUND_SURNAMES.has(two) && chars.length > 2 ? 2 : 1;
  return [chars.slice(0, k).join(''), chars.slice(k).join('')];
}

/** Keys of the tables holding a Han name attribute's surname and given-name shares (per person). */
export const namePartKeys = (on: string) => [`${on}~surname`, `${on}~given`] as const;

/**
 * Key of the one-entry table holding how many times more often two people share a whole name than
 * their parts would by chance (term-frequencies.ts collisionExcess); 1 when absent.
 */
export const nameExcessKey = (on: string) => `${on}~excess`;

/**
 * f(surname)·f(given name) of a Han name, times the names' excess (nameExcessKey), from a model's
 * TF tables (null: not a Han name, or a part unseen). Also used when scoring a name the estimate
 * never saw: 胡伟 missing from a 20,000-record sample is still as common as its parts say, not as
 * rare as the level's average u.
 */
export function namePartsShare(tf: Readonly<Record<string, ReadonlyMap<string, number>>>, on: string, v: string): number | null {
  const split = splitChineseName(v);
  if (split === null) return null;
  const [sk, gk] = namePartKeys(on);
  const fs = tf[sk]?.get(split[0]);
  const fg = tf[gk]?.get(split[1]);
  if (fs === undefined || fg === undefined) return null;
  // Never commoner than either part: no more people are 胡伟 than are 胡 or 伟.
  return Math.min(fs * fg * (tf[nameExcessKey(on)]?.get('') ?? 1), fs, fg);
}
