// The party WeChat official account. Followers carry no identity of their own: a person is
// recognisable only through the admin's remark, tags, the QR code they subscribed through, or a
// binding made in the party mini-program. Many followers are not members at all.
import { Rng, Weighted } from '../rng.ts';
import { orgOf, sortBy, type GenContext } from '../context.ts';
import { cstDateTime, cstEpochSeconds, dayOf } from '../dates.ts';
import { renderView } from '../noise.ts';
import type { WechatBinding, WechatTag, WechatUserInfo } from '../system-types.ts';
import type { Org, Outsider } from '../types.ts';
import { qrSceneOf } from '../qr-scenes.ts';

const SYSTEM = 'wechat';
const OPENID_PREFIX = 'oX3mT';
const UNIONID_PREFIX = 'o6_bm';
const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const FIRST_DAY = dayOf('2015-01-01');
const MINI_PROGRAM_LAUNCH = cstEpochSeconds(dayOf('2019-06-01'), 9 * 3600);

export const TAG = { member: 100, probationary: 101, secretary: 102, activist: 103, retired: 104, masses: 105, committeeBase: 110 } as const;
const COMMITTEE_TAGS = 80;
/** Share of member followers bound in the mini-program, and of those through 实名认证 (with ID). */
const BOUND = 0.45;
const VERIFIED = 0.4;
const UNIONID = 0.7;
const TAGGED = 0.6;

type Style = 'empty' | 'name' | 'name-branch' | 'name-phone' | 'name-title' | 'nickname';
const STYLES = new Weighted<Style>([['empty', 30], ['name', 20], ['name-branch', 25], ['name-phone', 15], ['name-title', 5], ['nickname', 5]]);
const SCENES = new Weighted([
  ['ADD_SCENE_QR_CODE', 45], ['ADD_SCENE_SEARCH', 20], ['ADD_SCENE_PROFILE_CARD', 10],
  ['ADD_SCENE_PROFILE_LINK', 10], ['ADD_SCENE_ACCOUNT_MIGRATION', 5], ['ADD_SCENE_OTHERS', 10],
] as const);

export interface WechatData {
  readonly tags: WechatTag[];
  readonly followers: WechatUserInfo[];
  readonly bindings: WechatBinding[];
}

function follower(rng: Rng, ctx: GenContext, remark: string, tags: number[], qrOrg: string | null): WechatUserInfo {
  const scene = qrOrg !== null ? 'ADD_SCENE_QR_CODE' : SCENES.draw(rng);
  return {
    subscribe: 1,
    openid: OPENID_PREFIX + rng.chars(B64, 23),
    language: 'zh_CN',
    subscribe_time: cstEpochSeconds(FIRST_DAY + rng.int(ctx.asOf - FIRST_DAY + 1), rng.int(86_400)),
    ...(rng.chance(UNIONID) ? { unionid: UNIONID_PREFIX + rng.chars(B64, 23) } : {}),
    remark,
    groupid: 0,
    tagid_list: tags,
    subscribe_scene: scene,
    qr_scene: 0,
    qr_scene_str: qrOrg !== null ? qrSceneOf(qrOrg) : '',
  };
}

