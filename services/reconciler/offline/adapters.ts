// The synthetic population's native records → member.observed payloads, mapped by the connectors'
// own functions (connectors/*/mapping.ts), so the evaluation measures exactly what a sync or an
// import would give the reconciler. A record a connector refuses (an InvalidRecord: dead-lettered
// in a hub) or skips (a follower whose remark names nobody) is left out, as it would be.
import type { ReadItem } from '../../../connectors/contract.ts';
import { mapMemberRow } from '../../../connectors/member-system/mapping.ts';
import { mapEmployee } from '../../../connectors/oa/mapping.ts';
import { populationQrScenes, type Population } from '../../../connectors/population/index.ts';
import { mapBinding, mapFollower } from '../../../connectors/wechat/mapping.ts';
import { mapLearner } from '../../../connectors/xapi/mapping.ts';
import type { MemberObserved } from '../../../schemas/events/member-observed.ts';
import type { ObservationPayload } from '../normalise/index.ts';

export interface OfflineRecord {
  readonly ref: string;
  readonly system: string;
  readonly payload: ObservationPayload;
}

/** When the population's records are taken to have been read. */
const READ_AT = '2025-06-30T08:00:00.000Z';
const INSTANCE = 'default';

export function observationsOf(pop: Population): OfflineRecord[] {
  const out: OfflineRecord[] = [];
  const take = (item: ReadItem | null): void => {
    if (item?.kind !== 'event') return;
    const e = item.event as MemberObserved;
    out.push({ ref: `${e.source.system}:${e.source.recordId}`, system: e.source.system, payload: e.payload });
  };
  pop.systems.memberSystem.rows.forEach((r, i) => take(mapMemberRow({ ...r }, { instance: INSTANCE, occurredAt: READ_AT, observedAt: READ_AT, where: `members.xlsx row ${i + 2}` })));
  // The tag names and the QR scene table a hub would have for this population (YIBIAO_WECHAT_QR_SCENES).
  const wechat = { instance: INSTANCE, observedAt: READ_AT, tagNames: new Map(pop.systems.wechat.tags.map((t) => [t.id, t.name])), qrScenes: populationQrScenes(pop) };
  for (const f of pop.systems.wechat.followers) take(mapFollower(f, wechat));
  for (const b of pop.systems.wechat.bindings) take(mapBinding(b, wechat));
  for (const l of pop.systems.xapi.learners) take(mapLearner(l, INSTANCE, READ_AT));
  for (const e of pop.systems.oa.employees) take(mapEmployee(e, { instance: INSTANCE, observedAt: READ_AT }));
  return out;
}

/** The truth person behind each offline record (null when unknown). */
export function truthOf(pop: Population, records: readonly OfflineRecord[]): Array<string | null> {
  const byRef = new Map(pop.truth.records.map((t) => [`${t.system}:${t.id}`, t.personId]));
  return records.map((r) => byRef.get(r.ref) ?? null);
}
