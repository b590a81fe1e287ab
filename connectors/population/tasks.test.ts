import { describe, expect, it } from 'vitest';
import { period as periodSchema } from '../../schemas/events/task-assigned.ts';
import { DOCUMENTED_OVERLAPS, TASK_TEMPLATES, generatePopulation, type Task } from './index.ts';

// Another seed re-runs every assertion on another population: POPULATION_TEST_SEED=x vitest run …
const SEED = process.env.POPULATION_TEST_SEED ?? '';

const pop = generatePopulation({ persons: 4000, seed: `tasks${SEED}`, quarters: 3 });
const templateOf = new Map(TASK_TEMPLATES.map((t) => [t.key, t]));
const documented = new Map(DOCUMENTED_OVERLAPS.map((d) => [[...d.pair].sort().join('+'), new Set(d.fields)]));

describe('task templates', () => {
  it('overlap pairwise exactly as documented, and nowhere else', () => {
    for (const a of TASK_TEMPLATES) {
      for (const b of TASK_TEMPLATES) {
        if (a.key >= b.key) continue;
        const shared = a.fields.filter((f) => b.fields.includes(f)).sort();
        const doc = documented.get([a.key, b.key].sort().join('+'));
        expect(shared, `${a.key} ∩ ${b.key}`).toEqual([...(doc ?? [])].sort());
      }
    }
  });

  it('ask the same member, meeting, study and dues items from more than one system', () => {
    const systemsAsking = (prefix: string) => new Set(TASK_TEMPLATES.filter((t) => t.fields.some((f) => f.startsWith(prefix))).map((t) => t.system));
    expect(systemsAsking('member.').size).toBeGreaterThanOrEqual(2);
    expect(systemsAsking('meeting.').size).toBeGreaterThanOrEqual(3);
    expect(systemsAsking('study.').size).toBeGreaterThanOrEqual(2);
    expect(systemsAsking('dues.').size).toBeGreaterThanOrEqual(2);
  });
});

describe('generated tasks', () => {
  it('go to branches, for quarters in the task.assigned period format', () => {
    const branches = new Set(pop.orgs.filter((o) => o.level === '党支部').map((o) => o.code));
    expect(new Set(pop.tasks.map((t) => t.period))).toEqual(new Set(pop.settings.periods));
    expect(pop.settings.periods).toHaveLength(3);
    for (const t of pop.tasks) {
      expect(branches.has(t.branchCode)).toBe(true);
      expect(periodSchema.safeParse(t.period).success).toBe(true);
      expect(t.fields).toEqual(templateOf.get(t.template)?.fields);
      expect(t.dueAt > t.issuedAt).toBe(true);
    }
    expect(new Set(pop.tasks.map((t) => t.id)).size).toBe(pop.tasks.length);
  });

  it('reach every branch of a committee when the committee issues a notice', () => {
    const perNotice = new Map<string, Set<string>>();
    for (const t of pop.tasks) perNotice.set(t.noticeId, (perNotice.get(t.noticeId) ?? new Set()).add(t.branchCode));
    const branchesUnder = new Map<string, number>();
    const byCode = new Map(pop.orgs.map((o) => [o.code, o]));
    for (const o of pop.orgs) {
      if (o.level !== '党支部') continue;
      let top = o;
      while (top.parentCode !== null) top = byCode.get(top.parentCode) ?? top;
      branchesUnder.set(top.code, (branchesUnder.get(top.code) ?? 0) + 1);
    }
    for (const [notice, branches] of perNotice) expect(branches.size).toBe(branchesUnder.get(notice.split(':')[1] ?? ''));
  });

  it('record the true overlap per branch and quarter, recomputed independently', () => {
    const groups = new Map<string, Task[]>();
    for (const t of pop.tasks) groups.set(`${t.branchCode}|${t.period}`, [...(groups.get(`${t.branchCode}|${t.period}`) ?? []), t]);
    expect(pop.truth.overlaps).toHaveLength(groups.size);
    let overlapping = 0;
    for (const o of pop.truth.overlaps) {
      const tasks = groups.get(`${o.branchCode}|${o.period}`) ?? [];
      expect([...o.taskIds].sort()).toEqual(tasks.map((t) => t.id).sort());
      const counts = new Map<string, number>();
      for (const t of tasks) for (const f of t.fields) counts.set(f, (counts.get(f) ?? 0) + 1);
      expect(o.fieldAsks).toBe(tasks.reduce((n, t) => n + t.fields.length, 0));
      expect(o.distinctFields).toBe(counts.size);
      expect(Object.keys(o.overlapping).sort()).toEqual([...counts].filter(([, n]) => n > 1).map(([f]) => f).sort());
      // Each overlapping field is shared by documented pairs of the tasks asking for it.
      for (const [field, ids] of Object.entries(o.overlapping)) {
        const keys = ids.map((id) => tasks.find((t) => t.id === id)?.template ?? '');
        for (let i = 0; i < keys.length; i++) {
          for (let j = i + 1; j < keys.length; j++) {
            expect(documented.get([keys[i], keys[j]].sort().join('+'))?.has(field), `${keys[i]} + ${keys[j]}: ${field}`).toBe(true);
          }
        }
      }
      if (Object.keys(o.overlapping).length > 0) overlapping++;
    }
    // Overlap is the common case, not an accident: most branch-quarters are asked twice for something.
    expect(overlapping / pop.truth.overlaps.length).toBeGreaterThan(0.5);
  });

  it('deliver each OA task as one todo to a member of that branch (or its shared account)', () => {
    const todos = new Map(pop.systems.oa.todos.map((t) => [t.flowid, t]));
    const oaTasks = pop.tasks.filter((t) => t.system === 'oa');
    expect(todos.size).toBe(oaTasks.length);
    const truth = new Map(pop.truth.records.filter((r) => r.kind === 'todo').map((r) => [r.id, r.personId]));
    const persons = new Map(pop.persons.map((p) => [p.id, p]));
    const employeeOwner = new Map(pop.truth.records.filter((r) => r.kind === 'employee').map((r) => [r.id, r.personId]));
    const loginOwner = new Map(pop.systems.oa.employees.map((e) => [e.loginid, employeeOwner.get(String(e.id))]));
    let shared = 0;
    for (const t of oaTasks) {
      const todo = todos.get(t.sourceRecordId);
      expect(todo?.requestname).toBe(t.title);
      const personId = truth.get(t.sourceRecordId);
      if (personId === null) {
        expect(todo?.receiver).toBe(`zb${t.branchCode}`);
        shared++;
      } else {
        expect(persons.get(personId ?? '')?.orgCode).toBe(t.branchCode);
        expect(loginOwner.get(todo?.receiver ?? '')).toBe(personId);
      }
    }
    expect(shared).toBeLessThan(oaTasks.length / 4);
  });
});
