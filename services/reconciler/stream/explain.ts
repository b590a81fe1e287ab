// Explanations in numbers: for a pair, the core's waterfall under the stored model; for a master,
// its survived fields with provenance, each record's link with the waterfall that decided it,
// and the conflicts between its sources.
import { and, asc, eq, or } from 'drizzle-orm';
import { reconcilerConflicts, reconcilerLinks, reconcilerMasters, reconcilerSourceRecords } from '../../../schemas/db/reconciler.ts';
import type { Db } from '../../db/database.ts';
import type { NormalisedRecord } from '../normalise/index.ts';
import { formatWaterfall, scorePair } from '../score.ts';
import { loadModel, loadModelVersion } from './model-store.ts';

/** A record named by its key (`system/instance/recordId`) or as `system:recordId`. */
export async function findRecord(db: Db, ref: string): Promise<{ recordKey: string; normalised: NormalisedRecord } | null> {
  const colon = ref.indexOf(':');
  const bySource = colon > 0 ? and(eq(reconcilerSourceRecords.system, ref.slice(0, colon)), eq(reconcilerSourceRecords.recordId, ref.slice(colon + 1))) : undefined;
  const [r] = await db.select({ recordKey: reconcilerSourceRecords.recordKey, normalised: reconcilerSourceRecords.normalised }).from(reconcilerSourceRecords)
    .where(bySource ? or(eq(reconcilerSourceRecords.recordKey, ref), bySource) : eq(reconcilerSourceRecords.recordKey, ref)).orderBy(asc(reconcilerSourceRecords.recordKey)).limit(1);
  return r ? { recordKey: r.recordKey, normalised: r.normalised as unknown as NormalisedRecord } : null;
}

export async function explainPair(db: Db, a: string, b: string): Promise<string[]> {
  const stored = await loadModel(db);
  if (!stored) throw new Error('no model stored yet: run `yibiao reconcile --drain` first');
  const [x, y] = [await findRecord(db, a), await findRecord(db, b)];
  if (!x) throw new Error(`no source record ${a}`);
  if (!y) throw new Error(`no source record ${b}`);
  const links = await db.select({ recordKey: reconcilerLinks.recordKey, masterId: reconcilerLinks.masterId }).from(reconcilerLinks)
    .where(or(eq(reconcilerLinks.recordKey, x.recordKey), eq(reconcilerLinks.recordKey, y.recordKey)));
  const masterOf = (k: string) => links.find((l) => l.recordKey === k)?.masterId ?? '(unlinked)';
  return [
    `${x.recordKey} → ${masterOf(x.recordKey)}`,
    `${y.recordKey} → ${masterOf(y.recordKey)}`,
    `model ${stored.version}`,
    ...formatWaterfall(scorePair(stored.model, x.normalised, y.normalised)),
  ];
}

export async function explainMaster(db: Db, masterId: string): Promise<string[]> {
  let [m] = await db.select().from(reconcilerMasters).where(eq(reconcilerMasters.masterId, masterId));
  if (!m) throw new Error(`no master ${masterId}`);
  const lines: string[] = [];
  if (m.status === 'merged' && m.mergedInto) {
    lines.push(`${masterId} was merged into ${m.mergedInto}`);
    [m] = await db.select().from(reconcilerMasters).where(eq(reconcilerMasters.masterId, m.mergedInto));
    if (!m) return lines;
  }
  lines.push(`master ${m.masterId} · revision ${m.revision} · ${m.status}`);
  for (const [field, f] of Object.entries(m.fields as Record<string, { value: unknown; source: { system: string; recordId: string; observedAt: string } }>)) {
    lines.push(`  ${field.padEnd(13)} ${JSON.stringify(f.value)}  ← ${f.source.system}:${f.source.recordId} ${f.source.observedAt}`);
  }
  const links = await db.select().from(reconcilerLinks).where(eq(reconcilerLinks.masterId, m.masterId)).orderBy(asc(reconcilerLinks.recordKey));
  for (const l of links) {
    lines.push('', `record ${l.recordKey}: ${l.state}/${l.origin} · ${l.reason} · model ${l.modelVersion}`);
    if (l.viaRecordKey === null) continue;
    // The waterfall of the model that decided the link, which a re-estimate may since have replaced.
    const stored = await loadModelVersion(db, l.modelVersion);
    if (stored === null) continue;
    const [x, y] = [await findRecord(db, l.recordKey), await findRecord(db, l.viaRecordKey)];
    if (x && y) lines.push(...formatWaterfall(scorePair(stored.model, x.normalised, y.normalised)).map((s) => `    ${s}`));
  }
  const conflicts = await db.select().from(reconcilerConflicts).where(eq(reconcilerConflicts.masterId, m.masterId)).orderBy(asc(reconcilerConflicts.field));
  if (conflicts.length > 0) lines.push('', 'conflicts:');
  for (const c of conflicts) lines.push(`  ${c.field}: ${c.values.map((v) => `${JSON.stringify(v.value)} (${String(v.system)}:${String(v.recordId)})`).join(' vs ')}`);
  return lines;
}
