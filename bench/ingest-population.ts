// The benchmark's source data: one seeded population, with WeChat followers widened to the
// requested count by cloning followers under new openids (the simulator serves whatever the
// population holds) and the xAPI statement rate chosen to reach the requested count.
import { generatePopulation, type Population } from '../connectors/population/index.ts';

export function benchPopulation(o: { persons: number; followers: number; statements: number; seed: string }): Population {
  // Learners are ~60% of members and the generator spans 2 quarters by default.
  const perQuarter = o.statements / (o.persons * 0.6 * 2);
  const pop = generatePopulation({ persons: o.persons, seed: o.seed, statementsPerQuarter: perQuarter });
  const base = pop.systems.wechat.followers;
  const followers = [...base];
  for (let copy = 1; followers.length < o.followers; copy++) {
    for (const f of base) {
      if (followers.length >= o.followers) break;
      followers.push({ ...f, openid: `${f.openid}${copy.toString(36)}` });
    }
  }
  followers.length = Math.min(followers.length, o.followers);
  return { ...pop, systems: { ...pop.systems, wechat: { ...pop.systems.wechat, followers } } };
}
