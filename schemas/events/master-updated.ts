import { z } from 'zod';
import { envelope } from './envelope.ts';

export const masterUpdatedPayload = z.object({
  masterId: z.string().min(1),
  revision: z.number().int().positive(),
  change: z.enum(['created', 'updated', 'merged', 'split', 'retired']),
  /** Masters folded into this one (merge) or split off from it (split). */
  related: z.array(z.string()).default([]),
  fields: z.record(z.string(), z.unknown()),
});

export const masterUpdated = envelope('master.updated', 1, masterUpdatedPayload);
export type MasterUpdated = z.infer<typeof masterUpdated>;
