// A full read of a seeded OA, checked against the population's truth: every employee and every
// todo arrives exactly once, as a valid event carrying the OA's raw values.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memberObserved, taskAssigned } from '../../schemas/events/index.ts';
import { events, items, population, readAll, startSimulator, type Running } from './testing.ts';

const pop = population(3000);
let run: Running;
beforeAll(async () => {
  run = await startSimulator({ population: pop });
});
afterAll(() => run.sim.close());

const truth = (kind: 'employee' | 'todo') => pop.truth.records.filter((r) => r.system === 'oa' && r.kind === kind);

describe('reading the whole OA', () => {
  it('check() reaches both APIs and discover() names the streams', async () => {
    const c = run.connector();
    const r = await c.check();
    expect(r.ok).toBe(true);
    expect(r.message).toContain(`${pop.systems.oa.employees.length} employees`);
    expect((await c.discover()).map((s) => s.name)).toEqual(['employees', 'todos']);
    expect((await run.connector({ appid: 'stranger' }).check()).ok).toBe(false);
  });

  it('emits every directory record once as member.observed, outsiders included', async () => {
    const batches = await readAll(run.connector().read('employees', null));
    expect(batches.every((b) => b.items.length > 0 && b.items.length <= 500)).toBe(true);
    expect(batches.reduce((n, b) => n + b.recordsRead, 0)).toBe(truth('employee').length);
    expect(items(batches).filter((i) => i.kind === 'invalid')).toEqual([]);
    const evs = events(batches);
    const byRecord = new Map(evs.map((e) => [e.source.recordId, e]));
    expect(evs.length).toBe(truth('employee').length);
    expect([...byRecord.keys()].sort()).toEqual(truth('employee').map((t) => t.id).sort());
    const outsiders = truth('employee').filter((t) => t.personId?.startsWith('N'));
    expect(outsiders.length).toBeGreaterThan(0);
    for (const e of pop.systems.oa.employees) {
      const ev = byRecord.get(String(e.id));
      expect(memberObserved.safeParse(ev).success).toBe(true);
      expect(ev?.payload).toMatchObject({ name: e.lastname, orgName: e.departmentname, accounts: [{ kind: 'oa-login', value: e.loginid }] });
      expect(ev?.payload.phone).toBe(e.mobile === '' ? undefined : e.mobile);
      expect(ev?.payload.jobTitle).toBe(e.jobtitlename === '' ? undefined : e.jobtitlename);
    }
  });

  it('emits every todo once as task.assigned with its notice\'s period, items, deadline and branch', async () => {
    const batches = await readAll(run.connector({ pageSize: 50 }).read('todos', null));
    expect(items(batches).filter((i) => i.kind === 'invalid')).toEqual([]);
    const evs = events(batches);
    expect(evs.map((e) => e.source.recordId).sort()).toEqual(truth('todo').map((t) => t.id).sort());
    const todoByFlow = new Map(pop.systems.oa.todos.map((t) => [t.flowid, t]));
    const taskByFlow = new Map(pop.tasks.filter((t) => t.system === 'oa').map((t) => [t.sourceRecordId, t]));
    for (const ev of evs) {
      const task = taskByFlow.get(ev.source.recordId);
      const todo = todoByFlow.get(ev.source.recordId);
      expect(taskAssigned.safeParse(ev).success).toBe(true);
      expect(ev.orgCode).toBe(task?.branchCode);
      expect(ev.payload).toMatchObject({ title: todo?.requestname, period: task?.period, fields: task?.fields, assignee: todo?.receiver });
      expect(Date.parse(String(ev.payload.dueAt))).toBe(Date.parse(`${task?.dueAt.replace(' ', 'T')}+08:00`));
    }
  });

  it('leaves a cursor from which a later run reads nothing new', async () => {
    for (const stream of ['employees', 'todos']) {
      const c = run.connector({ pageSize: 200 });
      const first = await readAll(c.read(stream, null));
      const again = await readAll(c.read(stream, first.at(-1)?.cursor ?? null));
      expect(again).toEqual([]);
    }
  });
});
