// Explanations in numbers: for a pair, the core's waterfall under the stored model; for a master,
// its survived fields with provenance, each record's link with the waterfall that decided it,
// and the conflicts between its sources.
import { and, asc, eq, inArray, or } from 'drizzle-orm';
import { reconcilerConflicts, reconcilerLinks, reconcilerMasters, reconcilerSourceRecords } from '../../../schemas/db/reconciler.ts';
import type { Db } from '../../db/database.ts';
import type { NormalisedRecord } from '../normalise/index.ts';
import type { Model } from '../model.ts';
import { formatWaterfall, scorePair } from '../score.ts';
import { unionOverlap } from '../system-overlap.ts';
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
  const score = scorePair(stored.model, x.normalised, y.normalised);
  const [mx, my] = [masterOf(x.recordKey), masterOf(y.recordKey)];
  const union = links.length === 2 && mx !== my ? await explainUnion(db, stored.model, score.weight, x, y, mx, my) : [];
  return [`${x.recordKey} → ${mx}`, `${y.recordKey} → ${my}`, `model ${stored.version}`, ...formatWaterfall(score), ...union];
}

/**
 * The pair's two masters as they stand: would the link join them? Where both hold a record of one
 * source system, the union is weighed with that system's own prior (system-overlap.ts), which is
 * what sends such a pair to review though its own waterfall reads as a match.
 */
async function explainUnion(db: Db, model: Model, weight: number, x: Held, y: Held, mx: string, my: string): Promise<string[]> {
  const held = await db.select({ masterId: reconcilerLinks.masterId, normalised: reconcilerSourceRecords.normalised }).from(reconcilerLinks)
    .innerJoin(reconcilerSourceRecords, eq(reconcilerSourceRecords.recordKey, reconcilerLinks.recordKey))
    .where(and(inArray(reconcilerLinks.masterId, [mx, my]), eq(reconcilerSourceRecords.deleted, false)));
  const side = (m: string) => held.filter((h) => h.masterId === m).map((h) => h.normalised as unknown as NormalisedRecord);
  const overlap = unionOverlap(model, weight, x.normalised, y.normalised, side(mx), side(my));
  const w = overlap?.weight ?? weight;
  const verdict = !Number.isFinite(w) ? 'decided by the rule' : w >= model.config.thresholds.match ? `≥ match ${model.config.thresholds.match}` : `< match ${model.config.thresholds.match}: not joined by this link`;
  const head = `union of ${mx} and ${my}`;
  if (overlap === null) return [`${head}: no source system on both sides · weight ${w.toFixed(2)} ${verdict}`];
  return [
    `${head}: both hold a record of ${overlap.systems.join(', ')} · prior ${overlap.prior.toFixed(2)} in place of ${overlap.linkPrior.toFixed(2)}`,
    `  weight ${weight.toFixed(2)} → ${w.toFixed(2)} ${verdict}`,
  ];
}

interface Held { readonly recordKey: string; readonly normalised: NormalisedRecord }

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
