// Starts the hub: configuration, database, bus, API. Everything else is a plugin or an engine;
// this file owns only the process: listening, the start-up log and graceful shutdown.
import type { Logger } from 'pino';
import type { Config } from '../schemas/config.ts';
import { buildApp, type App } from './api/app.ts';
import { ONE_TIME_PERSON } from './api/bearer-tokens.ts';
import { openHub, type Hub } from './hub/hub.ts';
import { openIngest, type Ingest } from './ingest/ingest.ts';
import { startHubReconciler, type HubReconciler } from './reconciler/in-hub.ts';
import { startHubOrgs } from './orgs/in-hub.ts';

export interface Running {
  readonly hub: Hub;
  readonly ingest: Ingest;
  readonly app: App;
  readonly url: string;
  stop(): Promise<void>;
}

export async function startServer(config: Config, logger: Logger): Promise<Running> {
  const started = Date.now();
  const hub = await openHub(config, logger);
  let app: App;
  let ingest: Ingest;
  try {
    ingest = await openIngest(hub);
  } catch (err) {
    await hub.close();
    throw err;
  }
  // The reconciler starts consuming once the first syncs are on the bus; its repair scan is
  // served by the API, so it exists before the API does.
  let firstSyncs: (settled: Promise<unknown>) => void = () => undefined;
  const reconciler: HubReconciler | null = config.YIBIAO_RECONCILER === 'on' ? startHubReconciler(hub, new Promise((r) => (firstSyncs = r))) : null;
  try {
    app = await buildApp(hub, ingest.scheduler, reconciler?.repair);
    await app.listen({ port: config.PORT, host: config.HOST });
  } catch (err) {
    const closing = reconciler?.close();
    firstSyncs(Promise.resolve());
    await closing;
    await ingest.close();
    await hub.close();
    throw err;
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.PORT;
  const url = `http://${config.HOST.includes(':') ? `[${config.HOST}]` : config.HOST}:${port}`;
  for (const line of [...hub.describe(), ...ingest.built.describe]) logger.info(line);
  logger.info({ url, startupMs: Date.now() - started }, `API listening on ${url} (health: ${url}/healthz, readiness: ${url}/readyz, metrics: ${url}/metrics)`);
  const token = app.apiTokens.oneTime;
  if (token) {
    // Shown once, where the person who started the hub looks; it dies with the process.
    logger.warn({ apiToken: token, person: ONE_TIME_PERSON }, `no YIBIAO_API_TOKENS configured: this run's API token is ${token} (acts as ${ONE_TIME_PERSON}; a new one at every start). Send "Authorization: Bearer ${token}"; see README.md § Configuration to name your stewards`);
  }
  ingest.scheduler.start();
  // A first sync right away, so a fresh hub has data before the first scheduled tick.
  const initial = ingest.scheduler.names().map((name) => ingest.scheduler.trigger(name).catch((err: unknown) => logger.error({ err, connector: name }, 'initial sync failed')));
  firstSyncs(Promise.allSettled(initial));
  const orgs = startHubOrgs(hub);
  let stopping: Promise<void> | undefined;
  return {
    hub,
    ingest,
    app,
    url,
    stop: () =>
      (stopping ??= (async () => {
        await app.close();
        await ingest.close();
        await reconciler?.close();
        await orgs.close();
        await hub.close();
      })()),
  };
}

/** Stops on SIGINT/SIGTERM, giving in-flight work `timeoutMs` before exiting anyway. */
export function stopOnSignals(running: Running, logger: Logger, timeoutMs: number): void {
  const onSignal = (signal: NodeJS.Signals) => {
    logger.info({ signal }, 'shutting down');
    const force = setTimeout(() => {
      logger.error({ timeoutMs }, 'shutdown took too long; exiting');
      process.exit(1);
    }, timeoutMs);
    force.unref();
    running.stop().then(
      () => {
        logger.info('stopped');
        process.exit(0);
      },
      (err: unknown) => {
        logger.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
}
