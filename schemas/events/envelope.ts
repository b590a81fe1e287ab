// The canonical event envelope every topic carries. Payload schemas are versioned per event type;
// the envelope itself only changes with a new `version` of the event.
import { z } from 'zod';

export const SOURCE_SYSTEMS = ['member-system', 'wechat', 'xapi', 'oa', 'hub'] as const;
export const sourceSystem = z.enum(SOURCE_SYSTEMS);
export type SourceSystem = z.infer<typeof sourceSystem>;

export const source = z.object({
  system: sourceSystem,
  /** Which deployment of the system (one province's member system, one WeChat account …). */
  instance: z.string().min(1),
  /** The record's id in that system; with system+instance it names one source record. */
  recordId: z.string().min(1),
});
export type Source = z.infer<typeof source>;

export const orgCode = z.string().regex(/^[0-9A-Za-z-]{1,32}$/, 'org code: 1–32 letters, digits or -');

export function envelope<T extends string, P extends z.ZodType>(type: T, version: number, payload: P) {
  return z.object({
    type: z.literal(type),
    version: z.literal(version),
    /** Deterministic per source record revision, so a re-read does not make a new event. */
    id: z.string().min(1),
    source,
    occurredAt: z.iso.datetime({ offset: true }),
    observedAt: z.iso.datetime({ offset: true }),
    orgCode: orgCode.optional(),
    payload,
  });
}
