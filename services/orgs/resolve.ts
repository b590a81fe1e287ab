// The registry's answer for the rest of the hub (master survivorship, exports): each name → the
// org code it resolves to and how, or null when it does not resolve (a steward's question).
import type { Db } from '../db/database.ts';
import { loadSnapshot } from './repository.ts';
import type { Resolution } from './registry.ts';

export async function resolveOrgNames(db: Db, names: readonly string[]): Promise<Map<string, Resolution | null>> {
  const snapshot = await loadSnapshot(db);
  const out = new Map<string, Resolution | null>();
  for (const name of names) {
    if (out.has(name)) continue;
    const o = snapshot.resolve(name);
    out.set(name, o.kind === 'resolved' ? o.resolution : null);
  }
  return out;
}
