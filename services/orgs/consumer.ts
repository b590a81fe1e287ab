// The org registry as a bus consumer: org.observed keeps the registry (orgs and their observed
// names), member.observed's orgName values are judged (resolved or suggested). Every write is an
// upsert by natural key, so a redelivered event changes nothing. A registry change re-judges
// every seen name shortly after (debounced), since names may arrive before their orgs.
import type { Logger } from 'pino';
import { NonRetriableError } from '../../schemas/errors.ts';
import { memberObserved } from '../../schemas/events/member-observed.ts';
import { orgObserved } from '../../schemas/events/org-observed.ts';
import type { BusMessage, EventBus } from '../bus/port.ts';
import type { Db } from '../db/database.ts';
import type { RegistrySnapshot } from './registry.ts';
import { loadSnapshot, upsertObservedOrg } from './repository.ts';
import { observeOrgName, refreshSuggestions, type RefreshResult } from './suggestions.ts';
import { parseEvent } from '../bus/parse-event.ts';

export const ORGS_GROUP = 'orgs';
export const ORG_TOPICS = ['org.observed', 'member.observed'] as const;

export interface OrgConsumerOptions {
  readonly db: Db;
  readonly bus: EventBus;
  readonly logger: Logger;
  readonly groupId?: string;
  /** Quiet time after the last registry change before seen names are judged again (default 1 s). */
  readonly refreshDelayMs?: number;
  /** How long a registry snapshot serves before it is reloaded (steward decisions land elsewhere). */
  readonly snapshotTtlMs?: number;
  readonly sessionTimeoutMs?: number;
}

export interface OrgConsumerStats {
  orgsChanged: number;
  orgsUnchanged: number;
  names: number;
  invalid: number;
  refreshes: number;
}

export interface RunningOrgConsumer {
  readonly stats: OrgConsumerStats;
  /** Settles once pending re-judging has run (tests, shutdown). */
  settle(): Promise<RefreshResult | null>;
  close(): Promise<void>;
}

export async function startOrgConsumer(o: OrgConsumerOptions): Promise<RunningOrgConsumer> {
  const stats: OrgConsumerStats = { orgsChanged: 0, orgsUnchanged: 0, names: 0, invalid: 0, refreshes: 0 };
  const ttl = o.snapshotTtlMs ?? 5_000;
  let snapshot: { value: RegistrySnapshot; at: number } | null = null;
  const current = async () => {
    if (!snapshot || Date.now() - snapshot.at > ttl) snapshot = { value: await loadSnapshot(o.db), at: Date.now() };
    return snapshot.value;
  };
  // Names already judged by this process (system + name): the table would change nothing.
  const judged = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  let refreshing: Promise<RefreshResult | null> = Promise.resolve(null);
  let dirty = false;
  const refresh = () => {
    timer = undefined;
    refreshing = refreshing.then(async () => {
      if (!dirty) return null;
      dirty = false;
      snapshot = null;
      try {
        const r = await refreshSuggestions(o.db);
        stats.refreshes++;
        o.logger.info({ ...r }, `org registry: ${r.names} names judged again, ${r.open} open suggestions`);
        return r;
      } catch (err) {
        dirty = true;
        o.logger.warn({ err }, 'org registry: judging seen names failed; will retry on the next change');
        return null;
      }
    });
  };
  const changed = () => {
    dirty = true;
    snapshot = null;
    clearTimeout(timer);
    timer = setTimeout(refresh, o.refreshDelayMs ?? 1_000);
  };

  const handler = async (m: BusMessage): Promise<void> => {
    try {
      if (m.topic === 'org.observed') {
        const e = parseEvent(m, orgObserved);
        if (await upsertObservedOrg(o.db, e)) {
          stats.orgsChanged++;
          changed();
        } else stats.orgsUnchanged++;
        return;
      }
      const e = parseEvent(m, memberObserved);
      const name = e.payload.orgName;
      if (name === undefined) return;
      const key = `${e.source.system}\u0000${name}`;
      if (judged.has(key)) return;
      await observeOrgName(o.db, await current(), name, e.source.system);
      judged.add(key);
      stats.names++;
    } catch (err) {
      if (err instanceof NonRetriableError) stats.invalid++;
      throw err;
    }
  };

  const sub = await o.bus.subscribe({
    groupId: o.groupId ?? ORGS_GROUP, topics: [...ORG_TOPICS], fromBeginning: true, handler,
    ...(o.sessionTimeoutMs ? { sessionTimeoutMs: o.sessionTimeoutMs } : {}),
  });
  return {
    stats,
    settle: async () => {
      if (timer) {
        clearTimeout(timer);
        refresh();
      }
      return refreshing;
    },
    close: async () => {
      await sub.close();
      clearTimeout(timer);
      if (dirty) refresh();
      await refreshing;
    },
  };
}
