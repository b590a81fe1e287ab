// Org fixtures from the seeded population generator: the member system's 党组织 list as the
// org.observed events its connector emits, and the truth of every name any system (or the
// members themselves) uses for an org — by normalised alias, the set of orgs that name can mean.
import { orgRowsOf } from '../../../connectors/member-system/org-fields.ts';
import { mapOrgRow } from '../../../connectors/member-system/org-mapping.ts';
import { SYSTEMS, type Population } from '../../../connectors/population/index.ts';
import type { OrgObserved } from '../../../schemas/events/org-observed.ts';
import type { OutgoingMessage } from '../../../services/bus/port.ts';
import { aliasKey } from '../../../services/orgs/org-key.ts';

export const OBSERVED_AT = '2025-06-30T08:00:00.000Z';

export function orgEventsOf(pop: Population, instance = 'test'): OrgObserved[] {
  return orgRowsOf(pop)
    .map((r, i) => mapOrgRow(r, { instance, observedAt: OBSERVED_AT, where: `row ${i}` }))
    .flatMap((item) => (item.kind === 'event' ? [item.event as OrgObserved] : []));
}

export interface NameTruth {
  /** One spelling of the name (as some system writes it). */
  readonly name: string;
  readonly codes: ReadonlySet<string>;
}

/** alias key → a spelling and every org that name is used for, over all systems and the members' alias. */
export function nameTruth(pop: Population): Map<string, NameTruth> {
  const out = new Map<string, { name: string; codes: Set<string> }>();
  for (const o of pop.orgs) {
    for (const name of [...SYSTEMS.map((s) => o.names[s]), o.alias]) {
      const k = aliasKey(name);
      const e = out.get(k) ?? { name, codes: new Set<string>() };
      e.codes.add(o.code);
      out.set(k, e);
    }
  }
  return out;
}

export function messagesOf(events: ReadonlyArray<{ source: { system: string; instance: string; recordId: string } }>): OutgoingMessage[] {
  return events.map((e) => ({ key: `${e.source.system}/${e.source.instance}/${e.source.recordId}`, value: JSON.stringify(e) }));
}
