// The real people: one Person per party member, assigned to branches in tree order, plus
// deliberately resembling people (same name and birth date; twins) that no matcher may merge.
import { Rng, Weighted } from './rng.ts';
import { dayOf, isoDay, yearOf } from './dates.ts';
import { drawGiven, drawName, drawPhone, withGiven, type DrawnName } from './names.ts';
import {
  TRAITS, drawBirthDay, drawIdNumber, drawMembership, drawRegion, retiredAt,
} from './person-traits.ts';
import { ETHNICITIES, FEMALE_SHARE, JOB_CATEGORIES, JOB_TITLES, RETIRED_CATEGORY, STREETS, EDUCATION_BY_COHORT } from './tables/attributes.ts';
import { ORG_DISTRICTS } from './tables/org-names.ts';
import type { HardNegatives } from './noise-rates.ts';
import type { OrgTree } from './orgs.ts';
import type { Gender, Person } from './types.ts';

const ethnicities = new Weighted(ETHNICITIES);
const jobCategories = new Weighted(JOB_CATEGORIES);
const educations = EDUCATION_BY_COHORT.map(([bornBefore, weights]) => [bornBefore, new Weighted(weights)] as const);
const educationFor = (year: number) => (educations.find(([before]) => year < before) ?? educations[educations.length - 1]!)[1];

export interface PersonContext {
  readonly seed: string;
  readonly asOf: number;
  readonly tree: OrgTree;
  readonly hardNegatives: HardNegatives;
  /** Shared with outsiders so no two people hold one number. */
  readonly phonesInUse: Set<string>;
  readonly progress?: (phase: string, done: number, total: number) => void;
}

interface Draft extends Omit<Person, 'role'> {
  role: Person['role'];
}

function address(rng: Rng): string {
  const district = rng.pick(ORG_DISTRICTS)[1];
  return `江西省南昌市${district}${rng.pick(STREETS)}${rng.range(1, 999)}号${rng.range(1, 30)}栋${rng.range(1, 6)}单元${rng.range(1, 30)}0${rng.range(1, 4)}室`;
}

