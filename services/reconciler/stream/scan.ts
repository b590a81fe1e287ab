// The repair pass (`yibiao reconcile --scan`): every stored record's current revision is decided
// again, in batches in record-key order, through the same transaction as new events. Where the
// evidence now joins masters that arrival order left apart — a never-link a steward retracted, a
// record that arrived before the one that bridges it, a block that has since filled — the masters
// merge, with history; where it does not, nothing is written and no revision moves, so a second
// scan is a no-op. Records a steward asserted keep their links.
import { asc, gt } from 'drizzle-orm';
import { reconcilerSourceRecords } from '../../../schemas/db/reconciler.ts';
import { memberObserved, type MemberObserved } from '../../../schemas/events/member-observed.ts';
import type { EventBus } from '../../bus/port.ts';
import type { Db } from '../../db/database.ts';
import type { StoredModel } from './model-store.ts';
import { publishChanges } from './publish.ts';
import { reconcileBatch } from './reconcile-batch.ts';

export interface ScanStats { scanned: number; merges: number; relinked: number; changedMasters: number }

export interface ScanOptions {
  readonly pageSize?: number;
  readonly onProgress?: (s: ScanStats) => void;
  /** Stops between pages (a page's transaction always completes): the stats say how far it got. */
  readonly signal?: AbortSignal;
}

export async function scanForDuplicates(
  db: Db, bus: EventBus | null, active: StoredModel,
  o: ScanOptions = {},
): Promise<ScanStats> {
  const stats: ScanStats = { scanned: 0, merges: 0, relinked: 0, changedMasters: 0 };
  let after = '';
  for (;;) {
    if (o.signal?.aborted === true) return stats;
    const page = await db.select().from(reconcilerSourceRecords).where(gt(reconcilerSourceRecords.recordKey, after))
      .orderBy(asc(reconcilerSourceRecords.recordKey)).limit(o.pageSize ?? 1000);
    if (page.length === 0) return stats;
    after = page[page.length - 1]!.recordKey;
    const events = page.map((r): MemberObserved => memberObserved.parse({
      type: 'member.observed', version: 1, id: r.eventId, source: { system: r.system, instance: r.instance, recordId: r.recordId },
      occurredAt: r.observedAt, observedAt: r.observedAt, payload: r.payload,
    }));
    const outcome = await reconcileBatch(db, active, events, { rescan: true });
    stats.scanned += page.length;
    stats.merges += outcome.counts.merges;
    stats.relinked += outcome.counts.relinked;
    stats.changedMasters += outcome.changes.length;
    if (bus) await publishChanges(db, bus, outcome.changes);
    o.onProgress?.(stats);
  }
}
