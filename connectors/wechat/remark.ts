// An admin's remark on a follower: the one place WeChat names a person. The population generator
// writes a handful of styles (connectors/population/systems/wechat.ts):
//   王伟 · 王伟-机关一支部 · 机关一支部-王伟 · 王伟 8821 · 8821王伟 · 王伟 科员 · 老王 / 小王.
// Admins elsewhere write more: other separators (王伟/一支部, 王伟_一支部, 王伟｜一支部, 王伟—一支部),
// brackets (王伟（一支部）, 【一支部】王伟, 王伟(退休)), a whole mobile number (王伟13812345678),
// the branch before the name with a space (一支部 王伟). The remark is cut into parts at separators,
// brackets and digit runs, and each part read for what it is. Only the structure is parsed; the
// name keeps its characters exactly (traditional forms, typos) for the reconciler to normalise.

export interface ParsedRemark {
  readonly name: string;
  readonly branch?: string;
  /** A mainland mobile number written whole, as typed (possibly full-width). */
  readonly phone?: string;
  /** Last four digits of a phone, as typed (possibly full-width). Not a phone number. */
  readonly phoneTail?: string;
  /** A job title or 退休 next to the name. */
  readonly title?: string;
}

/** Digit runs and runs of anything else; what lies between (separators, brackets) cuts. */
const PART = /[0-9０-９]+|[^0-9０-９\s\-－—–_＿/／\\|｜,，、;；:：()（）[\]【】〔〕［］<>＜＞《》「」"“”'‘’]+/gu;
const DIGITS = /^[0-9０-９]+$/u;
const MOBILE_GROUPED = /(?<![0-9０-９])1[0-9０-９]{2}[\s\-－]+[0-9０-９]{4}[\s\-－]+[0-9０-９]{4}(?![0-9０-９])/u;
const BRANCH = /(支部|总支|党委|委员会|党组|党小组)$/u;
/** 老王, 小李, 老欧阳: how people are addressed, not who they are. */
const NICKNAME = /^[老小]\p{Script=Han}{1,2}$/u;
/** A personal name: Han characters (a few with the middle dot of minority names), 2–8 long. */
const NAME = /^[\p{Script=Han}·•]{2,8}$/u;
/** What a remark puts next to a name to say what the person does (四级主任科员, 驾驶员, 退休). */
const TITLE = /(员|长|师|工|书记|主任|主席|主管|经理|干事|干部|职工|学生|工作者|退休|离休|同志)$/u;

/**
 * The person a remark names, or null when it names nobody (empty, a nickname, free text).
 * Followers without a name are ordinary (most people never get a remark), not errors.
 */
export function parseRemark(remark: string): ParsedRemark | null {
  const trimmed = remark.trim();
  if (trimmed === '' || NICKNAME.test(trimmed)) return null;
  // A mobile number written in groups (138-1234-5678, 138 1234 5678) is one number, not a phone
  // tail and two stray runs: taken whole, as typed, before the remark is cut.
  const grouped = MOBILE_GROUPED.exec(trimmed);
  const r = grouped === null ? trimmed : `${trimmed.slice(0, grouped.index)} ${trimmed.slice(grouped.index + grouped[0].length)}`;
  // Each part with what separates it from the one before: whitespace alone (王伟 科员) reads
  // differently from a dash or a bracket (王伟-机关, 王伟 - 机关, 王伟（机关）).
  const parts = [...r.matchAll(PART)].map((m, i, all) => {
    const before = i === 0 ? '' : r.slice(all[i - 1]!.index + all[i - 1]![0].length, m.index);
    return { text: m[0], spaced: before !== '' && before.trim() === '' };
  });
  let branch: string | undefined;
  let phone: string | undefined = grouped?.[0];
  let phoneTail: string | undefined;
  const words: Array<{ text: string; spaced: boolean }> = [];
  for (const p of parts) {
    if (DIGITS.test(p.text)) {
      const d = p.text.normalize('NFKC');
      if (d.length === 11 && d.startsWith('1')) phone ??= p.text;
      else if (d.length === 4) phoneTail ??= p.text;
    } else if (BRANCH.test(p.text)) branch ??= p.text;
    else words.push(p);
  }
  // The first word that can be a name; of several, the first that does not read as a title
  // (科员 王伟). A name alone is a name even where it ends like a title (刘德长).
  const names = words.filter((w) => NAME.test(w.text) && !NICKNAME.test(w.text));
  const chosen = names.length > 1 ? (names.find((w) => !TITLE.test(w.text)) ?? names[0]) : names[0];
  if (chosen === undefined) return null;
  const name = chosen.text;
  const others = words.filter((w) => w !== chosen);
  // What is neither name nor branch: a title after a space or where it reads as one (王伟 科员,
  // 王伟（退休）), else a branch the admin shortened (王伟-机关).
  let title: string | undefined;
  for (const o of others) {
    if (TITLE.test(o.text) || (o.spaced && branch !== undefined)) title ??= o.text;
    else if (branch === undefined && !o.spaced) branch = o.text;
    else title ??= o.text;
  }
  return { name, ...(branch !== undefined ? { branch } : {}), ...(phone !== undefined ? { phone } : {}), ...(phoneTail !== undefined ? { phoneTail } : {}), ...(title !== undefined ? { title } : {}) };
}

/** The observation fields a remark gives (mapping.ts mapFollower; the offline evaluation maps through it). */
export function remarkFields(p: ParsedRemark): { name: string; orgName?: string; phone?: string; phoneTail?: string; jobTitle?: string } {
  return {
    name: p.name,
    ...(p.branch !== undefined ? { orgName: p.branch } : {}),
    ...(p.phone !== undefined ? { phone: p.phone } : {}),
    ...(p.phoneTail !== undefined ? { phoneTail: p.phoneTail } : {}),
    // 退休 says the person has no post now: not a job title to compare.
    ...(p.title !== undefined && p.title !== '退休' ? { jobTitle: p.title } : {}),
  };
}
