import { z } from 'zod';
import { envelope, orgCode } from './envelope.ts';

export const ORG_KINDS = ['党委', '党工委', '党总支', '党支部'] as const;

export const orgObservedPayload = z.object({
  name: z.string().trim().min(1).max(200),
  kind: z.enum(ORG_KINDS).optional(),
  parentCode: orgCode.optional(),
  parentName: z.string().trim().min(1).max(200).optional(),
  secretary: z.string().max(100).optional(),
  phone: z.string().max(32).optional(),
  category: z.string().max(50).optional(),
});

export const orgObserved = envelope('org.observed', 1, orgObservedPayload);
export type OrgObserved = z.infer<typeof orgObserved>;
