// Person names. Three comparable forms, from strict to tolerant: the simplified characters, the
// toneless pinyin (with surname readings, so 单/曾/区 read shan/zeng/ou), and a homophone key
// that also merges the initials and finals that southern speakers (and their IMEs' fuzzy-pinyin
// settings) confuse. Typos typed on a pinyin IME land on a homophone, so the key survives them.
import { pinyin } from 'pinyin-pro';
import { memoised } from './memo.ts';
import { PINYIN_SYLLABLES } from './pinyin-syllables.ts';
import { hasHan, simplify } from './text.ts';

export interface NormalisedName {
  /** Simplified characters, no spaces or punctuation; null if nothing is left. */
  readonly name: string | null;
  /** Toneless pinyin syllables joined by spaces ("ou yang cui hua"). */
  readonly pinyin: string | null;
  /** Homophone-tolerant key: fuzzy-pinyin merges applied, syllables joined without spaces. */
  readonly key: string | null;
  /**
   * A name in letters that does not say which of its words is the surname (Wei Wang: the given
   * name may come first, as English-language forms put it): the key read with its last word
   * first. Null for names in characters, one-word names and names with the surname in capitals.
   */
  readonly keyAlt: string | null;
}

// The standard fuzzy-pinyin pairs offered by Chinese IMEs (模糊音): z/zh c/ch s/sh l/n f/h r/l
// an/ang en/eng in/ing ian/iang uan/uang. We fold each pair to one spelling. f/h and r/l are left
// out: they merge too many distinct surnames (胡/符, 刘/饶) for the gain.
const INITIALS: ReadonlyArray<readonly [RegExp, string]> = [
  [/^zh/u, 'z'], [/^ch/u, 'c'], [/^sh/u, 's'], [/^n(?=[aeiouv])/u, 'l'],
];
const FINALS: ReadonlyArray<readonly [RegExp, string]> = [
  [/iang$/u, 'ian'], [/uang$/u, 'uan'], [/ang$/u, 'an'], [/eng$/u, 'en'], [/ing$/u, 'in'],
];

export function fuzzySyllable(syllable: string): string {
  let s = syllable.replace(/ü/gu, 'v');
  for (const [re, to] of INITIALS) s = s.replace(re, to);
  for (const [re, to] of FINALS) s = s.replace(re, to);
  return s;
}

export function namePinyin(name: string): string[] {
  if (!hasHan(name)) return latinSyllables(name) ?? [name.toLowerCase()];
  return pinyin(name, { toneType: 'none', type: 'array', surname: 'head', v: true }).map((s) => s.toLowerCase());
}

const SYLLABLES = new Set(PINYIN_SYLLABLES);
const LONGEST_SYLLABLE = Math.max(...PINYIN_SYLLABLES.map((s) => s.length));

/**
 * A name written in pinyin letters (Wang Wei, WANG Wei, wangwei: account directories and forms
 * hold such) cut into the syllables its characters read as, so its pinyin and homophone key are
 * those of the name in characters and it meets that name's records in the name blocks. Each run
 * of letters is cut into the fewest syllables (xian is 先, not 西安: the key joins them anyway),
 * and of cuts as few, the one with fewest syllables that start with a vowel: pinyin spelling puts
 * an apostrophe before those (Xi'an), so jianan is 佳楠 jia nan, not jian an. Names are often
 * written without it, so 姜爱 written jiangai reads jian gai: a key apart, as a typo would be
 * (written Jiang Ai, the space cuts it: lettersSyllables).
 * Null when some run is not pinyin (Mary), which keeps the letters as they are.
 */
function latinSyllables(name: string): string[] | null {
  const runs = name.toLowerCase().replace(/ü/gu, 'v').split(/[^a-z]+/u).filter((r) => r !== '');
  if (runs.length === 0) return null;
  const out: string[] = [];
  for (const run of runs) {
    // best[i]: the cut of run[i..] with the fewest syllables, then the fewest starting with a
    // vowel after the first, and where its first syllable ends.
    const best: Array<{ n: number; vowels: number; to: number } | null> = Array.from({ length: run.length + 1 }, () => null);
    best[run.length] = { n: 0, vowels: 0, to: run.length };
    for (let i = run.length - 1; i >= 0; i--) {
      for (let to = i + 1; to <= Math.min(run.length, i + LONGEST_SYLLABLE); to++) {
        const rest = best[to];
        if (rest == null || !SYLLABLES.has(run.slice(i, to))) continue;
        const vowels = rest.vowels + (to < run.length && /^[aoe]/u.test(run.slice(to)) ? 1 : 0);
        const b = best[i];
        if (b == null || rest.n + 1 < b.n || (rest.n + 1 === b.n && vowels < b.vowels)) best[i] = { n: rest.n + 1, vowels, to };
      }
    }
    if (best[0] == null) return null;
    for (let i = 0; i < run.length; i = best[i]!.to) out.push(run.slice(i, best[i]!.to));
  }
  return out;
}

