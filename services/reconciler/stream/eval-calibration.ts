// What eval-stream.ts --calibration prints: the stream's scored links and review pairs by weight,
// each bin's true share against the model's mean probability, and the wrong links by the fields
// that carried them. This is how the fs-4 threshold was read off (docs/reconciler-model.md, "fs-4").
import type { Model } from '../model.ts';
import type { NormalisedRecord } from '../normalise/index.ts';
import { scorePair } from '../score.ts';
import type { Decisions } from './batch-decide.ts';

interface Bin { n: number; same: number; p: number }

export function calibrationReport(model: Model, d: Pick<Decisions, 'newLinks' | 'review'>, normalised: ReadonlyMap<string, NormalisedRecord>, personOf: ReadonlyMap<string, string | null>): string[] {
  const same = (a: string, b: string) => personOf.get(a) != null && personOf.get(a) === personOf.get(b);
  const links = new Map<number, Bin>();
  const review = new Map<number, Bin>();
  const wrongBy = new Map<string, { wrong: number; n: number }>();
  const add = (bins: Map<number, Bin>, a: string, b: string) => {
    const s = scorePair(model, normalised.get(a)!, normalised.get(b)!);
    if (s.rule.decision !== 'undecided') return null;
    const bin = bins.get(Math.floor(s.weight)) ?? { n: 0, same: 0, p: 0 };
    bin.n++;
    bin.p += s.probability;
    if (same(a, b)) bin.same++;
    bins.set(Math.floor(s.weight), bin);
    return s;
  };
  for (const l of d.newLinks.values()) {
    if (l.viaRecordKey === null) continue;
    const s = add(links, l.recordKey, l.viaRecordKey);
    if (s === null) continue;
    const systems = [l.recordKey, l.viaRecordKey].map((k) => k.split('/')[0]).sort().join('–');
    const fields = s.contributions.filter((c) => c.weight > 0.5).map((c) => `${c.field}:${c.level}`).join(' + ');
    const w = wrongBy.get(`${systems} ${fields}`) ?? { wrong: 0, n: 0 };
    w.n++;
    if (!same(l.recordKey, l.viaRecordKey)) w.wrong++;
    wrongBy.set(`${systems} ${fields}`, w);
  }
  const seen = new Set<string>();
  for (const r of d.review) {
    const key = r.a < r.b ? `${r.a}|${r.b}` : `${r.b}|${r.a}`;
    if (seen.has(key)) continue;
    seen.add(key);
    add(review, r.a, r.b);
  }
  const table = (title: string, bins: Map<number, Bin>) => [
    title,
    ...[...bins].sort(([a], [b]) => a - b).map(([w, b]) => `  ${String(w).padStart(4)} bits: ${String(b.n).padStart(7)} pairs · true share ${(b.same / b.n).toFixed(4)} · model p ${(b.p / b.n).toFixed(4)}`),
  ];
  return [
    ...table('links decided by the model (rules left out), by weight:', links),
    ...table('review pairs (between the thresholds, or refused), by weight:', review),
    'wrong links by the fields that carried them (weight > 0.5 bits):',
    ...[...wrongBy].filter(([, w]) => w.wrong > 0).sort((a, b) => b[1].wrong - a[1].wrong).slice(0, 20)
      .map(([k, w]) => `  ${String(w.wrong).padStart(5)} of ${String(w.n).padStart(6)} · ${k}`),
  ];
}
