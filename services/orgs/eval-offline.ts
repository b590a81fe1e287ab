// Measures org resolution on a generated population against its truth, through the same code the
// hub runs: the member system's 党组织 list mapped to org.observed (as the connector does) fills the
// registry; every member observation (each connector's own mapping) contributes its orgName; each
// distinct (system, orgName) is resolved. The truth of a record's org name is the person's branch,
// or the previous one when the record is stale (noise orgStale).
//   node services/orgs/eval-offline.ts --persons 5000 --seed 7
import { parseArgs } from 'node:util';
import { mapMemberRow } from '../../connectors/member-system/mapping.ts';
import { orgRowsOf } from '../../connectors/member-system/org-fields.ts';
import { mapOrgRow } from '../../connectors/member-system/org-mapping.ts';
import { mapEmployee } from '../../connectors/oa/mapping.ts';
import { generatePopulation, type Population } from '../../connectors/population/index.ts';
import type { ReadItem } from '../../connectors/contract.ts';
import { mapBinding, mapFollower } from '../../connectors/wechat/mapping.ts';
import { mapLearner } from '../../connectors/xapi/mapping.ts';
import type { MemberObserved, OrgObserved } from '../../schemas/events/index.ts';
import { aliasKey } from './org-key.ts';
import { RegistrySnapshot, type Outcome } from './registry.ts';

const AT = '2025-06-30T08:00:00.000Z';

/** The registry a hub builds from the member system's org list (orgs + their observed names). */
export function registryOf(pop: Population): RegistrySnapshot {
  const events = orgRowsOf(pop).map((r, i) => mapOrgRow(r, { instance: 'eval', observedAt: AT, where: `org ${i}` })).flatMap((i) => (i.kind === 'event' ? [i.event as OrgObserved] : []));
  return new RegistrySnapshot(
    events.map((e) => ({ code: e.source.recordId, name: e.payload.name, kind: e.payload.kind ?? null, parentCode: e.payload.parentCode ?? null })),
    events.map((e) => ({ alias: aliasKey(e.payload.name), code: e.source.recordId, origin: 'observed' as const })),
  );
}

/** Every member observation's (system, recordId, orgName), mapped by the connectors' own code. */
export function orgNamesOf(pop: Population): Array<{ system: string; recordId: string; orgName: string }> {
  const items: Array<ReadItem | null> = [];
  for (const r of pop.systems.memberSystem.rows) items.push(mapMemberRow(r as unknown as Readonly<Record<string, unknown>>, { instance: 'eval', occurredAt: AT, observedAt: AT, where: r.记录ID }));
  const tagNames = new Map(pop.systems.wechat.tags.map((t) => [t.id, t.name]));
  for (const f of pop.systems.wechat.followers) items.push(mapFollower(f, { instance: 'eval', tagNames, observedAt: AT }));
  for (const b of pop.systems.wechat.bindings) items.push(mapBinding(b, { instance: 'eval', tagNames, observedAt: AT }));
  for (const l of pop.systems.xapi.learners) items.push(mapLearner(l, 'eval', AT));
  for (const e of pop.systems.oa.employees) items.push(mapEmployee(e, { instance: 'eval', observedAt: AT }));
  const out: Array<{ system: string; recordId: string; orgName: string }> = [];
  for (const i of items) {
    if (i?.kind !== 'event' || i.topic !== 'member.observed') continue;
    const e = i.event as MemberObserved;
    if (e.payload.orgName !== undefined) out.push({ system: e.source.system, recordId: e.source.recordId, orgName: e.payload.orgName });
  }
  return out;
}

export interface Figures {
  names: number;
  records: number;
  auto: number;
  autoRecords: number;
  autoCorrectRecords: number;
  autoCorrectNames: number;
  suggested: number;
  suggestedRecords: number;
  top1Records: number;
  top3Records: number;
  noCandidate: number;
  /** Suggested names the truth gives one org: the ones a steward can settle with one alias. */
  suggestedSingle: number;
  top1Single: number;
  top3Single: number;
}

const empty = (): Figures => ({ names: 0, records: 0, auto: 0, autoRecords: 0, autoCorrectRecords: 0, autoCorrectNames: 0, suggested: 0, suggestedRecords: 0, top1Records: 0, top3Records: 0, noCandidate: 0, suggestedSingle: 0, top1Single: 0, top3Single: 0 });

