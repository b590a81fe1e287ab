// Tasks the systems assign to branches each quarter. A committee issues a notice through one
// system to every branch beneath it; the OA delivers each as a todo to the branch secretary.
// The truth of it is the overlap: which fields each branch is asked for more than once.
import { Rng } from './rng.ts';
import { orgOf, type GenContext } from './context.ts';
import { cstDateTime, cstEpochSeconds } from './dates.ts';
import { TASK_TEMPLATES } from './tables/task-items.ts';
import type { OaData } from './systems/oa.ts';
import type { OaTodo } from './system-types.ts';
import type { Org, SystemId } from './types.ts';

export interface Task {
  readonly id: string;
  readonly noticeId: string;
  readonly template: string;
  readonly system: SystemId;
  readonly title: string;
  /** `YYYY-Qn`. */
  readonly period: string;
  readonly branchCode: string;
  readonly issuerCode: string;
  readonly fields: readonly string[];
  readonly issuedAt: string;
  readonly dueAt: string;
  /** The record that carries it in its system (OA: the todo's flowid). */
  readonly sourceRecordId: string;
}

/** One branch's quarter: what it was asked, and what it was asked more than once. */
export interface TaskOverlap {
  readonly branchCode: string;
  readonly period: string;
  readonly taskIds: readonly string[];
  /** Sum over tasks of the fields each asks: what the branch types without the hub. */
  readonly fieldAsks: number;
  /** Distinct fields: what it types once with the hub. */
  readonly distinctFields: number;
  /** Fields asked by two or more tasks → the ids of those tasks. */
  readonly overlapping: Readonly<Record<string, readonly string[]>>;
}

const QUARTER_NAMES = ['第一季度', '第二季度', '第三季度', '第四季度'];

function periodName(period: string): string {
  const [year, q] = period.split('-Q');
  return `${year}年${QUARTER_NAMES[Number(q) - 1] ?? ''}`;
}

function receiverFor(branch: Org, members: ReadonlyMap<string, readonly string[]>, oa: OaData, byId: GenContext['persons']): { login: string; personId: string | null } {
  const ranked = [...(members.get(branch.code) ?? [])]
    .map((id) => byId[Number(id.slice(1)) - 1])
    .sort((a, b) => rank(a?.role ?? null) - rank(b?.role ?? null));
  for (const p of ranked) {
    const login = p ? oa.loginOf.get(p.id) : undefined;
    if (p && login) return { login, personId: p.id };
  }
  // No member of the branch is in the OA: the notice goes to the branch's shared account.
  return { login: `zb${branch.code}`, personId: null };
}

const rank = (role: string | null) => (role === '书记' ? 0 : role === '组织委员' ? 1 : 2);

export function generateTasks(ctx: GenContext, oa: OaData): Task[] {
  const orgs = [...ctx.orgByCode.values()];
  const committees = orgs.filter((o) => o.level === '党委');
  const branchesOf = new Map<string, Org[]>();
  for (const o of orgs) {
    if (o.level !== '党支部') continue;
    let top = o;
    while (top.parentCode !== null) top = orgOf(ctx, top.parentCode);
    const list = branchesOf.get(top.code);
    if (list) list.push(o);
    else branchesOf.set(top.code, [o]);
  }
  const members = new Map<string, string[]>();
  for (const p of ctx.persons) {
    const list = members.get(p.orgCode);
    if (list) list.push(p.id);
    else members.set(p.orgCode, [p.id]);
  }
  const tasks: Task[] = [];
  // 泛微 request ids are one increasing sequence per OA.
  let requestId = 2_000_000;
  for (const q of ctx.quarters) {
    for (const c of committees) {
      TASK_TEMPLATES.forEach((t, ti) => {
        const rng = Rng.of(ctx.seed, `task:${q.period}:${c.code}`, ti);
        if (!rng.chance(t.issueRate)) return;
        const noticeId = `${t.key}:${c.code}:${q.period}`;
        const issuedDay = q.start + rng.int(Math.max(1, q.end - q.start - 20));
        const issued = cstEpochSeconds(issuedDay, 8 * 3600 + rng.int(9 * 3600));
        const due = cstEpochSeconds(Math.min(q.end + 10, issuedDay + 15 + rng.int(20)), 17 * 3600 + 1800);
        const title = t.title.replace('{period}', periodName(q.period));
        for (const b of branchesOf.get(c.code) ?? []) {
          const id = rng.uuid();
          let sourceRecordId = id;
          if (t.system === 'oa') {
            const r = receiverFor(b, members, oa, ctx.persons);
            const flowid = String(requestId++);
            sourceRecordId = flowid;
            const received = issued + rng.int(600);
            const todo: OaTodo = {
              syscode: 'YBDJ', flowid, requestname: title, workflowname: '党建工作通知', nodename: '支部填报',
              pcurl: `/workflow/request/ViewRequest.jsp?requestid=${flowid}`, appurl: `/mobile/workflow/${flowid}`,
              creator: 'zuzhibu', createdatetime: cstDateTime(issued), receiver: r.login, receivedatetime: cstDateTime(received),
              isremark: '0', viewtype: rng.chance(0.6) ? '1' : '0',
            };
            oa.todos.push(todo);
            ctx.truth.push({ system: 'oa', kind: 'todo', id: flowid, personId: r.personId, noise: [] });
          }
          tasks.push({
            id, noticeId, template: t.key, system: t.system, title, period: q.period, branchCode: b.code, issuerCode: c.code,
            fields: t.fields, issuedAt: cstDateTime(issued), dueAt: cstDateTime(due), sourceRecordId,
          });
        }
      });
    }
    ctx.progress('tasks', tasks.length, tasks.length);
  }
  return tasks;
}

export function taskOverlaps(tasks: readonly Task[]): TaskOverlap[] {
  const groups = new Map<string, Task[]>();
  for (const t of tasks) {
    const key = `${t.branchCode}|${t.period}`;
    const list = groups.get(key);
    if (list) list.push(t);
    else groups.set(key, [t]);
  }
  return [...groups.values()].map((group) => {
    const askedBy = new Map<string, string[]>();
    let fieldAsks = 0;
    for (const t of group) {
      fieldAsks += t.fields.length;
      for (const f of t.fields) {
        const list = askedBy.get(f);
        if (list) list.push(t.id);
        else askedBy.set(f, [t.id]);
      }
    }
    const overlapping: Record<string, string[]> = {};
    for (const [f, ids] of [...askedBy].sort(([a], [b]) => (a < b ? -1 : 1))) if (ids.length > 1) overlapping[f] = ids;
    const first = group[0];
    return {
      branchCode: first?.branchCode ?? '', period: first?.period ?? '', taskIds: group.map((t) => t.id),
      fieldAsks, distinctFields: askedBy.size, overlapping,
    };
  });
}
