// The repair scans' history in PostgreSQL (reconciler_scan_runs): a row when a scan starts, its
// counts as it goes, its end. The hub's status shows only the scan of this process; the history
// outlives restarts and shows every process's scans, so an IT department can see when the
// schedule last ran, who started a scan by hand and what each one joined.
import { randomUUID } from 'node:crypto';
import { and, desc, eq } from 'drizzle-orm';
import { reconcilerScanRuns } from '../../schemas/db/reconciler.ts';
import type { Db } from '../db/database.ts';
import type { ScanStats } from './stream/scan.ts';

/** A running row not updated for this long belongs to a process that died mid-scan. */
export const SCAN_STALE_MS = 5 * 60_000;

export type ScanRunStatus = 'running' | 'finished' | 'stopped' | 'failed' | 'interrupted';

export interface ScanHistoryEntry {
  readonly id: string;
  readonly trigger: 'schedule' | 'manual';
  readonly triggeredBy: string | null;
  readonly status: ScanRunStatus;
  readonly startedAt: string;
  readonly finishedAt: string | null;
  readonly stats: ScanStats;
  readonly model: Record<string, unknown> | null;
  readonly error: string | null;
}

export async function recordScanStart(db: Db, run: { trigger: 'schedule' | 'manual'; triggeredBy: string | null; startedAt: string }): Promise<string> {
  const id = randomUUID();
  const at = new Date(run.startedAt);
  await db.insert(reconcilerScanRuns).values({ id, trigger: run.trigger, triggeredBy: run.triggeredBy, status: 'running', startedAt: at, updatedAt: at });
  return id;
}

/** Not awaited by the scan: a write that lands after the scan's end finds its row ended and changes nothing. */
export async function recordScanProgress(db: Db, id: string, s: ScanStats): Promise<void> {
  await db.update(reconcilerScanRuns).set({ ...s, updatedAt: new Date() }).where(and(eq(reconcilerScanRuns.id, id), eq(reconcilerScanRuns.status, 'running')));
}

export async function recordScanEnd(
  db: Db, id: string,
  end: { status: 'finished' | 'stopped' | 'failed'; finishedAt: string; stats: ScanStats; model: object | null; error: string | null },
): Promise<void> {
  const at = new Date(end.finishedAt);
  await db.update(reconcilerScanRuns)
    .set({ ...end.stats, status: end.status, finishedAt: at, updatedAt: at, model: end.model as Record<string, unknown> | null, error: end.error })
    .where(eq(reconcilerScanRuns.id, id));
}

/** The latest `limit` scans, newest first. */
export async function scanHistory(db: Db, limit: number, now = Date.now()): Promise<ScanHistoryEntry[]> {
  const rows = await db.select().from(reconcilerScanRuns).orderBy(desc(reconcilerScanRuns.startedAt), desc(reconcilerScanRuns.id)).limit(limit);
  return rows.map((r) => ({
    id: r.id,
    trigger: r.trigger,
    triggeredBy: r.triggeredBy,
    status: r.status === 'running' && now - r.updatedAt.getTime() > SCAN_STALE_MS ? 'interrupted' : r.status,
    startedAt: r.startedAt.toISOString(),
    finishedAt: r.finishedAt?.toISOString() ?? null,
    stats: { scanned: r.scanned, merges: r.merges, relinked: r.relinked, changedMasters: r.changedMasters },
    model: r.model ?? null,
    error: r.error,
  }));
}