export function generateWechat(ctx: GenContext): WechatData {
  const rates = ctx.rates[SYSTEM];
  const committees = [...ctx.orgByCode.values()].filter((o) => o.level === '党委').slice(0, COMMITTEE_TAGS);
  const committeeTag = new Map(committees.map((o, i) => [o.code, TAG.committeeBase + i]));
  const followers: WechatUserInfo[] = [];
  const bindings: WechatBinding[] = [];
  ctx.persons.forEach((p, i) => {
    const rng = Rng.of(ctx.seed, SYSTEM, i);
    if (!rng.chance(ctx.coverage[SYSTEM])) return;
    const copies = ctx.ledger.roll(SYSTEM, 'duplicate', rates.duplicate, rng) ? 2 : 1;
    for (let c = 0; c < copies; c++) {
      const style = STYLES.draw(rng);
      const bound = c === 0 && rng.chance(BOUND);
      const verified = bound && rng.chance(VERIFIED);
      const viaBranchQr = rng.chance(0.15);
      const v = renderView(rng, ctx.ledger, SYSTEM, rates, p, {
        name: bound || style.startsWith('name'),
        id: verified,
        phone: bound || style === 'name-phone',
        org: bound || style === 'name-branch' || viaBranchQr,
        missable: bound ? ['phone', 'branchName'] : [],
        swappable: style === 'name-branch' || style === 'name-phone',
        duplicate: c > 0,
      });
      const org: Org | null = v.orgCode ? orgOf(ctx, v.orgCode) : null;
      const branch = org === null ? '' : rng.chance(0.5) ? org.alias : org.names.wechat;
      const tail = v.phone.slice(-4);
      const remark = {
        empty: '',
        name: v.name,
        'name-branch': v.swapped ? `${branch}-${v.name}` : `${v.name}-${branch}`,
        'name-phone': v.swapped ? `${tail}${v.name}` : `${v.name} ${tail}`,
        'name-title': `${v.name} ${p.jobTitle || '退休'}`,
        nickname: `${rng.chance(0.5) ? '老' : '小'}${p.surname}`,
      }[style];
      const tags: number[] = [];
      if (rng.chance(TAGGED)) {
        tags.push(p.category === '正式党员' ? TAG.member : TAG.probationary);
        const ct = committeeTag.get(committeeOf(ctx, p.orgCode));
        if (ct !== undefined && rng.chance(0.5)) tags.push(ct);
        if (p.role === '书记' && rng.chance(0.8)) tags.push(TAG.secretary);
        if (p.retired && rng.chance(0.5)) tags.push(TAG.retired);
      }
      const f = follower(rng, ctx, remark, tags, viaBranchQr && org ? org.code : null);
      followers.push(f);
      ctx.truth.push({ system: SYSTEM, kind: 'follower', id: f.openid, personId: p.id, noise: v.noise });
      if (bound && org) {
        const b: WechatBinding = {
          id: `bd${rng.chars('0123456789abcdef', 16)}`,
          openid: f.openid,
          realName: v.name,
          phone: v.missing === 'phone' ? '' : v.phone,
          idNumber: v.idNumber,
          branchName: v.missing === 'branchName' ? '' : org.names.wechat,
          boundAt: cstDateTime(Math.min(cstEpochSeconds(ctx.asOf, 86_399), Math.max(f.subscribe_time, MINI_PROGRAM_LAUNCH) + rng.int(400 * 86_400))),
        };
        bindings.push(b);
        ctx.truth.push({ system: SYSTEM, kind: 'binding', id: b.id, personId: p.id, noise: v.noise });
      }
    }
    if (i % 50_000 === 0) ctx.progress(SYSTEM, i, ctx.persons.length);
  });
  return { tags: tagList(committees), followers, bindings };
}

function committeeOf(ctx: GenContext, code: string): string {
  let org = orgOf(ctx, code);
  while (org.parentCode !== null) org = orgOf(ctx, org.parentCode);
  return org.code;
}

function tagList(committees: readonly Org[]): WechatTag[] {
  return [
    { id: TAG.member, name: '党员', count: 0 }, { id: TAG.probationary, name: '预备党员', count: 0 },
    { id: TAG.secretary, name: '支部书记', count: 0 }, { id: TAG.activist, name: '入党积极分子', count: 0 },
    { id: TAG.retired, name: '离退休党员', count: 0 }, { id: TAG.masses, name: '群众', count: 0 },
    ...committees.map((o, i) => ({ id: TAG.committeeBase + i, name: o.names.wechat, count: 0 })),
  ];
}

/** Non-member followers: family, colleagues, the public. Their remarks carry real names too. */
export function addWechatOutsiders(ctx: GenContext, data: WechatData, outsiders: readonly Outsider[]): void {
  const outsiderTags = new Weighted<number[]>([[[], 85], [[TAG.activist], 10], [[TAG.masses], 3], [[TAG.member], 2]]);
  outsiders.forEach((o, i) => {
    const rng = Rng.of(ctx.seed, 'wechat-outsider', i);
    const r = rng.next();
    const remark = r < 0.5 ? '' : r < 0.8 ? o.name : `${o.name} ${o.phone.slice(-4)}`;
    const f = follower(rng, ctx, remark, [...outsiderTags.draw(rng)], null);
    data.followers.push(f);
    ctx.truth.push({ system: SYSTEM, kind: 'follower', id: f.openid, personId: o.id, noise: [] });
  });
  // user/get lists followers in subscription order.
  data.followers.sort((a, b) => a.subscribe_time - b.subscribe_time || (a.openid < b.openid ? -1 : a.openid > b.openid ? 1 : 0));
  sortBy(data.bindings, (b) => b.boundAt + b.id);
  const counts = new Map<number, number>();
  for (const f of data.followers) for (const t of f.tagid_list) counts.set(t, (counts.get(t) ?? 0) + 1);
  for (const t of data.tags) t.count = counts.get(t.id) ?? 0;
}
