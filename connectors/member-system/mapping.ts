// A member-system row (export or change feed) → member.observed. Only field names are mapped and
// dates, booleans and enums parsed; names, ID numbers and phones stay exactly as the system holds
// them (the reconciler normalises). A row that cannot be an event becomes an InvalidRecord.
import { eventId, memberObserved, memberObservedPayload } from '../../schemas/events/index.ts';
import type { InvalidRecord, ReadItem } from '../contract.ts';
import { parseDate } from './dates.ts';
import { SYSTEM, type Header, type NativeRow } from './fields.ts';

const TOPIC = 'member.observed';
type Payload = Record<string, unknown>;

/** Which header each payload field comes from, so a schema rule names the column a clerk knows. */
const COLUMN_OF: Readonly<Record<string, Header | '操作类型'>> = {
  name: '姓名', idNumber: '公民身份证号码', gender: '性别', birthDate: '出生日期', ethnicity: '民族', education: '学历',
  category: '人员类别', orgName: '所在党支部', joinedAt: '入党日期', fullMemberAt: '转正日期', status: '党籍状态',
  lostContact: '是否失联党员', floating: '是否流动党员', phone: '联系电话', address: '家庭住址', jobTitle: '工作岗位', deleted: '操作类型',
};

// Exports write the gender in words or as its GB/T 2261.1 code (1 男性, 2 女性), as a number cell.
const GENDERS: Readonly<Record<string, '男' | '女'>> = { 男: '男', 女: '女', 男性: '男', 女性: '女', '1': '男', '2': '女' };
const CATEGORIES: Readonly<Record<string, '正式党员' | '预备党员'>> = { 正式党员: '正式党员', 正式: '正式党员', 预备党员: '预备党员', 预备: '预备党员' };
const BOOLEANS: Readonly<Record<string, boolean>> = { 是: true, 否: false, Y: true, N: false, y: true, n: false, '1': true, '0': false, true: true, false: false };

class RowRule extends Error {
  readonly column: string;
  readonly rule: string;
  constructor(column: string, rule: string, value: unknown) {
    super(`${column} ${JSON.stringify(value)}: ${rule}`);
    this.column = column;
    this.rule = `${column}: ${rule}`;
  }
}

/** The raw cell as text ('' when empty); numbers as the cell shows them (an ID typed as a number). */
function text(row: NativeRow, h: string): string {
  const v = row[h];
  if (typeof v === 'string') return v;
  return typeof v === 'number' || typeof v === 'boolean' ? String(v) : v === null || v === undefined ? '' : JSON.stringify(v);
}

function optional(value: string): string | undefined {
  return value.trim() === '' ? undefined : value;
}

function date(row: NativeRow, h: Header): string | undefined {
  const d = parseDate(row[h]);
  if (d === null) throw new RowRule(h, 'a calendar date (YYYY-MM-DD, YYYY.MM.DD, YYYY年M月D日 or an Excel date)', row[h]);
  return d;
}

function lookup<T>(row: NativeRow, h: Header, table: Readonly<Record<string, T>>, rule: string): T | undefined {
  const v = text(row, h).trim();
  if (v === '') return undefined;
  const hit = table[v];
  if (hit === undefined) throw new RowRule(h, rule, row[h]);
  return hit;
}

function payloadOf(row: NativeRow): Payload {
  if (text(row, '姓名').trim() === '') throw new RowRule('姓名', 'required', row['姓名']);
  return {
    name: text(row, '姓名'),
    idNumber: optional(text(row, '公民身份证号码')),
    gender: lookup(row, '性别', GENDERS, '男 or 女 (or the GB/T 2261.1 code 1 or 2)'),
    birthDate: date(row, '出生日期'),
    ethnicity: optional(text(row, '民族')),
    education: optional(text(row, '学历')),
    category: lookup(row, '人员类别', CATEGORIES, '正式党员 or 预备党员'),
    orgName: optional(text(row, '所在党支部')),
    joinedAt: date(row, '入党日期'),
    fullMemberAt: date(row, '转正日期'),
    status: optional(text(row, '党籍状态')),
    lostContact: lookup(row, '是否失联党员', BOOLEANS, '是 or 否'),
    floating: lookup(row, '是否流动党员', BOOLEANS, '是 or 否'),
    phone: optional(text(row, '联系电话')),
    address: optional(text(row, '家庭住址')),
    jobTitle: optional(text(row, '工作岗位')),
    accounts: [],
    deleted: text(row, '操作类型').trim() === '删除',
  };
}

export interface MapContext {
  readonly instance: string;
  /** When the system says the row changed (the feed's 修改时间), else when it was exported. */
  readonly occurredAt: string;
  readonly observedAt: string;
  /** Names the record when it has no 记录ID (e.g. "members.xlsx row 12"). */
  readonly where: string;
}

function invalid(recordId: string, rule: string, reason: string, raw: NativeRow): InvalidRecord {
  return { kind: 'invalid', topic: TOPIC, recordId, rule, reason, raw };
}

/**
 * The row's record id: its 记录ID, or, in an export without that column, its ID number as written
 * (spaces dropped, full-width digits and x made ASCII, X upper-case): the register's own key for
 * a member, the same in every export of the same data. Empty when the row has neither.
 */
function recordIdOf(row: NativeRow): { id: string; column: '记录ID' | '公民身份证号码' } {
  if (Object.hasOwn(row, '记录ID')) return { id: text(row, '记录ID').trim(), column: '记录ID' };
  return { id: text(row, '公民身份证号码').normalize('NFKC').replace(/\s+/gu, '').toUpperCase(), column: '公民身份证号码' };
}

export function mapMemberRow(row: NativeRow, ctx: MapContext): ReadItem {
  const { id: recordId, column } = recordIdOf(row);
  if (recordId === '') {
    return column === '记录ID'
      ? invalid(ctx.where, '记录ID: required', `${ctx.where} has no 记录ID`, row)
      : invalid(ctx.where, '公民身份证号码: required without a 记录ID column', `${ctx.where} has no 公民身份证号码, and the file no 记录ID column to name it by`, row);
  }
  let draft: Payload;
  try {
    draft = payloadOf(row);
  } catch (err) {
    if (err instanceof RowRule) return invalid(recordId, err.rule, err.message, row);
    throw err;
  }
  const parsed = memberObservedPayload.safeParse(draft);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = String(issue.path[0] ?? '');
    return invalid(recordId, `${COLUMN_OF[field] ?? field}: ${issue.message}`, parsed.error.message, row);
  }
  const source = { system: SYSTEM, instance: ctx.instance, recordId };
  const event = {
    type: TOPIC, version: 1, id: eventId(TOPIC, source, parsed.data), source,
    occurredAt: ctx.occurredAt, observedAt: ctx.observedAt, payload: parsed.data,
  };
  const checked = memberObserved.safeParse(event);
  if (!checked.success) return invalid(recordId, `envelope: ${checked.error.issues[0]?.message ?? 'invalid'}`, checked.error.message, row);
  return { kind: 'event', topic: TOPIC, event: checked.data };
}
