// Masters that are known to be different people compete for a record. A pair's weight is its
// posterior odds against the prior of a random pair; but when a WeChat remark (王伟 · 五支部)
// scores +4.5 bits against two register rows with different valid ID numbers, it is at most one of
// them: P(first) = O₁ / (1 + O₁ + O₂), not O₁ / (1 + O₁). So each match-band master's odds are
// divided by one plus the odds of every candidate master that cannot be the same person as it
// (the two pieces of evidence contradict each other, contradiction.ts: the rules' never — two
// different valid ID numbers — or one comparison at ≤ −10 bits). Masters that may be one person (a register row and a not yet merged WeChat
// follower of the same man) do not compete: they are what the record joins together.
import { contradicts } from './contradiction.ts';
import type { Model } from './model.ts';
import type { NormalisedRecord } from './normalise/index.ts';

export interface MasterEvidence { readonly weight: number; readonly via: string }

/**
 * Removes from `best` (match-band evidence per master) the masters whose odds, shared with the
 * distinct masters of `scored` (the best evidence per master in the match or review band), fall
 * below the match threshold; returns them with their own pair weight. Rules (±∞) are not touched.
 */
export function competeForRecord(model: Model, best: Map<string, MasterEvidence>, scored: ReadonlyMap<string, MasterEvidence>, normalisedOf: (recordKey: string) => NormalisedRecord): Array<{ masterId: string } & MasterEvidence> {
  const out: Array<{ masterId: string } & MasterEvidence> = [];
  for (const [m, e] of [...best]) {
    if (!Number.isFinite(e.weight)) continue;
    const x = normalisedOf(e.via);
    let others = 0;
    for (const [j, f] of scored) {
      if (j === m) continue;
      const y = normalisedOf(f.via);
      if (contradicts(model, x, y)) others += 2 ** f.weight;
    }
    if (e.weight - Math.log2(1 + others) < model.config.thresholds.match) {
      best.delete(m);
      out.push({ masterId: m, ...e });
    }
  }
  return out;
}