export function evaluate(pop: Population): { bySystem: Map<string, Figures>; all: Figures; orgs: number } {
  const registry = registryOf(pop);
  const persons = new Map(pop.persons.map((p) => [p.id, p]));
  const truth = new Map(pop.truth.records.map((t) => [`${t.system}:${t.id}`, t]));
  // (system, name) → the true code of each record carrying it.
  const groups = new Map<string, { system: string; name: string; codes: string[] }>();
  for (const n of orgNamesOf(pop)) {
    const t = truth.get(`${n.system}:${n.recordId}`);
    const p = t?.personId ? persons.get(t.personId) : undefined;
    if (!t || !p) continue; // non-members' workplaces name no branch of theirs
    const code = t.noise.includes('orgStale') && p.previousOrgCode !== null ? p.previousOrgCode : p.orgCode;
    const k = `${n.system}\u0000${n.orgName}`;
    const g = groups.get(k) ?? { system: n.system, name: n.orgName, codes: [] };
    g.codes.push(code);
    groups.set(k, g);
  }
  const bySystem = new Map<string, Figures>();
  const all = empty();
  for (const g of groups.values()) {
    const o: Outcome = registry.resolve(g.name);
    for (const f of [all, bySystem.get(g.system) ?? bySystem.set(g.system, empty()).get(g.system)!]) {
      f.names++;
      f.records += g.codes.length;
      if (o.kind === 'resolved') {
        const right = g.codes.filter((c) => c === o.resolution.code).length;
        f.auto++;
        f.autoRecords += g.codes.length;
        f.autoCorrectRecords += right;
        if (right === g.codes.length) f.autoCorrectNames++;
      } else {
        f.suggested++;
        f.suggestedRecords += g.codes.length;
        if (o.candidates.length === 0) f.noCandidate++;
        const top = o.candidates.map((c) => c.code);
        f.top1Records += g.codes.filter((c) => c === top[0]).length;
        f.top3Records += g.codes.filter((c) => top.slice(0, 3).includes(c)).length;
        const codes = new Set(g.codes);
        if (codes.size === 1) {
          const [only] = codes;
          f.suggestedSingle++;
          if (top[0] === only) f.top1Single++;
          if (top.slice(0, 3).includes(only!)) f.top3Single++;
        }
      }
    }
  }
  return { bySystem, all, orgs: registry.orgs.size };
}

const pct = (a: number, b: number) => (b === 0 ? '—' : `${((100 * a) / b).toFixed(1)} %`);

export function report(r: ReturnType<typeof evaluate>): string {
  const lines = [
    '| system | distinct names | auto-resolved | records with an auto-resolved name | precision (records) | precision (names) | suggested | top-1 (records) | top-3 (records) | no candidate | suggested, one true org | top-1 | top-3 |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  const row = (label: string, f: Figures) =>
    lines.push(`| ${label} | ${f.names} | ${f.auto} (${pct(f.auto, f.names)}) | ${pct(f.autoRecords, f.records)} | ${pct(f.autoCorrectRecords, f.autoRecords)} | ${pct(f.autoCorrectNames, f.auto)} | ${f.suggested} | ${pct(f.top1Records, f.suggestedRecords)} | ${pct(f.top3Records, f.suggestedRecords)} | ${f.noCandidate} | ${f.suggestedSingle} | ${pct(f.top1Single, f.suggestedSingle)} | ${pct(f.top3Single, f.suggestedSingle)} |`);
  for (const [s, f] of [...r.bySystem].sort()) row(s, f);
  row('all', r.all);
  return lines.join('\n');
}

if (import.meta.main) {
  const { values } = parseArgs({ options: { persons: { type: 'string', default: '5000' }, seed: { type: 'string', default: '7' } } });
  const persons = Number(values.persons);
  if (!Number.isSafeInteger(persons) || persons < 1) throw new Error(`--persons must be a positive integer, got ${values.persons}`);
  const started = Date.now();
  const pop = generatePopulation({ persons, seed: values.seed });
  const r = evaluate(pop);
  process.stdout.write(`org resolution, ${persons} persons, seed ${values.seed}: ${r.orgs} orgs in the registry (${((Date.now() - started) / 1000).toFixed(1)} s)\n\n${report(r)}\n`);
}
