// How the reconciler names a source record and a master. Both are pure functions of the source
// record's identity, so a replay onto an empty database issues the very same master ids.
import { createHash } from 'node:crypto';
import type { Source } from '../../../schemas/events/envelope.ts';

export function recordKey(s: Pick<Source, 'system' | 'instance' | 'recordId'>): string {
  return `${s.system}/${s.instance}/${s.recordId}`;
}

/** A master is named after the record that created it: `M` + 20 base32 characters of its hash. */
export function masterIdFor(creatingRecordKey: string): string {
  const h = createHash('sha256').update(`master\u0000${creatingRecordKey}`).digest();
  const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
  let out = 'M';
  for (let i = 0; i < 20; i++) out += alphabet[h[i]! & 31];
  return out;
}
