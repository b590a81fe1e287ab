// Offline evaluation only: the synthetic population's native records → member.observed-like
// payloads, as a connector would map them (field names only; values stay raw). The real
// connectors live in connectors/*; these small adapters let the matcher be measured without them.
import type { Population } from '../../../connectors/population/index.ts';
import type { ObservationPayload } from '../normalise/index.ts';

export interface OfflineRecord {
  readonly ref: string;
  readonly system: string;
  readonly payload: ObservationPayload;
}

const ORGISH = /(支部|总支|党委|党组|委员会)$/u;
const HAN_NAME = /^\p{Script=Han}{2,5}$/u;
// 老王 / 小李 are forms of address, not names: matching on them would only add false evidence.
const ADDRESS_FORM = /^[老小]\p{Script=Han}$/u;

/** An admin's follower remark (王伟-一支部, 一支部-王伟, 王伟 8821, 8821王伟, 赵琪兰 退休) → fields. */
export function parseRemark(remark: string): Pick<ObservationPayload, 'phone' | 'phoneTail' | 'orgName' | 'jobTitle'> & { name: string } | null {
  const text = remark.normalize('NFKC').trim();
  const digits = text.match(/\d+/gu) ?? [];
  const parts = text.replace(/\d+/gu, ' ').split(/[\s\-—_/|,，、]+/u).filter((p) => p !== '');
  const name = parts.find((p) => HAN_NAME.test(p) && !ORGISH.test(p) && !ADDRESS_FORM.test(p));
  if (name === undefined) return null;
  const org = parts.find((p) => p !== name && ORGISH.test(p));
  const title = parts.find((p) => p !== name && p !== org);
  const phone = digits.find((d) => d.length === 4 || d.length === 11);
  // Four digits are a phone tail, carried apart as the WeChat connector does.
  const tel = phone === undefined ? {} : phone.length === 4 ? { phoneTail: phone } : { phone };
  return { name, ...tel, ...(org ? { orgName: org } : {}), ...(title && title !== '退休' ? { jobTitle: title } : {}) };
}

const opt = (v: string): string | undefined => (v.trim() === '' ? undefined : v);
const ID_LIKE = /^[\dXx]{15,18}$/u;

export function observationsOf(pop: Population): OfflineRecord[] {
  const out: OfflineRecord[] = [];
  for (const r of pop.systems.memberSystem.rows) {
    out.push({ ref: `member-system:${r.记录ID}`, system: 'member-system', payload: {
      name: r.姓名, idNumber: opt(r.公民身份证号码), gender: r.性别 === '男' || r.性别 === '女' ? r.性别 : undefined,
      birthDate: opt(r.出生日期), phone: opt(r.联系电话), orgName: opt(r.所在党支部), jobTitle: opt(r.工作岗位),
    } });
  }
  for (const f of pop.systems.wechat.followers) {
    const parsed = parseRemark(f.remark);
    if (parsed === null) continue;
    out.push({ ref: `wechat:${f.openid}`, system: 'wechat', payload: {
      ...parsed, accounts: [{ kind: 'wechat-openid', value: f.openid }, ...(f.unionid ? [{ kind: 'wechat-unionid' as const, value: f.unionid }] : [])],
    } });
  }
  for (const b of pop.systems.wechat.bindings) {
    out.push({ ref: `wechat:${b.id}`, system: 'wechat', payload: {
      name: b.realName, idNumber: opt(b.idNumber), phone: opt(b.phone), orgName: opt(b.branchName),
      accounts: [{ kind: 'wechat-openid', value: b.openid }],
    } });
  }
  for (const l of pop.systems.xapi.learners) {
    const login = l.actor.account.name.normalize('NFKC');
    out.push({ ref: `xapi:${l.id}`, system: 'xapi', payload: {
      name: l.actor.name, idNumber: ID_LIKE.test(login) ? login : undefined, phone: opt(l.phone), orgName: opt(l.orgName),
      accounts: [{ kind: 'xapi-account', value: l.actor.account.name }],
    } });
  }
  for (const e of pop.systems.oa.employees) {
    out.push({ ref: `oa:${e.id}`, system: 'oa', payload: {
      name: e.lastname, phone: opt(e.mobile), orgName: opt(e.departmentname), orgUnit: opt(e.subcompanyname), jobTitle: opt(e.jobtitlename),
      accounts: [{ kind: 'oa-login', value: e.loginid }],
    } });
  }
  return out;
}

/** The truth person behind each offline record (null when unknown). */
export function truthOf(pop: Population, records: readonly OfflineRecord[]): Array<string | null> {
  const byRef = new Map(pop.truth.records.map((t) => [`${t.system}:${t.id}`, t.personId]));
  return records.map((r) => byRef.get(r.ref) ?? null);
}
