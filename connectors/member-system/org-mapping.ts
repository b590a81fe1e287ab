// One row of the member system's 党组织 list → org.observed, keyed by the org code the system
// issued. Names stay as the system spells them (the org registry normalises); a row that cannot
// be an org (no code, a code outside the catalogue's format, no name, an unknown 类别) is invalid.
import { eventId, orgObserved, orgObservedPayload, ORG_KINDS } from '../../schemas/events/index.ts';
import type { InvalidRecord, ReadItem } from '../contract.ts';
import type { OrgHeader } from './org-fields.ts';
import { SYSTEM } from './fields.ts';

const TOPIC = 'org.observed';

const COLUMN_OF: Readonly<Record<string, OrgHeader>> = {
  name: '党组织名称', kind: '党组织类别', parentCode: '上级党组织代码', parentName: '上级党组织名称',
  secretary: '党组织书记', phone: '联系电话', category: '单位性质类别',
};

function cell(row: Readonly<Record<string, unknown>>, h: OrgHeader): string | undefined {
  const v = row[h];
  const s = typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '';
  return s.trim() === '' ? undefined : s;
}

function invalid(recordId: string, rule: string, reason: string, raw: unknown): InvalidRecord {
  return { kind: 'invalid', topic: TOPIC, recordId, rule, reason, raw };
}

export interface OrgMapContext {
  readonly instance: string;
  readonly observedAt: string;
  /** Names the row when it has no code (e.g. "org list item 12"). */
  readonly where: string;
}

export function mapOrgRow(row: Readonly<Record<string, unknown>>, ctx: OrgMapContext): ReadItem {
  const code = cell(row, '党组织代码')?.trim();
  if (code === undefined) return invalid(ctx.where, '党组织代码: required', `${ctx.where} has no 党组织代码`, row);
  const kind = cell(row, '党组织类别')?.trim();
  if (kind !== undefined && !(ORG_KINDS as readonly string[]).includes(kind)) {
    return invalid(code, `党组织类别: one of ${ORG_KINDS.join(' ')}`, `党组织类别 ${JSON.stringify(kind)} is not a known kind`, row);
  }
  const draft = {
    name: cell(row, '党组织名称') ?? '',
    kind,
    parentCode: cell(row, '上级党组织代码')?.trim(),
    parentName: cell(row, '上级党组织名称'),
    secretary: cell(row, '党组织书记'),
    phone: cell(row, '联系电话'),
    category: cell(row, '单位性质类别'),
  };
  const parsed = orgObservedPayload.safeParse(draft);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = String(issue.path[0] ?? '');
    return invalid(code, `${COLUMN_OF[field] ?? field}: ${issue.message}`, parsed.error.message, row);
  }
  const source = { system: SYSTEM, instance: ctx.instance, recordId: code };
  const event = {
    type: TOPIC, version: 1, id: eventId(TOPIC, source, parsed.data), source,
    // The list carries no change time: the org is as the system says now.
    occurredAt: ctx.observedAt, observedAt: ctx.observedAt, orgCode: code, payload: parsed.data,
  };
  const checked = orgObserved.safeParse(event);
  if (!checked.success) {
    const issue = checked.error.issues[0];
    const rule = issue?.path[0] === 'orgCode' ? `党组织代码: ${issue.message}` : `envelope: ${issue?.message ?? 'invalid'}`;
    return invalid(code, rule, checked.error.message, row);
  }
  return { kind: 'event', topic: TOPIC, event: checked.data };
}
