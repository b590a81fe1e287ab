// 党员管理信息系统: the authoritative register. Nearly every member is in it, with an 18-digit
// number (validated at entry, but legacy records keep what was typed years ago), and phone
// numbers that are rarely updated.
import { Rng } from '../rng.ts';
import { orgOf, sortBy, type GenContext } from '../context.ts';
import { renderView } from '../noise.ts';
import type { MemberSystemRow } from '../system-types.ts';

const SYSTEM = 'member-system';
const MISSABLE = ['出生日期', '民族', '学历', '联系电话', '家庭住址', '工作岗位'] as const;

export interface MemberSystemData {
  readonly rows: MemberSystemRow[];
}

export function generateMemberSystem(ctx: GenContext): MemberSystemData {
  const rates = ctx.rates[SYSTEM];
  const rows: MemberSystemRow[] = [];
  ctx.persons.forEach((p, i) => {
    const rng = Rng.of(ctx.seed, SYSTEM, i);
    if (!rng.chance(ctx.coverage[SYSTEM])) return;
    const copies = ctx.ledger.roll(SYSTEM, 'duplicate', rates.duplicate, rng) ? 2 : 1;
    for (let c = 0; c < copies; c++) {
      const v = renderView(rng, ctx.ledger, SYSTEM, rates, p, {
        name: true, id: true, phone: true, org: true, missable: MISSABLE, swappable: p.fullMemberAt !== null, duplicate: c > 0,
      });
      const id = rng.uuid().replaceAll('-', '').toUpperCase();
      let joined = p.joinedAt;
      let full = p.fullMemberAt ?? '';
      if (v.swapped) [joined, full] = [full, joined];
      const row: MemberSystemRow = {
        记录ID: id,
        姓名: v.name,
        性别: p.gender,
        民族: p.ethnicity,
        公民身份证号码: v.idNumber,
        出生日期: p.birthDate,
        学历: p.education,
        人员类别: p.category,
        所在党支部: orgOf(ctx, v.orgCode).names[SYSTEM],
        入党日期: joined,
        转正日期: full,
        联系电话: v.phone,
        家庭住址: p.address,
        工作岗位: p.jobCategory,
        党籍状态: p.status,
        是否失联党员: p.lostContact ? '是' : '否',
        是否流动党员: p.floating ? '是' : '否',
      };
      if (v.missing !== null) row[v.missing as (typeof MISSABLE)[number]] = '';
      rows.push(row);
      ctx.truth.push({ system: SYSTEM, kind: 'member-row', id, personId: p.id, noise: v.noise });
    }
    if (i % 50_000 === 0) ctx.progress(SYSTEM, i, ctx.persons.length);
  });
  sortBy(rows, (r) => r.记录ID);
  return { rows };
}
