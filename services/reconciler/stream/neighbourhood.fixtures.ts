// The arrival-order scenario of neighbourhood.ts, shared by its unit test and the PostgreSQL test:
// a hand-set model and four records of two people named 陈辉飞, in the order that misleads.
import { eventId } from '../../../schemas/events/event-id.ts';
import { memberObserved, type MemberObserved } from '../../../schemas/events/member-observed.ts';
import type { Model } from '../model.ts';
import { DEFAULT_MODEL_CONFIG, isDisagreement } from '../model-config.ts';

/**
 * A hand-set model: every agreeing level +10 bits (org +7), every "else" −5, prior −12; so name and
 * branch alone come to +5, just above the match threshold (4.25): the weak link.
 */
export function testModel(): Model {
  const comparisons = DEFAULT_MODEL_CONFIG.comparisons.map((c) => ({
    field: c.field,
    levels: c.levels.map((l) => {
      const weight = l.kind === 'null' ? 0 : isDisagreement(l.kind) ? -5 : c.field === 'name' && l.label === 'exact' ? 10 : c.field === 'org' ? 7 : 10;
      return { label: l.label, m: 0.5, u: 0.5 / 2 ** weight, weight, refused: false };
    }),
  }));
  return { config: DEFAULT_MODEL_CONFIG, prior: -12, comparisons, tf: {}, refused: [], expectedMatches: 0 };
}

let n = 0;
function event(system: 'member-system' | 'wechat', payload: Record<string, unknown>): MemberObserved {
  const source = { system, instance: 'default', recordId: `r${String(++n).padStart(3, '0')}` };
  const at = '2025-06-30T08:00:00.000Z';
  return memberObserved.parse({ type: 'member.observed', version: 1, id: eventId('member.observed', source, payload), source, occurredAt: at, observedAt: at, payload });
}

/**
 * In arrival order. A: a register row. W: a WeChat follower whose branch alias agrees with A's
 * branch (a weak link). W2: the same openid with B's phone. B: a register row of another person,
 * same name, B's phone.
 */
export function arrivalScenario(): [a: MemberObserved, w: MemberObserved, w2: MemberObserved, b: MemberObserved] {
  n = 0;
  return [
    event('member-system', { name: '陈辉飞', idNumber: '360681197501068359', orgName: '中共南昌市东湖区农业农村局综合第一支部委员会', phone: '17590899095' }),
    event('wechat', { name: '陈辉飞', orgName: '一支部', accounts: [{ kind: 'wechat-openid', value: 'oX3mTAy892GQ' }] }),
    event('wechat', { name: '陈辉飞', orgName: '二支部', phone: '13445788062', accounts: [{ kind: 'wechat-openid', value: 'oX3mTAy892GQ' }] }),
    event('member-system', { name: '陈辉飞', idNumber: '36090219460705119X', orgName: '中共南昌市西湖区司法局综合第二支部委员会', phone: '13445788062' }),
  ];
}
