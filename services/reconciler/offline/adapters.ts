// Offline evaluation only: the synthetic population's native records → member.observed-like
// payloads, as a connector would map them (field names only; values stay raw). The real
// connectors live in connectors/*; these small adapters let the matcher be measured without them.
import { populationQrScenes, type Population } from '../../../connectors/population/index.ts';
import { scannedBranch } from '../../../connectors/wechat/mapping.ts';
import { loginFields } from '../../../connectors/xapi/login.ts';
import { parseRemark, remarkFields } from '../../../connectors/wechat/remark.ts';
import type { ObservationPayload } from '../normalise/index.ts';

export interface OfflineRecord {
  readonly ref: string;
  readonly system: string;
  readonly payload: ObservationPayload;
}

const opt = (v: string): string | undefined => (v.trim() === '' ? undefined : v);

export function observationsOf(pop: Population): OfflineRecord[] {
  const out: OfflineRecord[] = [];
  // The QR scene table a hub is configured with for this population (YIBIAO_WECHAT_QR_SCENES).
  const scenes = populationQrScenes(pop);
  for (const r of pop.systems.memberSystem.rows) {
    out.push({ ref: `member-system:${r.记录ID}`, system: 'member-system', payload: {
      name: r.姓名, idNumber: opt(r.公民身份证号码), gender: r.性别 === '男' || r.性别 === '女' ? r.性别 : undefined,
      birthDate: opt(r.出生日期), phone: opt(r.联系电话), orgName: opt(r.所在党支部), jobTitle: opt(r.工作岗位),
    } });
  }
  for (const f of pop.systems.wechat.followers) {
    // The WeChat connector's own reading of the remark and QR scene (connectors/wechat/mapping.ts).
    const parsed = parseRemark(f.remark);
    if (parsed === null) continue;
    const scanned = scannedBranch(f.qr_scene_str, scenes);
    out.push({ ref: `wechat:${f.openid}`, system: 'wechat', payload: {
      ...(scanned !== undefined ? { orgName: scanned } : {}), ...remarkFields(parsed), accounts: [{ kind: 'wechat-openid', value: f.openid }, ...(f.unionid ? [{ kind: 'wechat-unionid' as const, value: f.unionid }] : [])],
    } });
  }
  for (const b of pop.systems.wechat.bindings) {
    out.push({ ref: `wechat:${b.id}`, system: 'wechat', payload: {
      name: b.realName, idNumber: opt(b.idNumber), phone: opt(b.phone), orgName: opt(b.branchName),
      accounts: [{ kind: 'wechat-openid', value: b.openid }],
    } });
  }
  for (const l of pop.systems.xapi.learners) {
    // The connector's reading of a login that is an ID number or a phone (connectors/xapi/login.ts).
    const login = loginFields(l.actor.account.name);
    out.push({ ref: `xapi:${l.id}`, system: 'xapi', payload: {
      name: l.actor.name, idNumber: login.idNumber, phone: opt(l.phone) ?? login.phone, orgName: opt(l.orgName),
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
