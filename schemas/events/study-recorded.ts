import { z } from 'zod';
import { envelope } from './envelope.ts';

export const studyRecordedPayload = z.object({
  /** The learner as the platform knows them (xAPI actor account). */
  learner: z.object({ account: z.string().min(1), name: z.string().optional() }),
  course: z.object({ id: z.string().min(1), title: z.string().optional() }),
  verb: z.string().min(1),
  minutes: z.number().nonnegative(),
  completed: z.boolean().optional(),
  score: z.number().optional(),
});

export const studyRecorded = envelope('study.recorded', 1, studyRecordedPayload);
export type StudyRecorded = z.infer<typeof studyRecorded>;