// How people are addressed, not who they are: 老王 / 小李 / 老欧阳, and a surname with a post or
// a courtesy title (王书记, 李主任, 张老师, 陈师傅, 刘总). An admin's follower remark often holds no
// more; taken as a name, 王书记 would be compared as a (rare, so strong) given name 书记.
const TITLES = ['书记', '副书记', '主任', '副主任', '局长', '副局长', '处长', '科长', '部长', '校长', '院长', '所长', '队长', '站长', '组长', '主席', '委员', '老师', '师傅', '经理', '总', '同志'];
const FORM_OF_ADDRESS = new RegExp(`^(?:[老小]\\p{Script=Han}{1,2}|\\p{Script=Han}{1,2}(?:${TITLES.join('|')}))$`, 'u');

/** A form of address (老王, 小李, 王书记) rather than a name. */
export function isFormOfAddress(name: string): boolean {
  return FORM_OF_ADDRESS.test(name);
}

/** Distinct names kept normalised (memo.ts); with the orgs, peak RSS +28 MiB at 100k persons (bench/results/reconcile-100k-ab-2026-12-07-memo.md). */
const NAMES_KEPT = 200_000;

const keyOf = (syllables: readonly string[]) => syllables.map(fuzzySyllable).join('');

/**
 * The words of a name in letters, surname first where the writing shows it: a word in capitals
 * among words that are not (Wei WANG, WANG Wei) is the surname, the convention of passports and
 * international forms. Null when nothing shows it (Wang Wei, Wei Wang).
 */
function surnameFirst(words: readonly string[]): string[] | null {
  const caps = words.filter((w) => w.length >= 2 && w === w.toUpperCase());
  if (caps.length !== 1 || words.length < 2) return null;
  return [caps[0]!, ...words.filter((w) => w !== caps[0])];
}

/**
 * The syllables of a name's words in letters, each word cut on its own: the space the writer put
 * between surname and given name is a cut the letters alone do not show (Jiang Ai is jiang ai,
 * jiangai reads jian gai). Letters that are no pinyin (Mary Smith) stay one run, so they key alike
 * however they are spaced.
 */
function lettersSyllables(words: readonly string[]): string[] {
  return latinSyllables(words.join(' ')) ?? [simplify(words.join('')).toLowerCase()];
}

function lettersName(raw: string, name: string): NormalisedName {
  const words = raw.normalize('NFKC').split(/\s+/u).filter((w) => /\p{L}/u.test(w));
  const ordered = surnameFirst(words);
  const syllables = lettersSyllables(ordered ?? words);
  const key = keyOf(syllables);
  // Without a sign of the surname, the other reading: the last word first (Wei Wang → wang wei).
  const other = ordered === null && words.length >= 2 ? keyOf(lettersSyllables([words.at(-1)!, ...words.slice(0, -1)])) : null;
  return { name, pinyin: syllables.join(' '), key, keyAlt: other === key ? null : other };
}

const NO_NAME: NormalisedName = Object.freeze({ name: null, pinyin: null, key: null, keyAlt: null });

// What a source adds to a name in characters: a note in brackets (王伟（退休）, 王伟【预备】, an
// unclosed 王伟（借调) or the number an OA gives a second user of one name (王伟2). Neither is part
// of the person's name; kept, 王伟退休 would be compared as another (rare, so strong) name.
const NOTE = /[（(【[〔［][^）)】\]〕］]*(?:[）)】\]〕］]|$)/gu;
const DIGIT = /[0-9０-９]/gu;

function withoutNotes(raw: string): string {
  if (!hasHan(raw)) return raw;
  const bare = raw.replace(NOTE, '').replace(DIGIT, '');
  return hasHan(bare) ? bare : raw;
}

// Frozen: one object serves every record with that name.
const nameOf = memoised(NAMES_KEPT, (raw: string): NormalisedName => {
  const name = simplify(withoutNotes(raw));
  if (name === '' || isFormOfAddress(name)) return NO_NAME;
  if (!hasHan(name)) return Object.freeze(lettersName(raw, name));
  const syllables = namePinyin(name);
  return Object.freeze({ name, pinyin: syllables.join(' '), key: keyOf(syllables), keyAlt: null });
});

export function normaliseName(raw: string | undefined | null): NormalisedName {
  return raw == null ? NO_NAME : nameOf(raw);
}
