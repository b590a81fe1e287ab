import { z } from 'zod';
import { envelope } from './envelope.ts';

const yearMonth = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'month: YYYY-MM');

export const duesPaidPayload = z.object({
  memberName: z.string().min(1),
  idNumber: z.string().max(32).optional(),
  month: yearMonth,
  /** Amounts in fen (分) so sums are exact. */
  base: z.number().int().nonnegative().optional(),
  due: z.number().int().nonnegative(),
  paid: z.number().int().nonnegative(),
  method: z.enum(['online', 'cash', 'on-behalf']),
  paidOn: z.iso.date(),
  orderNo: z.string().max(64).optional(),
  late: z.boolean().default(false),
});

export const duesPaid = envelope('dues.paid', 1, duesPaidPayload);
export type DuesPaid = z.infer<typeof duesPaid>;
