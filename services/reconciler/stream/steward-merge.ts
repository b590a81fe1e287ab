// A steward's merge of two active masters, as an ASSERTED decision: the younger master's records
// move to the older one (the smaller seq keeps its id, as an inferred merge does), every moved
// link becomes `asserted` with a history row naming the steward and the reason, the younger master
// becomes a tombstone and survivorship reruns. The steward names the revision of each master they
// decided on; a master changed since is refused (StaleActionError → 409). The rules the event path
// keeps hold for stewards too: no master ever holds two different valid ID numbers, and a
// steward's never-link between the two masters must be retracted before they can be merged (422).
import type { EventBus } from '../../bus/port.ts';
import type { Db } from '../../db/database.ts';
import { publishChanges } from './publish.ts';
import type { MasterChange } from './master-change.ts';
import {
  lockDecidedMasters, lockRecordsForChange, mergeAsserted, recordsOf, refuseForbiddenMerge, StewardRefusedError, type StewardSignature,
} from './steward-common.ts';

export interface DecidedMaster {
  readonly masterId: string;
  /** The master revision the steward decided on. */
  readonly expectedRevision: number;
}

export interface MergeRequest extends StewardSignature {
  readonly masters: readonly [DecidedMaster, DecidedMaster];
}

export interface MergeResult {
  readonly survivorId: string;
  readonly retiredId: string;
  readonly changes: MasterChange[];
}

export async function mergeMastersAsserted(db: Db, bus: EventBus | null, r: MergeRequest): Promise<MergeResult> {
  const [a, b] = r.masters;
  if (a.masterId === b.masterId) throw new StewardRefusedError(`两个主记录相同（${a.masterId}），无需合并`, { field: 'masters', rule: 'same-master' });
  const result = await db.transaction(async (tx) => {
    // Either may turn out the younger: lock the records of both (the younger's links all move).
    const recordsA = await recordsOf(tx, a.masterId);
    const recordsB = await recordsOf(tx, b.masterId);
    await lockRecordsForChange(tx, [...recordsA, ...recordsB]);
    const info = await lockDecidedMasters(tx, new Map([[a.masterId, a.expectedRevision], [b.masterId, b.expectedRevision]]));
    await refuseForbiddenMerge(tx, info, a.masterId, b.masterId);
    const aIsOlder = (info.get(a.masterId)?.seq ?? 0) <= (info.get(b.masterId)?.seq ?? 0);
    return mergeAsserted(tx, info, a.masterId, b.masterId, aIsOlder ? recordsB : recordsA, r);
  });
  if (bus) await publishChanges(db, bus, result.changes);
  return result;
}
