// The member system's 党组织 list: the columns of its 党组织信息 export, as its open API serves
// them page by page. The system issues the org codes (统一编码), so it is the registry's authority.
import type { Population } from '../population/index.ts';

export const ORGS_STREAM = 'orgs';

export const ORG_HEADERS = ['党组织代码', '党组织名称', '党组织类别', '上级党组织代码', '上级党组织名称', '单位性质类别', '党组织书记', '联系电话'] as const;
export type OrgHeader = (typeof ORG_HEADERS)[number];
export type OrgRow = Readonly<Record<OrgHeader, string>>;

/** The 党组织 list a member system holding this population exports: every org, parents first. */
export function orgRowsOf(population: Population): OrgRow[] {
  const byCode = new Map(population.orgs.map((o) => [o.code, o]));
  const secretary = new Map<string, { name: string; phone: string }>();
  for (const p of population.persons) {
    if (p.role === '书记' && !secretary.has(p.orgCode)) secretary.set(p.orgCode, { name: p.name, phone: p.phones.at(-1) ?? '' });
  }
  return [...population.orgs]
    .sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0))
    .map((o) => {
      const s = secretary.get(o.code);
      const parent = o.parentCode === null ? undefined : byCode.get(o.parentCode);
      return {
        党组织代码: o.code,
        党组织名称: o.names['member-system'],
        党组织类别: o.level,
        上级党组织代码: o.parentCode ?? '',
        上级党组织名称: parent?.names['member-system'] ?? '',
        单位性质类别: o.category,
        党组织书记: s?.name ?? '',
        联系电话: s?.phone ?? '',
      };
    });
}
