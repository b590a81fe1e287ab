// OA records → canonical events. Values stay as the OA holds them (the reconciler normalises);
// only field names are mapped and China-time datetimes given their offset. What cannot be an
// event becomes an InvalidRecord naming the OA field and the rule it broke.
import type { EmittedEvent, InvalidRecord, ReadItem } from '../contract.ts';
import type { TopicName } from '../../schemas/topics.ts';
import { eventId, memberObserved, taskAssigned } from '../../schemas/events/index.ts';
import { FORM_FIELDS, type OaEmployee, type OaTodo } from './protocol.ts';

export const SYSTEM = 'oa' as const;

export interface MapContext {
  readonly instance: string;
  /** When the hub saw the record (ISO with offset). Not part of the event id. */
  readonly observedAt: string;
}

/** HRM status values (names or codes) for people no longer employed: 解聘, 离职, 退休, 无效. */
const DEPARTED = new Set(['解聘', '离职', '退休', '无效', '4', '5', '6', '7']);

const EMPLOYEE_FIELD: Record<string, string> = { name: 'lastname', phone: 'mobile', jobTitle: 'jobtitlename', orgName: 'departmentname', orgUnit: 'subcompanyname', accounts: 'loginid' };
const TODO_FIELD: Record<string, string> = {
  title: 'requestname', period: `${FORM_FIELDS.period} (填报期间)`, fields: `${FORM_FIELDS.items} (填报项目)`, dueAt: `${FORM_FIELDS.dueAt} (截止时间)`,
  assignee: 'receiver', orgCode: `${FORM_FIELDS.branch} (填报支部)`, occurredAt: 'createdatetime',
};

/** `YYYY-MM-DD HH:mm:ss` in China time → ISO 8601 with +08:00; undefined if it is no such time. */
export function cstToIso(value: string): string | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/.exec(value);
  if (!m) return undefined;
  const iso = `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}+08:00`;
  const d = new Date(iso);
  // Date rolls 02-30 over to 03-02; a real datetime survives the round trip.
  if (Number.isNaN(d.getTime()) || new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 19) !== iso.slice(0, 19)) return undefined;
  return iso;
}

function check(topic: TopicName, recordId: string, raw: unknown, event: unknown, names: Record<string, string>): ReadItem {
  const schema = topic === 'member.observed' ? memberObserved : taskAssigned;
  const r = schema.safeParse(event);
  if (r.success) return { kind: 'event', topic, event } satisfies EmittedEvent;
  const issue = r.error.issues[0];
  const path = (issue?.path ?? []).map(String);
  const field = path[0] === 'payload' ? path[1] : path[0];
  const rule = `${(field && names[field]) ?? path.join('.')}: ${issue?.message ?? 'invalid'}`;
  return invalid(topic, recordId, rule, r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '), raw);
}

function invalid(topic: TopicName, recordId: string, rule: string, reason: string, raw: unknown): InvalidRecord {
  return { kind: 'invalid', topic, recordId, rule, reason, raw };
}

/** An employee as the HRM REST gives it, or a directory file's row (whose id may be the login: directory-csv.ts). */
export function mapEmployee(e: Omit<OaEmployee, 'id'> & { readonly id: number | string }, ctx: MapContext): ReadItem {
  const source = { system: SYSTEM, instance: ctx.instance, recordId: String(e.id) };
  const payload = {
    name: e.lastname,
    ...(e.departmentname ? { orgName: e.departmentname } : {}),
    // The department is the workplace's (办公室, 综合科); the host unit says whose.
    ...(e.subcompanyname.trim() !== '' ? { orgUnit: e.subcompanyname } : {}),
    ...(e.mobile ? { phone: e.mobile } : {}),
    ...(e.jobtitlename ? { jobTitle: e.jobtitlename } : {}),
    accounts: e.loginid ? [{ kind: 'oa-login' as const, value: e.loginid }] : [],
    deleted: DEPARTED.has(String(e.status)),
  };
  const event = {
    type: 'member.observed', version: 1, id: eventId('member.observed', source, payload), source,
    occurredAt: ctx.observedAt, observedAt: ctx.observedAt, payload,
  };
  return check('member.observed', source.recordId, e, event, EMPLOYEE_FIELD);
}

/** The quarter a China-time datetime falls in: the fallback period when the form names none. */
function quarterOf(iso: string): string {
  return `${iso.slice(0, 4)}-Q${Math.floor((Number(iso.slice(5, 7)) - 1) / 3) + 1}`;
}

/**
 * A todo with its notice's form (main-table fields by name). The todo names who and when; the
 * form names the branch, period, deadline and items asked for.
 */
export function mapTodo(t: OaTodo, form: ReadonlyMap<string, string> | undefined, ctx: MapContext): ReadItem {
  const topic = 'task.assigned';
  const raw = form ? { todo: t, form: Object.fromEntries(form) } : { todo: t };
  if (!form) return invalid(topic, t.flowid, 'workflow form: the todo\'s request must be readable (getWorkflowRequest)', `no workflow request ${t.flowid}`, raw);
  const occurredAt = cstToIso(t.createdatetime);
  if (!occurredAt) return invalid(topic, t.flowid, 'createdatetime: YYYY-MM-DD HH:mm:ss', `unparseable createdatetime "${t.createdatetime}"`, raw);
  const due = form.get(FORM_FIELDS.dueAt) ?? '';
  const dueAt = due === '' ? undefined : cstToIso(due);
  if (due !== '' && !dueAt) return invalid(topic, t.flowid, `${TODO_FIELD.dueAt}: YYYY-MM-DD HH:mm:ss`, `unparseable 截止时间 "${due}"`, raw);
  const branch = form.get(FORM_FIELDS.branch) || /^zb(.+)$/.exec(t.receiver)?.[1];
  const source = { system: SYSTEM, instance: ctx.instance, recordId: t.flowid };
  const payload = {
    title: t.requestname,
    period: form.get(FORM_FIELDS.period) || quarterOf(occurredAt),
    ...(dueAt ? { dueAt } : {}),
    fields: (form.get(FORM_FIELDS.items) ?? '').split(',').filter((f) => f !== ''),
    assignee: t.receiver,
  };
  const event = {
    type: 'task.assigned', version: 1, id: eventId('task.assigned', source, payload), source,
    occurredAt, observedAt: ctx.observedAt, ...(branch ? { orgCode: branch } : {}), payload,
  };
  return check(topic, t.flowid, raw, event, TODO_FIELD);
}
