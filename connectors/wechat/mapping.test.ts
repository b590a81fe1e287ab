// A remark's phone tail travels as `phoneTail` (not `phone`: four digits are not a number), so
// the reconciler can weigh it; the other remark styles carry none.
import { describe, expect, it } from 'vitest';
import { mapFollower } from './mapping.ts';

const ctx = { instance: 'test-wechat', tagNames: new Map<number, string>(), observedAt: '2025-07-01T08:00:00+08:00' };
const user = (remark: string) => ({ subscribe: 1, openid: 'oX3mTtest', subscribe_time: 1_700_000_000, remark, tagid_list: [] });
const payloadOf = (remark: string) => {
  const r = mapFollower(user(remark), ctx);
  if (r?.kind !== 'event') throw new Error(`no event for ${remark}`);
  return (r.event as { payload: Record<string, unknown> }).payload;
};

describe('followers', () => {
  it('carries a remark\'s phone tail apart from the phone, full-width digits as typed', () => {
    expect(payloadOf('王伟 8821')).toMatchObject({ name: '王伟', phoneTail: '8821' });
    expect(payloadOf('８８２１王偉')).toMatchObject({ name: '王偉', phoneTail: '８８２１' });
    expect(payloadOf('王伟 8821').phone).toBeUndefined();
    expect(payloadOf('王伟-机关一支部').phoneTail).toBeUndefined();
  });
});
