// The remark styles the population generator documents (systems/wechat.ts), each parsed into
// name and extras without touching the characters; and every style as the population renders it.
import { describe, expect, it } from 'vitest';
import { parseRemark } from './remark.ts';
import { population } from './testing.ts';

describe('parseRemark', () => {
  it('reads each documented style', () => {
    expect(parseRemark('王伟')).toEqual({ name: '王伟' });
    expect(parseRemark('王伟-机关一支部')).toEqual({ name: '王伟', branch: '机关一支部' });
    expect(parseRemark('机关一支部-王伟')).toEqual({ name: '王伟', branch: '机关一支部' });
    expect(parseRemark('王伟 8821')).toEqual({ name: '王伟', phoneTail: '8821' });
    expect(parseRemark('８８２１王偉')).toEqual({ name: '王偉', phoneTail: '８８２１' });
    expect(parseRemark('王伟 四级主任科员')).toEqual({ name: '王伟', title: '四级主任科员' });
    expect(parseRemark('欧阳娜 退休')).toEqual({ name: '欧阳娜', title: '退休' });
  });

  it('names nobody for empty remarks, nicknames and free text', () => {
    for (const r of ['', '   ', '老王', '小李', '老欧阳', 'abc', '13800138000']) expect(parseRemark(r)).toBeNull();
  });

  it('finds the true name in every remark of the population that contains it', () => {
    const pop = population(3000, 'remarks');
    const names = new Map([...pop.persons.map((p) => [p.id, p.name] as const), ...pop.outsiders.map((o) => [o.id, o.name] as const)]);
    const person = new Map(pop.truth.records.filter((t) => t.kind === 'follower').map((t) => [t.id, t.personId ?? '']));
    let checked = 0;
    for (const f of pop.systems.wechat.followers) {
      const name = names.get(person.get(f.openid) ?? '') ?? '';
      if (f.remark === '' || !f.remark.includes(name)) continue;
      expect(parseRemark(f.remark)?.name, f.remark).toBe(name);
      checked++;
    }
    expect(checked).toBeGreaterThan(500);
  });
});