export function generatePersons(ctx: PersonContext): Person[] {
  const { seed, asOf, tree } = ctx;
  const idsInUse = new Set<string>();
  const persons: Draft[] = [];
  const branchOf: string[] = [];
  for (const b of tree.branches) for (let i = 0; i < b.size; i++) branchOf.push(b.code);
  const branchCodes = tree.branches.map((b) => b.code);

  for (let i = 0; i < branchOf.length; i++) {
    if (i % 50_000 === 0) ctx.progress?.('persons', i, branchOf.length);
    const rng = Rng.of(seed, 'person', i);
    const roll = rng.next();
    const target = i > 0 ? persons[rng.int(i)] : undefined;
    const kind = !target ? null : roll < ctx.hardNegatives.sameNameBirth ? 'same-name-birth'
      : roll < ctx.hardNegatives.sameNameBirth + ctx.hardNegatives.twins ? 'twin' : null;

    let gender: Gender = rng.chance(FEMALE_SHARE) ? '女' : '男';
    let birthDay = drawBirthDay(rng, asOf);
    let region = drawRegion(rng, yearOf(birthDay));
    let name: DrawnName;
    let near: number | undefined;
    if (kind === 'same-name-birth' && target) {
      gender = target.gender;
      birthDay = dayOf(target.birthDate);
      if (rng.chance(0.5)) region = { code: target.regionCode, name: '', since: 0, retired: 9999 };
      name = { name: target.name, surname: target.surname, given: target.name.slice(target.surname.length), pinyin: target.pinyin };
    } else if (kind === 'twin' && target) {
      if (rng.chance(0.5)) gender = target.gender;
      birthDay = dayOf(target.birthDate);
      region = { code: target.regionCode, name: '', since: 0, retired: 9999 };
      near = Number(target.idNumber.slice(14, 17));
      const targetGiven = target.name.slice(target.surname.length);
      let given = drawGiven(rng, gender, yearOf(birthDay));
      while (given === targetGiven) given = drawGiven(rng, gender, yearOf(birthDay));
      name = withGiven(target.surname, target.pinyin.slice(0, target.pinyin.length - pinyinTail(target)), given);
    } else {
      name = drawName(rng, gender, yearOf(birthDay));
    }
    const female = gender === '女';
    const idNumber = drawIdNumber(rng, region.code, birthDay, !female, idsInUse, near);
    const membership = drawMembership(rng, birthDay, asOf);
    const retired = retiredAt(birthDay, female, asOf);
    let jobCategory = retired ? RETIRED_CATEGORY : jobCategories.draw(rng);
    // Students are young: an older draw of 学生 is redrawn.
    while (jobCategory === '学生' && yearOf(asOf) - yearOf(birthDay) > 28) jobCategory = jobCategories.draw(rng);
    const phones = [drawPhone(rng, ctx.phonesInUse)];
    let phoneChangedAt: string | null = null;
    if (rng.chance(TRAITS.phoneChanged)) {
      phones.push(drawPhone(rng, ctx.phonesInUse));
      phoneChangedAt = isoDay(asOf - 1 - rng.int(5 * 365));
    }
    const orgCode = branchOf[i] ?? '';
    let previousOrgCode: string | null = null;
    let transferredAt: string | null = null;
    if (branchCodes.length > 1 && rng.chance(TRAITS.transferred)) {
      do previousOrgCode = rng.pick(branchCodes);
      while (previousOrgCode === orgCode);
      transferredAt = isoDay(Math.max(dayOf(membership.joinedAt), asOf - 1 - rng.int(730)));
    }
    persons.push({
      id: `P${String(i + 1).padStart(7, '0')}`,
      name: name.name,
      surname: name.surname,
      pinyin: name.pinyin,
      gender,
      birthDate: isoDay(birthDay),
      idNumber,
      regionCode: region.code,
      ethnicity: ethnicities.draw(rng),
      education: educationFor(yearOf(birthDay)).draw(rng),
      category: membership.category,
      joinedAt: membership.joinedAt,
      fullMemberAt: membership.fullMemberAt,
      status: rng.chance(TRAITS.stopped) ? '停止党籍' : '正常',
      lostContact: rng.chance(TRAITS.lostContact),
      floating: !retired && rng.chance(TRAITS.floating),
      phones,
      phoneChangedAt,
      address: address(rng),
      jobCategory,
      jobTitle: retired ? '' : rng.pick(JOB_TITLES[jobCategory] ?? ['职员']),
      retired,
      orgCode,
      previousOrgCode,
      transferredAt,
      role: null,
      resembles: kind && target ? { personId: target.id, how: kind } : null,
    });
  }
  assignRoles(persons);
  return persons;
}

/** Length of the given name's pinyin at the end of a person's pinyin. */
function pinyinTail(p: Draft): number {
  const given = p.name.slice(p.surname.length);
  return withGiven('', '', given).pinyin.length;
}

/** 书记 and 组织委员: the two longest-standing full members in work; else the longest-standing. */
function assignRoles(persons: Draft[]): void {
  const byBranch = new Map<string, Draft[]>();
  for (const p of persons) {
    const list = byBranch.get(p.orgCode);
    if (list) list.push(p);
    else byBranch.set(p.orgCode, [p]);
  }
  for (const members of byBranch.values()) {
    const ranked = [...members].sort(
      (a, b) => Number(a.retired) - Number(b.retired) || Number(a.category !== '正式党员') - Number(b.category !== '正式党员')
        || a.joinedAt.localeCompare(b.joinedAt) || a.id.localeCompare(b.id),
    );
    if (ranked[0]) ranked[0].role = '书记';
    if (ranked[1]) ranked[1].role = '组织委员';
  }
}
