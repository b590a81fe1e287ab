// The remark styles the population generator documents (systems/wechat.ts), each parsed into
// name and extras without touching the characters; every style as the population renders it; and
// the population's remarks written the ways other admins write them (separators, brackets, a
// whole mobile number, the branch first with a space).
import { describe, expect, it } from 'vitest';
import { parseRemark, remarkFields } from './remark.ts';
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

  it('reads separators, brackets, whole mobile numbers and the branch before the name', () => {
    for (const r of ['王伟/一支部', '王伟_一支部', '王伟｜一支部', '王伟—一支部', '王伟（一支部）', '【一支部】王伟', '一支部 王伟', '王伟，一支部']) {
      expect(parseRemark(r), r).toEqual({ name: '王伟', branch: '一支部' });
    }
    expect(parseRemark('王伟13812345678')).toEqual({ name: '王伟', phone: '13812345678' });
    expect(parseRemark('１３８１２３４５６７８ 王伟')).toEqual({ name: '王伟', phone: '１３８１２３４５６７８' });
    expect(parseRemark('王伟(退休)')).toEqual({ name: '王伟', title: '退休' });
    expect(parseRemark('科员 王伟')).toEqual({ name: '王伟', title: '科员' });
    expect(parseRemark('王伟 机关一支部 8821')).toEqual({ name: '王伟', branch: '机关一支部', phoneTail: '8821' });
    // A dash or a bracket makes a shortened branch of what a space alone makes a title.
    for (const r of ['王伟-机关', '王伟 - 机关', '王伟 （机关）']) expect(parseRemark(r), r).toEqual({ name: '王伟', branch: '机关' });
    expect(parseRemark('王伟 机关')).toEqual({ name: '王伟', title: '机关' });
    // A namesake's number in an OA-style name (王伟2) is no part of the name.
    expect(parseRemark('王伟2')).toEqual({ name: '王伟' });
    // A name alone stays a name even where it ends like a title.
    expect(parseRemark('刘德长')).toEqual({ name: '刘德长' });
    expect(parseRemark('阿卜杜·热合曼-一支部')).toEqual({ name: '阿卜杜·热合曼', branch: '一支部' });
  });

  it('gives the observation fields: branch as orgName, a title but 退休 as jobTitle', () => {
    expect(remarkFields(parseRemark('王伟-一支部 13812345678')!)).toEqual({ name: '王伟', orgName: '一支部', phone: '13812345678' });
    expect(remarkFields(parseRemark('王伟 8821')!)).toEqual({ name: '王伟', phoneTail: '8821' });
    expect(remarkFields(parseRemark('王伟 科员')!)).toEqual({ name: '王伟', jobTitle: '科员' });
    expect(remarkFields(parseRemark('王伟 退休')!)).toEqual({ name: '王伟' });
  });

  it('names nobody for empty remarks, nicknames and free text', () => {
    for (const r of ['', '   ', '老王', '小李', '老欧阳', '老公孙', 'abc', '13800138000', '一支部']) expect(parseRemark(r)).toBeNull();
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

  it('reads the population\'s remarks the same when written with other separators, brackets or a whole mobile', () => {
    const pop = population(3000, 'remarks');
    const phoneOf = new Map([...pop.persons.map((p) => [p.id, p.phones.at(-1) ?? ''] as const), ...pop.outsiders.map((o) => [o.id, o.phone] as const)]);
    const person = new Map(pop.truth.records.filter((t) => t.kind === 'follower').map((t) => [t.id, t.personId ?? '']));
    let branches = 0;
    let phones = 0;
    for (const f of pop.systems.wechat.followers) {
      const p = parseRemark(f.remark);
      if (p === null) continue;
      if (p.branch !== undefined) {
        for (const r of [`${p.name}/${p.branch}`, `${p.name}（${p.branch}）`, `【${p.branch}】${p.name}`, `${p.branch} ${p.name}`, `${p.name}｜${p.branch}`]) {
          expect(parseRemark(r), r).toEqual({ name: p.name, branch: p.branch });
        }
        branches++;
      }
      const phone = phoneOf.get(person.get(f.openid) ?? '');
      if (phone !== undefined && phone !== '' && p.branch === undefined && p.title === undefined) {
        for (const r of [`${p.name}${phone}`, `${phone} ${p.name}`, `${p.name}（${phone}）`]) expect(parseRemark(r), r).toEqual({ name: p.name, phone });
        // Written in groups, the number is taken whole, as typed.
        for (const sep of ['-', ' ']) {
          const grouped = [phone.slice(0, 3), phone.slice(3, 7), phone.slice(7)].join(sep);
          expect(parseRemark(`${p.name} ${grouped}`), grouped).toEqual({ name: p.name, phone: grouped });
        }
        phones++;
      }
    }
    expect(branches).toBeGreaterThan(100);
    expect(phones).toBeGreaterThan(1000);
  });
});
