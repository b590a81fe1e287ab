// 远程教育 (an xAPI LRS behind a learning platform). Learners log in with their ID number, their
// phone or a platform user name; people who registered twice have two accounts, each with its own
// statements. Statements copy the actor as the platform knew the learner.
import { Rng, Weighted } from '../rng.ts';
import { orgOf, sortBy, type GenContext } from '../context.ts';
import { cstEpochSeconds, cstIso, dayOf, isoDay, utcIso } from '../dates.ts';
import { renderView } from '../noise.ts';
import { COURSES } from '../tables/courses.ts';
import type { XapiAgent, XapiLearner, XapiStatement } from '../system-types.ts';

const SYSTEM = 'xapi';
export const XAPI_HOME_PAGE = 'https://dyjy.example.cn';
const FIRST_DAY = dayOf('2018-01-01');
const VERB = {
  completed: { id: 'http://adlnet.gov/expapi/verbs/completed', display: { 'zh-CN': '完成', 'en-US': 'completed' } },
  attended: { id: 'http://adlnet.gov/expapi/verbs/attended', display: { 'zh-CN': '参加', 'en-US': 'attended' } },
} as const;

type Scheme = 'id' | 'phone' | 'username';
const SCHEMES = new Weighted<Scheme>([['id', 55], ['phone', 35], ['username', 10]]);

export interface XapiData {
  readonly homePage: string;
  readonly learners: XapiLearner[];
  readonly statements: XapiStatement[];
}

export interface XapiOptions {
  /** Mean statements per learner per quarter; activity is heavy-tailed (many do little). */
  readonly statementsPerQuarter: number;
}

function duration(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  return `PT${h > 0 ? `${h}H` : ''}${m > 0 ? `${m}M` : ''}${s}S`;
}

function statements(rng: Rng, ctx: GenContext, actor: XapiAgent, since: number, mean: number): XapiStatement[] {
  const out: XapiStatement[] = [];
  // A learner's own activity level: exponential around the mean, so a few do most of the study.
  const level = -Math.log(1 - rng.next()) * mean;
  for (const q of ctx.quarters) {
    const start = Math.max(q.start, since);
    if (start > q.end) continue;
    const n = rng.poisson(level);
    for (let k = 0; k < n; k++) {
      const course = rng.pick(COURSES);
      const at = cstEpochSeconds(start + rng.int(q.end - start + 1), 7 * 3600 + rng.int(15 * 3600));
      const lag = rng.chance(0.7) ? rng.int(300) : rng.chance(0.83) ? rng.int(86_400) : rng.int(7 * 86_400);
      const spent = Math.max(60, Math.round(course.minutes * 60 * (0.8 + 0.4 * rng.next())));
      out.push({
        id: rng.uuid(),
        actor,
        verb: course.live ? VERB.attended : VERB.completed,
        object: {
          objectType: 'Activity',
          id: `${XAPI_HOME_PAGE}/course/${course.id}`,
          definition: {
            name: { 'zh-CN': course.title },
            type: course.live ? 'http://adlnet.gov/expapi/activities/meeting' : 'http://adlnet.gov/expapi/activities/course',
          },
        },
        result: { completion: true, duration: duration(spent) },
        timestamp: cstIso(at),
        stored: utcIso((at + spent + lag) * 1000 + rng.int(1000)),
        version: '1.0.3',
      });
    }
  }
  return out;
}

export function generateXapi(ctx: GenContext, options: XapiOptions): XapiData {
  const rates = ctx.rates[SYSTEM];
  const learners: XapiLearner[] = [];
  const all: XapiStatement[] = [];
  ctx.persons.forEach((p, i) => {
    const rng = Rng.of(ctx.seed, SYSTEM, i);
    if (!rng.chance(ctx.coverage[SYSTEM])) return;
    const copies = ctx.ledger.roll(SYSTEM, 'duplicate', rates.duplicate, rng) ? 2 : 1;
    let scheme = SCHEMES.draw(rng);
    for (let c = 0; c < copies; c++) {
      // A second registration uses the other usual login: ID number ↔ phone.
      if (c > 0) scheme = scheme === 'id' ? 'phone' : 'id';
      const v = renderView(rng, ctx.ledger, SYSTEM, rates, p, {
        name: true, id: scheme === 'id', phone: true, org: true, missable: ['phone', 'orgName'], swappable: false, duplicate: c > 0,
      });
      const login = scheme === 'id' ? v.idNumber : scheme === 'phone' ? v.phone : `dy${String(rng.int(1e8)).padStart(8, '0')}`;
      const actor: XapiAgent = { objectType: 'Agent', name: v.name, account: { homePage: XAPI_HOME_PAGE, name: login } };
      const registered = FIRST_DAY + rng.int(ctx.asOf - FIRST_DAY + 1);
      const learner: XapiLearner = {
        id: rng.uuid().replaceAll('-', ''),
        actor,
        phone: v.missing === 'phone' ? '' : v.phone,
        orgName: v.missing === 'orgName' ? '' : orgOf(ctx, v.orgCode).names[SYSTEM],
        registeredAt: `${isoDay(registered)}T${String(8 + rng.int(12)).padStart(2, '0')}:${String(rng.int(60)).padStart(2, '0')}:00+08:00`,
      };
      learners.push(learner);
      ctx.truth.push({ system: SYSTEM, kind: 'learner', id: learner.id, personId: p.id, noise: v.noise });
      for (const s of statements(rng, ctx, actor, registered, options.statementsPerQuarter)) {
        all.push(s);
        ctx.truth.push({ system: SYSTEM, kind: 'statement', id: s.id, personId: p.id, noise: [] });
      }
    }
    if (i % 50_000 === 0) ctx.progress(SYSTEM, i, ctx.persons.length);
  });
  sortBy(learners, (l) => l.registeredAt + l.id);
  // An LRS returns statements in stored order.
  sortBy(all, (s) => s.stored + s.id);
  return { homePage: XAPI_HOME_PAGE, learners, statements: all };
}
