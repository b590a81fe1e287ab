// The composition root: opens the database and the bus the configuration asks for. Engines get
// what they need from here through their options; nothing imports the hub from below.
import { resolve } from 'node:path';
import type { Logger } from 'pino';
import type { Config } from '../../schemas/config.ts';
import { ALL_TOPICS } from '../../schemas/topics.ts';
import { createBus } from '../bus/create-bus.ts';
import { LogRepository } from '../bus/log/log-repository.ts';
import type { EventBus } from '../bus/port.ts';
import { openPglite, openPostgres, type Database } from '../db/database.ts';
import { createMetrics, type HubMetrics } from './metrics.ts';

export interface Hub {
  readonly config: Config;
  readonly logger: Logger;
  readonly database: Database;
  readonly bus: EventBus;
  readonly metrics: HubMetrics;
  /** Human-readable lines saying what runs where, logged at start-up. */
  describe(): string[];
  close(): Promise<void>;
}

export async function openHub(config: Config, logger: Logger, options: { ensureTopics?: boolean } = {}): Promise<Hub> {
  const database = config.DATABASE_URL ? openPostgres(config.DATABASE_URL) : await openPglite(resolve(config.YIBIAO_DATA_DIR, 'pglite'));
  const metrics = createMetrics();
  try {
    await database.migrate();
    const bus = createBus({
      kafkaBrokers: config.KAFKA_BROKERS,
      kafkaClientId: config.KAFKA_CLIENT_ID,
      db: database.db,
      logger,
      pollMs: config.YIBIAO_LOG_POLL_MS,
      topicPrefix: config.YIBIAO_TOPIC_PREFIX,
      onDeadLetter: (m, reason) => {
        metrics.deadLetters.inc({ topic: m.topic });
        logger.warn({ topic: m.topic, partition: m.partition, offset: m.offset, reason }, 'message dead-lettered');
      },
    });
    if (options.ensureTopics ?? true) await bus.ensureTopics(ALL_TOPICS);
    // Kafka enforces retention itself; the embedded log is trimmed here, hourly.
    const log = bus.kind === 'log' ? new LogRepository(database.db) : null;
    const retention = log
      ? setInterval(() => {
          log.applyRetention().then(
            (n) => n > 0 && logger.info({ removed: n }, `embedded log: removed ${n} messages past their topic's retention`),
            (err: unknown) => logger.warn({ err }, 'embedded log retention failed'),
          );
        }, 3_600_000).unref()
      : undefined;
    return {
      config,
      logger,
      database,
      bus,
      metrics,
      describe: () => [
        `database: ${database.kind} (${database.location})`,
        bus.kind === 'kafka' ? `event bus: Apache Kafka at ${config.KAFKA_BROKERS?.join(',')}` : `event bus: embedded log in the ${database.kind} database`,
      ],
      close: async () => {
        clearInterval(retention);
        await bus.close();
        await database.close();
      },
    };
  } catch (err) {
    await database.close().catch(() => undefined);
    throw err;
  }
}
