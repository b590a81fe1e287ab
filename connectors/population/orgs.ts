// The org tree: committees (党委) on host units, optional general branches (党总支), branches
// (党支部). Branch sizes are log-normal around ~24 members (the national average is about 20
// per grassroots org), so trees have many small branches and a few large ones.
import { Rng } from './rng.ts';
import { BRANCH_STEMS, HOST_UNITS, ORG_DISTRICTS, chineseNumeral } from './tables/org-names.ts';
import type { Org } from './types.ts';

const CITY = '南昌市';
const MAX_INDEX = 99;

export interface OrgTree {
  readonly orgs: readonly Org[];
  /** Branches in the order persons are assigned to them, with their member count. */
  readonly branches: ReadonlyArray<{ readonly code: string; readonly size: number }>;
}

function drawSizes(rng: Rng, persons: number): number[] {
  const sizes: number[] = [];
  let total = 0;
  while (total < persons) {
    const size = Math.min(150, Math.max(3, Math.round(Math.exp(Math.log(20) + 0.6 * rng.normal()))));
    sizes.push(Math.min(size, persons - total));
    total += size;
  }
  const last = sizes.length - 1;
  if (last > 0 && (sizes[last] ?? 0) < 3) sizes[last - 1] = (sizes[last - 1] ?? 0) + (sizes.pop() ?? 0);
  return sizes;
}

const pad2 = (n: number) => String(n).padStart(2, '0');

export function generateOrgs(seed: string, persons: number): OrgTree {
  const rng = Rng.of(seed, 'orgs');
  const sizes = drawSizes(rng, persons);
  const capacity = HOST_UNITS.length * ORG_DISTRICTS.length;
  // Committees grow when the population outgrows the host units at hand.
  const minPerCommittee = Math.ceil(sizes.length / capacity);
  const orgs: Org[] = [];
  const branches: Array<{ code: string; size: number }> = [];
  let next = 0;
  for (let k = 0; next < sizes.length; k++) {
    if (k >= capacity) throw new Error(`population too large for the org table (${persons} persons)`);
    const [unitFull, unitShort, category] = HOST_UNITS[k % HOST_UNITS.length] ?? HOST_UNITS[0]!;
    const [districtCode, districtName] = ORG_DISTRICTS[Math.floor(k / HOST_UNITS.length)] ?? ORG_DISTRICTS[0]!;
    const cc = pad2(1 + (k % HOST_UNITS.length));
    const unit = districtName + unitFull;
    const committeeCode = `${districtCode}${cc}0000`;
    const arabicInOa = rng.chance(0.3);
    orgs.push({
      code: committeeCode, level: '党委', parentCode: null, name: `中共${CITY}${unit}委员会`, unit, stem: '', category,
      alias: `${unitShort}党委`,
      names: { 'member-system': `中共${CITY}${unit}委员会`, oa: `${unitShort}党委`, wechat: `${unitShort}党委`, xapi: `${unit}党委` },
    });
    const count = Math.min(MAX_INDEX * (MAX_INDEX + 1), Math.max(minPerCommittee, rng.range(8, 60)), sizes.length - next);
    const stems = BRANCH_STEMS[category];
    // Half the committees (and every large one) group most branches under general branches;
    // codes leave two digits for each level, so at most 99 children per parent.
    const grouped = count > MAX_INDEX || rng.chance(0.5);
    const direct = grouped ? Math.min(MAX_INDEX, Math.floor(count * 0.2)) : count;
    const rest = count - direct;
    const groups = grouped ? Math.min(MAX_INDEX, Math.max(Math.ceil(rest / MAX_INDEX), Math.ceil(rest / rng.range(4, 12)))) : 0;
    const parents: Array<{ code: string; gg: string; members: number }> = [];
    if (direct > 0) parents.push({ code: committeeCode, gg: '00', members: direct });
    for (let g = 0; g < groups; g++) {
      const members = Math.floor(rest / groups) + (g < rest % groups ? 1 : 0);
      if (members > 0) parents.push({ code: `${districtCode}${cc}${pad2(g + 1)}00`, gg: pad2(g + 1), members });
    }
    const byStem = new Map<string, number>();
    const planned: Array<{ code: string; parent: string; stem: string; n: number }> = [];
    for (const parent of parents) {
      if (parent.members > MAX_INDEX) throw new Error('too many branches under one parent');
      if (parent.gg !== '00') {
        const stem = rng.pick(stems);
        const gbName = `中共${CITY}${unit}${stem}总支部委员会`;
        orgs.push({
          code: parent.code, level: '党总支', parentCode: committeeCode, name: gbName, unit, stem, category,
          alias: `${stem}总支`,
          names: { 'member-system': gbName, oa: `${unitShort}${stem}党总支`, wechat: `${stem}总支`, xapi: `${unit}${stem}党总支` },
        });
      }
      for (let b = 1; b <= parent.members; b++) {
        const stem = rng.pick(stems);
        const n = (byStem.get(stem) ?? 0) + 1;
        byStem.set(stem, n);
        planned.push({ code: `${districtCode}${cc}${parent.gg}${pad2(b)}`, parent: parent.code, stem, n });
      }
    }
    for (const p of planned) {
      const single = byStem.get(p.stem) === 1;
      const cn = single ? '' : chineseNumeral(p.n);
      const ordinal = single ? '' : `第${cn}`;
      const official = `中共${CITY}${unit}${p.stem}${ordinal}支部委员会`;
      orgs.push({
        code: p.code, level: '党支部', parentCode: p.parent, name: official, unit, stem: p.stem, category,
        alias: single ? `${p.stem}支部` : `${cn}支部`,
        names: {
          'member-system': official,
          oa: `${unitShort}${p.stem}${single ? '' : arabicInOa ? `第${p.n}` : ordinal}党支部`,
          wechat: `${p.stem}${cn}支部`,
          xapi: `${p.stem}${ordinal}支部委员会`,
        },
      });
      branches.push({ code: p.code, size: sizes[next++] ?? 0 });
    }
  }
  return { orgs, branches };
}
