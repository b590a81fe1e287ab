// Where each source system lives and how often to sync it, from the environment. A connector
// with a URL is wired to that system; without one, demo mode (the default when no system is
// configured) serves it from the built-in simulator over a seeded demo population.
import { z } from 'zod';
import { cronExpression as cronExpr } from './cron-expression.ts';

const url = z.string().trim().refine((s) => URL.canParse(s) && /^https?:/.test(s), 'must be an http(s) URL');
const secret = z.string().min(1);

export const connectorSettingsSchema = z.object({
  YIBIAO_DEMO: z.enum(['auto', 'on', 'off']).default('auto'),
  YIBIAO_DEMO_PERSONS: z.coerce.number().int().min(10).max(2_000_000).default(2_000),
  YIBIAO_DEMO_SEED: z.string().min(1).default('demo'),
  /** Which deployment of each system this hub reads (part of every source record's identity). */
  YIBIAO_SOURCE_INSTANCE: z.string().trim().regex(/^[A-Za-z0-9._-]{1,40}$/, 'letters, digits, . _ - (1–40)').default('main'),
  YIBIAO_WECHAT_URL: url.optional(),
  YIBIAO_WECHAT_APPID: z.string().min(1).optional(),
  YIBIAO_WECHAT_SECRET: secret.optional(),
  YIBIAO_WECHAT_CRON: cronExpr.default('*/10 * * * *'),
  YIBIAO_MEMBER_SYSTEM_URL: url.optional(),
  YIBIAO_MEMBER_SYSTEM_APP_KEY: z.string().min(1).optional(),
  YIBIAO_MEMBER_SYSTEM_APP_SECRET: secret.optional(),
  YIBIAO_MEMBER_SYSTEM_CRON: cronExpr.default('*/10 * * * *'),
  YIBIAO_XAPI_URL: url.optional(),
  YIBIAO_XAPI_KEY: z.string().min(1).optional(),
  YIBIAO_XAPI_SECRET: secret.optional(),
  YIBIAO_XAPI_CRON: cronExpr.default('*/10 * * * *'),
  YIBIAO_OA_URL: url.optional(),
  YIBIAO_OA_APPID: z.string().min(1).optional(),
  YIBIAO_OA_CRON: cronExpr.default('*/10 * * * *'),
});

export type ConnectorSettings = z.infer<typeof connectorSettingsSchema>;
