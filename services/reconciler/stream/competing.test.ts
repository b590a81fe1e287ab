// Masters known to be different people share a record's odds (competing.ts): a WeChat remark that
// names only a person and a branch number, arriving after two register rows of that name in
// branches of that number, joins neither; with one such row, it joins it.
import { describe, expect, it } from 'vitest';
import { eventId } from '../../../schemas/events/event-id.ts';
import { checkDigit } from '../../../schemas/id-number.ts';
import { memberObserved, type MemberObserved } from '../../../schemas/events/member-observed.ts';
import { scorePair } from '../score.ts';
import { decideBatch, type PreparedEvent } from './batch-decide.ts';
import { emptyBatch, type LoadedBatch } from './batch-state.ts';
import { testModel } from './neighbourhood.fixtures.ts';
import { prepareEvent } from './reconcile-batch.ts';

function event(system: 'member-system' | 'wechat', recordId: string, payload: Record<string, unknown>): MemberObserved {
  const source = { system, instance: 'default', recordId };
  const at = '2025-06-30T08:00:00.000Z';
  return memberObserved.parse({ type: 'member.observed', version: 1, id: eventId('member.observed', source, payload), source, occurredAt: at, observedAt: at, payload });
}
const id = (body: string) => `${body}${checkDigit(body)}`;

const empty = (items: readonly PreparedEvent[]): LoadedBatch => emptyBatch(items.flatMap((i) => i.blockingKeys));

describe('competing masters', () => {
  const model = testModel();
  const a = prepareEvent(event('member-system', 'a', { name: '陈辉飞', idNumber: id('36068119750106835'), orgName: '中共南昌市东湖区农业农村局综合第五支部委员会' }));
  const b = prepareEvent(event('member-system', 'b', { name: '陈辉飞', idNumber: id('36090219460705119'), orgName: '中共南昌市西湖区司法局机关第五支部委员会' }));
  const w = prepareEvent(event('wechat', 'w', { name: '陈辉飞', orgName: '五支部', accounts: [{ kind: 'wechat-openid', value: 'oX3mTcompete1' }] }));

  it('is the case it is about: the remark is in the match band with each register row on its own', () => {
    for (const r of [a, b]) expect(scorePair(model, w.normalised, r.normalised).band).toBe('match');
    expect(scorePair(model, a.normalised, b.normalised).rule.decision).toBe('never');
  });

  it('joins the one register row when there is one', () => {
    const d = decideBatch(empty([a, w]), model, [a, w]);
    expect(d.masterOf(w.key)).toBe(d.masterOf(a.key));
  });

  it('joins neither of two people it could equally be, and puts both pairs up for review', () => {
    const d = decideBatch(empty([a, b, w]), model, [a, b, w]);
    expect(d.masterOf(w.key)).not.toBe(d.masterOf(a.key));
    expect(d.masterOf(w.key)).not.toBe(d.masterOf(b.key));
    const reviewed = d.review.filter((r) => r.a === w.key).map((r) => r.b).sort();
    expect(reviewed).toEqual([a.key, b.key].sort());
  });

  it('does not let a record compete with its own person: a second remark of the same openid still joins', () => {
    const w2 = prepareEvent(event('wechat', 'w2', { name: '陈辉飞', orgName: '五支部', accounts: [{ kind: 'wechat-openid', value: 'oX3mTcompete1' }] }));
    const d = decideBatch(empty([a, b, w, w2]), model, [a, b, w, w2]);
    expect(d.masterOf(w2.key)).toBe(d.masterOf(w.key));
  });
});
