// A task one source system assigns to a branch; the consolidator merges those of one branch and
// period into one form.
import { z } from 'zod';
import { envelope } from './envelope.ts';

export const period = z.string().regex(/^\d{4}(-(Q[1-4]|H[12]|(0[1-9]|1[0-2])))?$/, 'period: YYYY, YYYY-Qn, YYYY-Hn or YYYY-MM');

export const taskAssignedPayload = z.object({
  title: z.string().trim().min(1).max(400),
  period,
  dueAt: z.iso.datetime({ offset: true }).optional(),
  /** Field keys from the reporting catalogue the task asks for. */
  fields: z.array(z.string().min(1)).min(1),
  assignee: z.string().max(100).optional(),
});

export const taskAssigned = envelope('task.assigned', 1, taskAssignedPayload);
export type TaskAssigned = z.infer<typeof taskAssigned>;

export const taskClosedPayload = z.object({
  taskRecordId: z.string().min(1),
  outcome: z.enum(['submitted', 'cancelled', 'expired']),
});

export const taskClosed = envelope('task.closed', 1, taskClosedPayload);
export type TaskClosed = z.infer<typeof taskClosed>;
