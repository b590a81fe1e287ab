// A node-cron expression in configuration: checked at start-up with node-cron's own parser, so a
// schedule that would never fire (or throw later) stops the hub with the variable's name.
import cron from 'node-cron';
import { z } from 'zod';

export const cronExpression = z
  .string()
  .trim()
  .regex(/^(\S+\s+){4,5}\S+$/, 'must be a cron expression with 5 or 6 fields, e.g. "*/15 * * * *"')
  .refine((s) => cron.validate(s), 'is not a valid cron expression (minute hour day-of-month month day-of-week, optionally seconds first)');
