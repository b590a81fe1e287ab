// Every org name seen is either resolved or a suggestion for a steward. A name is judged when it
// is first seen; when the registry changes (new orgs, aliases, decisions) every seen name is
// judged again, so a name seen before its org arrived resolves later, and a name that has become
// ambiguous turns into a suggestion.
import { NonRetriableError } from '../../schemas/errors.ts';
import type { Db } from '../db/database.ts';
import { aliasKey } from './org-key.ts';
import type { RegistrySnapshot } from './registry.ts';
import { applyDecision, closeResolvedSuggestions, findSuggestion, loadSnapshot, namesSeen, orgExists, recordNameSeen, upsertOpenSuggestion } from './repository.ts';

/** Records that `system` used `name`, then resolves it or opens/refreshes its suggestion. */
export async function observeOrgName(db: Db, snapshot: RegistrySnapshot, name: string, system: string): Promise<void> {
  if (!(await recordNameSeen(db, name, system))) return;
  const o = snapshot.resolve(name);
  if (o.kind === 'resolved') await closeResolvedSuggestions(db, [o.alias]);
  else if (o.reason !== 'rejected') await upsertOpenSuggestion(db, o.alias, name, [system], o.candidates);
}

export interface RefreshResult {
  readonly names: number;
  readonly resolved: number;
  readonly open: number;
  readonly closed: number;
}

/** Judges every seen name against the current registry. */
export async function refreshSuggestions(db: Db): Promise<RefreshResult> {
  const snapshot = await loadSnapshot(db);
  const seen = await namesSeen(db);
  const byAlias = new Map<string, { name: string; systems: Set<string> }>();
  for (const s of seen) {
    const e = byAlias.get(s.alias) ?? { name: s.name, systems: new Set<string>() };
    for (const sys of s.systems) e.systems.add(sys);
    byAlias.set(s.alias, e);
  }
  const resolved: string[] = [];
  let open = 0;
  for (const [alias, e] of byAlias) {
    const o = snapshot.resolve(e.name);
    if (o.kind === 'resolved') resolved.push(alias);
    else if (o.reason !== 'rejected') {
      open++;
      await upsertOpenSuggestion(db, alias, e.name, [...e.systems].sort(), o.candidates);
    }
  }
  const closed = await closeResolvedSuggestions(db, resolved);
  return { names: seen.length, resolved: resolved.length, open, closed };
}

/** The decision names no suggestion, or no registered org: the API answers 404. */
export class OrgNotFoundError extends NonRetriableError {}
/** The suggestion was decided already: the API answers 409. */
export class AlreadyDecidedError extends NonRetriableError {}

export type Decision = { readonly name: string; readonly steward: string } & ({ readonly code: string } | { readonly reject: true });

export async function decideSuggestion(db: Db, d: Decision): Promise<{ alias: string; status: 'accepted' | 'rejected'; code: string | null }> {
  const alias = aliasKey(d.name);
  const s = await findSuggestion(db, alias);
  if (!s) throw new OrgNotFoundError(`没有名称为「${d.name}」的待处理建议`, { rule: 'name: 必须是一条建议的名称' });
  if (s.status !== 'open') throw new AlreadyDecidedError(`「${d.name}」的建议已处理（${s.status === 'accepted' ? `已接受为 ${s.decidedCode}` : '已拒绝'}，处理人 ${s.decidedBy ?? '—'}）`);
  if ('code' in d && !(await orgExists(db, d.code))) throw new OrgNotFoundError(`没有代码为 ${d.code} 的党组织`, { rule: 'code: 必须是已登记的党组织代码' });
  await applyDecision(db, alias, 'code' in d ? { code: d.code } : { reject: true }, d.steward);
  return { alias, status: 'code' in d ? 'accepted' : 'rejected', code: 'code' in d ? d.code : null };
}
