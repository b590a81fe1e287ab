import { createHash } from 'node:crypto';
import type { Source } from './envelope.ts';

/**
 * Deterministic event id for one revision of one source record: re-reading the same record
 * (a rerun after a crash, an import of a file already synced) yields the same id, so consumers
 * deduplicate by id; a changed record yields a new id.
 */
export function eventId(type: string, source: Source, payload: unknown): string {
  const h = createHash('sha256');
  h.update(`${type}\u0000${source.system}\u0000${source.instance}\u0000${source.recordId}\u0000`);
  h.update(stableJson(payload));
  return h.digest('base64url').slice(0, 32);
}

/** JSON with object keys sorted, so the same payload always hashes the same. */
export function stableJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
}
