// Term frequencies counted over the masters, once there are masters. The topic pass (model-input.ts)
// can only take a valid ID number or an account for a person, so one person's register row, WeChat
// follower and OA login count as three holders of their name: every name looks commoner than it
// is, by more the smaller the data (a holder is 1/N). The offline core counts again over its first
// clusters (pipeline.ts); this is the stream's same second look, over the stored records grouped
// by the master each is linked to. Measured in memory (decide-in-order, seed 2, throw-away script):
// 10,000 persons 0.99994 · 0.89640 → 0.99970 · 0.93871, 50,000 persons 0.99993 · 0.91008 →
// 0.99988 · 0.91560, deciding every record again under the recounted tables. Only with
// YIBIAO_TF_OVER_MASTERS=on: at 250,000 persons the real repair took precision to 0.99894, below
// the 0.999, for +0.0025 of recall (docs/reconciler-model.md). Since fs-12 the topic pass
// counts names over ID numbers' people and gets most of that gain without masters (10k, seed 2:
// 0.99988 · 0.94201; with the recount 0.99970 · 0.94446).
import { and, asc, eq, gt } from 'drizzle-orm';
import { reconcilerLinks, reconcilerSourceRecords } from '../../../schemas/db/reconciler.ts';
import type { Db } from '../../db/database.ts';
import type { ModelConfig } from '../model-config.ts';
import type { Model } from '../model.ts';
import type { NormalisedRecord } from '../normalise/index.ts';
import { TermFrequencies } from '../term-frequencies.ts';

export interface MasterCounts {
  readonly tf: Model['tf'];
  /** Stored records counted (linked, not deleted). */
  readonly records: number;
}

export interface CountOptions {
  readonly pageSize?: number;
  /** Records counted so far, after each page. */
  readonly onProgress?: (records: number) => void;
  /** Gives up between pages (rejects with the signal's reason): a hub shutting down. */
  readonly signal?: AbortSignal;
}

/**
 * The term-frequency tables over every linked, undeleted stored record, each master one person;
 * null while no record is linked (nothing reconciled yet). Pages in record-key order, so the
 * records are never all held.
 */
export async function countOverMasters(db: Db, config: ModelConfig, o: CountOptions = {}): Promise<MasterCounts | null> {
  const tf = new TermFrequencies(config);
  let records = 0;
  let after = '';
  for (;;) {
    o.signal?.throwIfAborted();
    const page = await db.select({ recordKey: reconcilerSourceRecords.recordKey, normalised: reconcilerSourceRecords.normalised, masterId: reconcilerLinks.masterId })
      .from(reconcilerSourceRecords).innerJoin(reconcilerLinks, eq(reconcilerLinks.recordKey, reconcilerSourceRecords.recordKey))
      .where(and(gt(reconcilerSourceRecords.recordKey, after), eq(reconcilerSourceRecords.deleted, false)))
      .orderBy(asc(reconcilerSourceRecords.recordKey)).limit(o.pageSize ?? 5_000);
    if (page.length === 0) break;
    after = page[page.length - 1]!.recordKey;
    for (const r of page) tf.add(r.normalised as unknown as NormalisedRecord, r.masterId);
    records += page.length;
    o.onProgress?.(records);
  }
  return records === 0 ? null : { tf: tf.tables(), records };
}

/** Whether any stored record is linked to a master (one row read). */
export async function hasLinkedRecords(db: Db): Promise<boolean> {
  const [row] = await db.select({ k: reconcilerLinks.recordKey }).from(reconcilerLinks).limit(1);
  return row !== undefined;
}
