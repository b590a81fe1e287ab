// Admins write remarks in a handful of styles (connectors/population/systems/wechat.ts):
//   王伟 · 王伟-机关一支部 · 机关一支部-王伟 · 王伟 8821 · 8821王伟 · 王伟 科员 · 老王 / 小王.
// Only the structure is parsed here; the name keeps its characters exactly (traditional forms,
// typos, full-width digits) for the reconciler to normalise.

export interface ParsedRemark {
  readonly name: string;
  readonly branch?: string;
  /** Last four digits of a phone, as typed (possibly full-width). Not a phone number. */
  readonly phoneTail?: string;
  /** A job title or 退休 after the name. */
  readonly title?: string;
}

const TAIL = '[0-9０-９]{4}';
const TAIL_FIRST = new RegExp(`^(${TAIL})\\s*(\\S.*)$`, 'u');
const TAIL_LAST = new RegExp(`^(.*\\S)\\s+(${TAIL})$`, 'u');
const BRANCH = /(支部|总支|党委|委员会|党组)$/u;
/** 老王, 小李, 老欧阳: how people are addressed, not who they are. */
const NICKNAME = /^[老小]\p{Script=Han}{1,2}$/u;
/** A personal name: Han characters (a few with the middle dot of minority names), 2–8 long. */
const NAME = /^[\p{Script=Han}·•]{2,8}$/u;

/**
 * The person a remark names, or null when it names nobody (empty, a nickname, free text).
 * Followers without a name are ordinary (most people never get a remark), not errors.
 */
export function parseRemark(remark: string): ParsedRemark | null {
  const r = remark.trim();
  if (r === '' || NICKNAME.test(r)) return null;
  const first = TAIL_FIRST.exec(r);
  if (first) return named(first[2], { phoneTail: first[1] });
  const last = TAIL_LAST.exec(r);
  if (last) return named(last[1], { phoneTail: last[2] });
  const dash = r.indexOf('-');
  if (dash > 0) {
    const a = r.slice(0, dash).trim();
    const b = r.slice(dash + 1).trim();
    return BRANCH.test(a) && !BRANCH.test(b) ? named(b, { branch: a }) : named(a, { branch: b });
  }
  const space = /^(\S+)\s+(\S.*)$/u.exec(r);
  if (space) return named(space[1], { title: space[2] });
  return named(r, {});
}

function named(name: string | undefined, rest: Omit<ParsedRemark, 'name'>): ParsedRemark | null {
  const n = (name ?? '').trim();
  if (!NAME.test(n)) return null;
  const parts = Object.fromEntries(Object.entries(rest).filter(([, v]) => typeof v === 'string' && v.trim() !== '')) as Omit<ParsedRemark, 'name'>;
  return { name: n, ...parts };
}
