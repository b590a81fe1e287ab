// Survivorship (DESIGN §5): which source supplies each master field, with provenance. Pure: the
// same linked records always give the same fields, whatever order they arrived in (ties break on
// recency, then on the record key). Disagreements between sources are reported as conflicts.
import type { NormalisedRecord, ObservationPayload } from '../normalise/index.ts';

export interface LinkedRecord {
  readonly recordKey: string;
  readonly system: string;
  readonly instance: string;
  readonly recordId: string;
  /** ISO time the source observed this revision. */
  readonly observedAt: string;
  readonly payload: ObservationPayload;
  readonly normalised: NormalisedRecord;
}

export interface Provenance { readonly system: string; readonly instance: string; readonly recordId: string; readonly observedAt: string }
export interface SurvivedField { readonly value: unknown; readonly source: Provenance }
export interface FieldConflict { readonly field: string; readonly values: Array<{ value: unknown; system: string; recordId: string }> }

const MEMBER = 'member-system';
/** Source authority per field, best first; a system not listed never supplies the field. */
const AUTHORITY: Record<string, readonly string[]> = {
  name: [MEMBER, 'oa', 'xapi', 'wechat'],
  ethnicity: [MEMBER, 'oa'],
  education: [MEMBER, 'oa'],
  category: [MEMBER],
  orgName: [MEMBER],
  joinedAt: [MEMBER],
  fullMemberAt: [MEMBER],
  status: [MEMBER],
  lostContact: [MEMBER],
  floating: [MEMBER],
  address: [MEMBER],
  jobTitle: ['oa', MEMBER],
};

type Getter = (r: LinkedRecord) => unknown;
const fromPayload = (f: keyof ObservationPayload): Getter => (r) => r.payload[f];
const GETTERS: Record<string, Getter> = {
  // The normalised name: simplified characters, no stray spaces or full-width forms.
  name: (r) => r.normalised.name,
  ...Object.fromEntries(Object.keys(AUTHORITY).filter((f) => f !== 'name').map((f) => [f, fromPayload(f as keyof ObservationPayload)])),
};

const provenance = (r: LinkedRecord): Provenance => ({ system: r.system, instance: r.instance, recordId: r.recordId, observedAt: r.observedAt });
const present = (v: unknown) => v !== undefined && v !== null && v !== '';
/** Most recent first, then by key, so the choice never depends on arrival order. */
const byRecency = (a: LinkedRecord, b: LinkedRecord) => (a.observedAt === b.observedAt ? (a.recordKey < b.recordKey ? -1 : 1) : a.observedAt > b.observedAt ? -1 : 1);

function pick(records: readonly LinkedRecord[], systems: readonly string[] | 'any', get: Getter): SurvivedField | null {
  const ranked = records
    .filter((r) => systems === 'any' || systems.includes(r.system))
    .filter((r) => present(get(r)))
    .sort((a, b) => (systems === 'any' ? 0 : systems.indexOf(a.system) - systems.indexOf(b.system)) || byRecency(a, b));
  const best = ranked[0];
  return best === undefined ? null : { value: get(best), source: provenance(best) };
}

function fromIdNumber(id: string): { birthDate: string; gender: '男' | '女' } {
  return { birthDate: `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`, gender: Number(id[16]) % 2 === 1 ? '男' : '女' };
}

export function survive(records: readonly LinkedRecord[]): { fields: Record<string, SurvivedField>; conflicts: FieldConflict[] } {
  const live = records.filter((r) => r.payload.deleted !== true);
  const fields: Record<string, SurvivedField> = {};
  const put = (f: string, v: SurvivedField | null) => { if (v !== null) fields[f] = v; };
  for (const [f, systems] of Object.entries(AUTHORITY)) put(f, pick(live, systems, GETTERS[f]!));
  // Validity first: only a checksum-valid number survives; the member system's before others'.
  put('idNumber', pick(live, [MEMBER, ...new Set(live.map((r) => r.system).filter((s) => s !== MEMBER).sort())], (r) => r.normalised.idNumber));
  const id = fields.idNumber;
  if (id !== undefined) {
    const derived = fromIdNumber(String(id.value));
    fields.birthDate = { value: derived.birthDate, source: id.source };
    fields.gender = { value: derived.gender, source: id.source };
  } else {
    put('birthDate', pick(live, [MEMBER], fromPayload('birthDate')));
    put('gender', pick(live, [MEMBER], fromPayload('gender')));
  }
  // A phone goes stale when people change numbers: the most recent valid mobile from any system.
  put('phone', pick(live, 'any', (r) => r.normalised.phone));
  const accounts = [...new Set(live.flatMap((r) => (r.payload.accounts ?? []).map((a) => `${a.kind}:${a.value}`)))].sort();
  if (accounts.length > 0) fields.accounts = { value: accounts, source: { system: 'hub', instance: 'reconciler', recordId: 'union', observedAt: '' } };
  return { fields, conflicts: conflictsOf(live) };
}

/** Fields whose sources disagree (normalised values, so 王偉 and 王伟 agree). */
const CONFLICT_FIELDS: Record<string, Getter> = {
  name: (r) => r.normalised.name,
  idNumber: (r) => r.normalised.idNumber,
  birthDate: (r) => r.normalised.birthDate,
  gender: (r) => r.normalised.gender,
  category: fromPayload('category'),
  joinedAt: fromPayload('joinedAt'),
  ethnicity: fromPayload('ethnicity'),
};

export function conflictsOf(records: readonly LinkedRecord[]): FieldConflict[] {
  const out: FieldConflict[] = [];
  for (const [field, get] of Object.entries(CONFLICT_FIELDS)) {
    const values = records.filter((r) => present(get(r))).map((r) => ({ value: get(r), system: r.system, recordId: r.recordId }));
    if (new Set(values.map((v) => String(v.value))).size > 1) {
      out.push({ field, values: values.sort((a, b) => (a.system + a.recordId < b.system + b.recordId ? -1 : 1)) });
    }
  }
  return out;
}
