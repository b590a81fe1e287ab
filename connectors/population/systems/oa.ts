// The OA (泛微 e-cology style): an employee directory of every member in work (few retirees) and
// of non-member staff, with pinyin logins that collide for common names (wangwei, wangwei1 …).
// The department is the workplace's, not the branch's. Todos are added by tasks.ts.
import { Rng } from '../rng.ts';
import { orgOf, sortBy, type GenContext } from '../context.ts';
import { renderView } from '../noise.ts';
import { JOB_CATEGORIES, JOB_TITLES } from '../tables/attributes.ts';
import type { OaEmployee, OaTodo } from '../system-types.ts';
import type { Org, Outsider } from '../types.ts';

const SYSTEM = 'oa';
const WORKCODE_LOGIN = 0.2;

const DEPARTMENTS: Readonly<Record<string, readonly string[]>> = {
  机关: ['办公室', '综合科', '人事科', '财务科', '政策法规科'],
  办公室: ['办公室'],
  信息中心: ['信息中心'],
  执法大队: ['执法大队'],
  项目部: ['项目部'],
  联合: ['行政部'],
  科技: ['研发部'],
  商贸: ['销售部'],
  非公: ['党群服务中心'],
  离退休: ['离退休干部处'],
  学生: ['学生处'],
  教工: ['教务处', '语文教研组', '数学教研组', '英语教研组'],
  行政: ['校长办公室', '总务处'],
  社区: ['社区居委会'],
  村: ['村委会'],
  流动党员: ['村委会'],
};

export function departmentOf(org: Org, rng: Rng): string {
  const named = DEPARTMENTS[org.stem];
  if (named) return rng.pick(named);
  return org.stem + (org.category === '国有企业' || org.category === '非公企业' ? '部' : '科');
}

interface Draft {
  readonly key: string;
  readonly personId: string;
  readonly primary: boolean;
  readonly pinyin: string;
  readonly useWorkcode: boolean;
  readonly fields: Omit<OaEmployee, 'id' | 'workcode' | 'loginid'>;
  readonly noise: TruthNoise;
}
type TruthNoise = GenContext['truth'][number]['noise'];

export interface OaData {
  readonly employees: OaEmployee[];
  readonly todos: OaTodo[];
  /** Member → the login of their (first) account, for todo receivers. Not exported to files. */
  readonly loginOf: Map<string, string>;
}

export class OaBuilder {
  readonly #drafts: Draft[] = [];
  readonly #ctx: GenContext;

  constructor(ctx: GenContext) {
    this.#ctx = ctx;
  }

  /** Members in work are in the directory at the coverage rate; retirees rarely. Returns records added. */
  addMembers(): number {
    const ctx = this.#ctx;
    const rates = ctx.rates[SYSTEM];
    ctx.persons.forEach((p, i) => {
      const rng = Rng.of(ctx.seed, SYSTEM, i);
      if (!rng.chance(p.retired ? ctx.coverage.oaRetired : ctx.coverage[SYSTEM])) return;
      const copies = ctx.ledger.roll(SYSTEM, 'duplicate', rates.duplicate, rng) ? 2 : 1;
      for (let c = 0; c < copies; c++) {
        const v = renderView(rng, ctx.ledger, SYSTEM, rates, p, {
          name: true, id: false, phone: true, org: true, missable: ['mobile', 'jobtitlename'], swappable: false, duplicate: c > 0,
        });
        const org = orgOf(ctx, v.orgCode);
        this.#drafts.push({
          key: rng.uuid(), personId: p.id, primary: c === 0, pinyin: p.pinyin, useWorkcode: rng.chance(WORKCODE_LOGIN), noise: v.noise,
          fields: {
            lastname: v.name, departmentname: departmentOf(org, rng), subcompanyname: org.unit,
            mobile: v.missing === 'mobile' ? '' : v.phone,
            jobtitlename: v.missing === 'jobtitlename' ? '' : p.jobTitle || '退休干部',
            status: '正式',
          },
        });
      }
      if (i % 50_000 === 0) ctx.progress(SYSTEM, i, ctx.persons.length);
    });
    return this.#drafts.length;
  }

  /** Non-member staff, placed in a random branch's workplace. */
  addOutsiders(outsiders: readonly Outsider[]): void {
    const ctx = this.#ctx;
    const branches = [...ctx.orgByCode.values()].filter((o) => o.level === '党支部');
    outsiders.forEach((o, i) => {
      const rng = Rng.of(ctx.seed, 'oa-outsider', i);
      const org = rng.pick(branches);
      const category = rng.pick(JOB_CATEGORIES)[0];
      this.#drafts.push({
        key: rng.uuid(), personId: o.id, primary: true, pinyin: o.pinyin, useWorkcode: rng.chance(WORKCODE_LOGIN), noise: [],
        fields: {
          lastname: o.name, departmentname: departmentOf(org, rng), subcompanyname: org.unit, mobile: o.phone,
          jobtitlename: rng.pick(JOB_TITLES[category] ?? ['职员']), status: rng.chance(0.05) ? '试用' : '正式',
        },
      });
    });
  }

  /** Orders the directory, numbers it and hands out logins (first come, first served). */
  build(): OaData {
    const drafts = [...this.#drafts];
    sortBy(drafts, (d) => d.key);
    const taken = new Map<string, number>();
    const loginOf = new Map<string, string>();
    const employees = drafts.map((d, i): OaEmployee => {
      const workcode = `E${String(100_001 + i)}`;
      let loginid = workcode.toLowerCase();
      if (!d.useWorkcode) {
        const n = taken.get(d.pinyin) ?? 0;
        taken.set(d.pinyin, n + 1);
        loginid = n === 0 ? d.pinyin : `${d.pinyin}${n}`;
      }
      if (d.primary && !loginOf.has(d.personId)) loginOf.set(d.personId, loginid);
      this.#ctx.truth.push({ system: SYSTEM, kind: 'employee', id: String(1000 + i), personId: d.personId, noise: d.noise });
      return { id: 1000 + i, workcode, loginid, ...d.fields };
    });
    return { employees, todos: [], loginOf };
  }
}
