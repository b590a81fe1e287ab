// Non-members: the family, colleagues and public who follow the WeChat account, and the staff in
// the OA who are not party members. Drawn from the same name distribution as members, so many
// share a member's name: true non-matches that look like matches.
import { Rng } from './rng.ts';
import { addYears, isoDay } from './dates.ts';
import { drawName, drawPhone } from './names.ts';
import type { Outsider } from './types.ts';

export function generateOutsiders(seed: string, count: number, asOf: number, phonesInUse: Set<string>): Outsider[] {
  const out: Outsider[] = [];
  const earliest = addYears(asOf, -61);
  const latest = addYears(asOf, -20);
  for (let i = 0; i < count; i++) {
    const rng = Rng.of(seed, 'outsider', i);
    const gender = rng.chance(0.5) ? '女' : '男';
    const birth = earliest + rng.int(latest - earliest);
    const name = drawName(rng, gender, Number(isoDay(birth).slice(0, 4)));
    out.push({
      id: `N${String(i + 1).padStart(7, '0')}`,
      name: name.name,
      pinyin: name.pinyin,
      gender,
      birthDate: isoDay(birth),
      phone: drawPhone(rng, phonesInUse),
    });
  }
  return out;
}
