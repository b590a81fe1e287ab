// The API as a fastify plugin tree. server.ts only starts it; tests build it without listen().
import Fastify, { type FastifyBaseLogger } from 'fastify';
import type { Hub } from '../hub/hub.ts';
import type { IngestScheduler } from '../ingest/scheduler.ts';
import { bearerTokens } from './bearer-tokens.ts';
import { authPlugin } from './plugins/auth.ts';
import { connectorsPlugin } from './plugins/connectors.ts';
import { errorsPlugin } from './plugins/errors.ts';
import { healthPlugin } from './plugins/health.ts';
import { hubPlugin } from './plugins/hub.ts';
import { metricsPlugin } from './plugins/metrics.ts';
import { orgsPlugin } from './plugins/orgs.ts';
import { reconcilerPlugin } from './plugins/reconciler.ts';
import { repairScanPlugin } from './plugins/repair-scan.ts';
import type { RepairScan } from '../reconciler/repair-schedule.ts';

export type App = Awaited<ReturnType<typeof buildApp>>;

export async function buildApp(hub: Hub, ingest?: IngestScheduler, repair?: RepairScan) {
  const logger: FastifyBaseLogger = hub.logger.child({ component: 'api' });
  const app = Fastify({ loggerInstance: logger, requestTimeout: 30_000, return503OnClosing: true });
  await app.register(hubPlugin, { hub });
  await app.register(errorsPlugin);
  await app.register(authPlugin, { tokens: bearerTokens(hub.config, { logger }) });
  await app.register(healthPlugin);
  await app.register(metricsPlugin);
  await app.register(orgsPlugin);
  await app.register(reconcilerPlugin);
  if (ingest) await app.register(connectorsPlugin, { ingest });
  if (repair) await app.register(repairScanPlugin, { repair });
  return app;
}
