// A remark's phone tail travels as `phoneTail` (not `phone`: four digits are not a number), so
// the reconciler can weigh it; the other remark styles carry none. A follower who subscribed
// through a branch's QR code gets that branch from the scene table, unless the remark names one.
import { describe, expect, it } from 'vitest';
import { populationQrScenes } from '../population/index.ts';
import { mapFollower } from './mapping.ts';
import { parseRemark } from './remark.ts';
import { population } from './testing.ts';

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

  it('gives a follower who scanned a branch\'s QR code that branch, where the remark names none', () => {
    const pop = population(3000, 'qr-scenes');
    const qrScenes = populationQrScenes(pop);
    const orgOf = new Map(pop.orgs.map((o) => [o.code, o]));
    let scanned = 0;
    let remarkWins = 0;
    for (const f of pop.systems.wechat.followers) {
      const parsed = parseRemark(f.remark);
      if (parsed === null) continue;
      const withTable = mapFollower(f, { ...ctx, qrScenes });
      const without = mapFollower(f, ctx);
      if (withTable?.kind !== 'event' || without?.kind !== 'event') throw new Error(`no event for ${f.openid}`);
      const [a, b] = [(withTable.event as { payload: { orgName?: string } }).payload, (without.event as { payload: { orgName?: string } }).payload];
      if (f.qr_scene_str === '') {
        expect(a).toEqual(b);
        continue;
      }
      // The generator's scene names the org whose code it carries.
      const org = orgOf.get(f.qr_scene_str.replace(/^zb/u, ''));
      expect(org, f.qr_scene_str).toBeDefined();
      if (parsed.branch === undefined) {
        expect(a.orgName).toBe(org!.names.wechat);
        expect(b.orgName).toBeUndefined();
        scanned++;
      } else {
        expect(a.orgName).toBe(parsed.branch);
        remarkWins++;
      }
    }
    expect(scanned).toBeGreaterThan(100);
    expect(remarkWins).toBeGreaterThan(0);
  });
});
