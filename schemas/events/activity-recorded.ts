// 三会一课 and 主题党日 records (reporting-items: 会议类型 1–5).
import { z } from 'zod';
import { envelope } from './envelope.ts';

export const MEETING_KINDS = ['党员大会', '支委会', '党小组会', '党课', '主题党日'] as const;

export const activityRecordedPayload = z.object({
  kind: z.enum(MEETING_KINDS),
  topic: z.string().trim().min(1).max(400),
  heldOn: z.iso.date(),
  place: z.string().max(200).optional(),
  host: z.string().max(100).optional(),
  recorder: z.string().max(100).optional(),
  expected: z.number().int().nonnegative().optional(),
  present: z.number().int().nonnegative().optional(),
  attendees: z.array(z.string().min(1)).default([]),
  absentees: z.array(z.object({ name: z.string().min(1), reason: z.string().optional() })).default([]),
  content: z.string().max(20_000).optional(),
  photos: z.array(z.url()).default([]),
});

export const activityRecorded = envelope('activity.recorded', 1, activityRecordedPayload);
export type ActivityRecorded = z.infer<typeof activityRecorded>;
