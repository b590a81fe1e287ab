// WeChat records → member.observed. A follower names a person only through the admin's remark
// (plus tags for the category); a mini-program binding names one outright. Values stay raw.
import type { ReadItem } from '../contract.ts';
import { eventId } from '../../schemas/events/event-id.ts';
import { memberObserved } from '../../schemas/events/member-observed.ts';
import type { Source } from '../../schemas/events/envelope.ts';
import { parseRemark, remarkFields } from './remark.ts';

const TOPIC = 'member.observed';
const TYPE = 'member.observed';

export interface MapContext {
  readonly instance: string;
  /** Tag id → tag name from tags/get; the category comes from tag names, not account-specific ids. */
  readonly tagNames: ReadonlyMap<number, string>;
  readonly observedAt: string;
  /**
   * Scene string of a branch's QR code → the branch (YIBIAO_WECHAT_QR_SCENES): a follower who
   * subscribed by scanning it belongs to that branch, where the remark names none.
   */
  readonly qrScenes?: ReadonlyMap<string, string>;
}

/** Tag names that say which kind of member a follower is. */
const CATEGORY_BY_TAG: Readonly<Record<string, '正式党员' | '预备党员'>> = { 党员: '正式党员', 预备党员: '预备党员' };

/** `YYYY-MM-DDTHH:mm:ss+08:00` for a unix time: WeChat's times are China Standard Time. */
export function cstIso(epochSeconds: number): string {
  return `${new Date((epochSeconds + 8 * 3600) * 1000).toISOString().slice(0, 19)}+08:00`;
}

function invalid(recordId: string, rule: string, reason: string, raw: unknown): ReadItem {
  return { kind: 'invalid', topic: TOPIC, recordId, rule, reason, raw };
}

function finish(source: Source, occurredAt: string, ctx: MapContext, payload: Record<string, unknown>, raw: unknown): ReadItem {
  const event = { type: TYPE, version: 1, id: eventId(TYPE, source, payload), source, occurredAt, observedAt: ctx.observedAt, payload };
  const parsed = memberObserved.safeParse(event);
  if (parsed.success) return { kind: 'event', topic: TOPIC, event };
  const issue = parsed.error.issues[0];
  const where = issue?.path.map(String).join('.') ?? '(root)';
  return invalid(source.recordId, `${where}: ${issue?.message ?? 'schema'}`, parsed.error.issues.map((i) => `${i.path.map(String).join('.')}: ${i.message}`).join('; '), raw);
}

/**
 * One `user_info_list` item. Null when the follower names nobody (no remark, a nickname): such
 * followers are the normal case, not errors; the batch still counts them as read.
 */
export function mapFollower(raw: unknown, ctx: MapContext): ReadItem | null {
  const user = (raw ?? {}) as Record<string, unknown>;
  const openid = typeof user.openid === 'string' ? user.openid : '';
  if (openid === '') return invalid('(no openid)', 'openid: a non-empty string', 'user_info_list item without an openid', raw);
  const parsed = parseRemark(typeof user.remark === 'string' ? user.remark : '');
  if (parsed === null) return null;
  const subscribed = user.subscribe_time;
  if (typeof subscribed !== 'number' || !Number.isInteger(subscribed) || subscribed <= 0) {
    return invalid(openid, 'subscribe_time: unix seconds', `subscribe_time is ${JSON.stringify(subscribed)}`, raw);
  }
  const tagIds = Array.isArray(user.tagid_list) ? (user.tagid_list as unknown[]) : [];
  const categories = new Set(tagIds.map((t) => CATEGORY_BY_TAG[ctx.tagNames.get(Number(t)) ?? '']).filter((c) => c !== undefined));
  // Both tags at once happen when an admin forgets to drop one: the stricter one is the safer guess.
  const category = categories.has('预备党员') ? '预备党员' : categories.has('正式党员') ? '正式党员' : undefined;
  const accounts = [{ kind: 'wechat-openid', value: openid }];
  if (typeof user.unionid === 'string' && user.unionid !== '') accounts.push({ kind: 'wechat-unionid', value: user.unionid });
  // The branch whose QR code the follower subscribed through, where the scene table names it.
  const scanned = typeof user.qr_scene_str === 'string' && user.qr_scene_str !== '' ? ctx.qrScenes?.get(user.qr_scene_str) : undefined;
  const payload = {
    // The remark's own branch, if it names one, is the admin's word and comes after.
    ...(scanned !== undefined ? { orgName: scanned } : {}),
    ...remarkFields(parsed),
    ...(category !== undefined ? { category } : {}),
    accounts,
    deleted: user.subscribe === 0,
  };
  return finish({ system: 'wechat', instance: ctx.instance, recordId: openid }, cstIso(subscribed), ctx, payload, raw);
}

const BOUND_AT = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2})$/;

/** One mini-program binding: the member's own real name, phone, branch and (if verified) ID number. */
export function mapBinding(raw: unknown, ctx: MapContext): ReadItem {
  const b = (raw ?? {}) as Record<string, unknown>;
  const str = (k: string) => {
    const v = b[k];
    return typeof v === 'string' ? v : '';
  };
  const id = str('id');
  if (id === '') return invalid('(no id)', 'id: a non-empty string', 'binding without an id', raw);
  const at = BOUND_AT.exec(str('boundAt'));
  if (at === null || Number.isNaN(Date.parse(`${at[1]}T${at[2]}+08:00`))) {
    return invalid(id, 'boundAt: YYYY-MM-DD HH:mm:ss', `boundAt is ${JSON.stringify(b.boundAt)}`, raw);
  }
  if (str('openid') === '') return invalid(id, 'openid: a non-empty string', 'binding without an openid', raw);
  const payload = {
    name: str('realName'),
    ...(str('idNumber') !== '' ? { idNumber: str('idNumber') } : {}),
    ...(str('phone') !== '' ? { phone: str('phone') } : {}),
    ...(str('branchName') !== '' ? { orgName: str('branchName') } : {}),
    accounts: [{ kind: 'wechat-openid', value: str('openid') }],
    deleted: false,
  };
  return finish({ system: 'wechat', instance: ctx.instance, recordId: id }, `${at[1]}T${at[2]}+08:00`, ctx, payload, raw);
}
