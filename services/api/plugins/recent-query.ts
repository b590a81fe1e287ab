// `?limit=` of the run histories (connector runs, repair scans): newest first, 20 unless asked.
import { z } from 'zod';

export const recentRunsQuery = z.object({ limit: z.coerce.number().int('必须是整数').min(1, '至少为 1').max(200, '最多 200').default(20) });
