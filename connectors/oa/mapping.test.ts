// Records that cannot be events become InvalidRecords naming the OA field; valid ones keep raw
// values and hash to the same id however often they are mapped. Records are the population's,
// with one field broken.
import { describe, expect, it } from 'vitest';
import { cstToIso, mapEmployee, mapTodo } from './mapping.ts';
import type { OaEmployee, OaTodo } from './protocol.ts';
import { population } from './testing.ts';

const pop = population(500);
const ctx = { instance: 'test-oa', observedAt: '2025-07-01T08:00:00+08:00' };
const employee = pop.systems.oa.employees[0] as OaEmployee;
const todo = pop.systems.oa.todos[0] as OaTodo;
const task = pop.tasks.find((t) => t.sourceRecordId === todo.flowid);
const form = new Map([['tbzb', task?.branchCode ?? ''], ['tbqj', task?.period ?? ''], ['jzsj', task?.dueAt ?? ''], ['tbxm', task?.fields.join(',') ?? '']]);

describe('employees', () => {
  it('keeps raw values and the same id on every mapping', () => {
    const padded = { ...employee, lastname: ` ${employee.lastname}` };
    const a = mapEmployee(padded, ctx);
    const b = mapEmployee(padded, { ...ctx, observedAt: '2026-01-01T00:00:00Z' });
    expect(a.kind).toBe('event');
    if (a.kind !== 'event' || b.kind !== 'event') return;
    expect((a.event as { payload: { name: string } }).payload.name).toBe(` ${employee.lastname}`);
    expect((a.event as { id: string }).id).toBe((b.event as { id: string }).id);
    expect((mapEmployee(employee, ctx) as { event: { id: string } }).event.id).not.toBe((a.event as { id: string }).id);
  });

  it('turns a nameless employee into an invalid record naming lastname', () => {
    const r = mapEmployee({ ...employee, lastname: '  ' }, ctx);
    expect(r).toMatchObject({ kind: 'invalid', topic: 'member.observed', recordId: String(employee.id), raw: { lastname: '  ' } });
    if (r.kind === 'invalid') expect(r.rule).toMatch(/^lastname: /);
  });

  it('carries the host unit (subcompanyname) next to the department, and no unit when blank', () => {
    const r = mapEmployee(employee, ctx);
    expect(r.kind === 'event' && (r.event as { payload: { orgUnit?: string; orgName?: string } }).payload).toMatchObject({ orgUnit: employee.subcompanyname, orgName: employee.departmentname });
    const blank = mapEmployee({ ...employee, subcompanyname: ' ' }, ctx);
    expect(blank.kind).toBe('event');
    expect(blank.kind === 'event' && 'orgUnit' in (blank.event as { payload: object }).payload).toBe(false);
  });

  it('marks departed staff as deleted', () => {
    const r = mapEmployee({ ...employee, status: '离职' as OaEmployee['status'] }, ctx);
    expect(r.kind === 'event' && (r.event as { payload: { deleted: boolean } }).payload.deleted).toBe(true);
  });
});

describe('todos', () => {
  it('maps a todo with its form', () => {
    const r = mapTodo(todo, form, ctx);
    expect(r.kind).toBe('event');
    expect(r.kind === 'event' && (r.event as { occurredAt: string }).occurredAt).toBe(cstToIso(todo.createdatetime));
  });

  it.each([
    ['createdatetime', { ...todo, createdatetime: '2025-02-30 09:00:00' }, form, /^createdatetime/],
    ['no form', todo, undefined, /^workflow form/],
    ['no items', todo, new Map([...form, ['tbxm', '']]), /^tbxm/],
    ['bad period', todo, new Map([...form, ['tbqj', '2025年二季度']]), /^tbqj/],
    ['bad deadline', todo, new Map([...form, ['jzsj', 'soon']]), /^jzsj/],
    ['no title', { ...todo, requestname: '' }, form, /^requestname/],
  ] as const)('refuses a todo with %s, naming the field', (_name, t, f, rule) => {
    const r = mapTodo(t, f, ctx);
    expect(r).toMatchObject({ kind: 'invalid', topic: 'task.assigned', recordId: todo.flowid });
    if (r.kind === 'invalid') {
      expect(r.rule).toMatch(rule);
      expect((r.raw as { todo: OaTodo }).todo).toEqual(t);
    }
  });

  it('falls back to the shared account\'s branch and the quarter of creation', () => {
    const shared = { ...todo, receiver: 'zb360102010101' };
    const r = mapTodo(shared, new Map([['tbxm', 'meeting.topic']]), ctx);
    expect(r.kind === 'event' && r.event).toMatchObject({ orgCode: '360102010101', payload: { period: `${todo.createdatetime.slice(0, 4)}-Q${Math.ceil(Number(todo.createdatetime.slice(5, 7)) / 3)}` } });
  });
});
