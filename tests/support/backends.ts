// Chooses the real Kafka and PostgreSQL the tests run against, in this order:
// KAFKA_BROKERS / DATABASE_URL → testcontainers when a Docker engine answers → the project's own
// local broker and database (scripts/infra). If none can be had, the run fails saying what to
// start; tests never pass by skipping.
import { ensureLocalKafka, stopLocalKafka } from '../../scripts/infra/local-kafka.ts';
import { ensureLocalPostgres } from '../../scripts/infra/local-postgres.ts';
import { dockerEngineAnswers } from './docker.ts';

export interface Backends {
  kafkaBrokers: string;
  /** A URL of a database the tests may create their own databases from. */
  postgresAdminUrl: string;
  describe: string;
  stop(): Promise<void>;
}

const HOW_TO_FIX = 'Set KAFKA_BROKERS and DATABASE_URL, start a Docker engine, or run `npm run infra:up` (needs Java 17, Maven and a PostgreSQL server).';

export async function resolveBackends(env = process.env): Promise<Backends> {
  const stops: (() => Promise<void>)[] = [];
  const seen: string[] = [];
  let kafkaBrokers = env.KAFKA_BROKERS?.trim() || undefined;
  let postgresAdminUrl = env.DATABASE_URL?.trim() || undefined;
  if (kafkaBrokers) seen.push(`kafka from KAFKA_BROKERS (${kafkaBrokers})`);
  if (postgresAdminUrl) seen.push('postgres from DATABASE_URL');

  if ((!kafkaBrokers || !postgresAdminUrl) && (await dockerEngineAnswers())) {
    if (!kafkaBrokers) {
      const { KafkaContainer } = await import('@testcontainers/kafka');
      const kafka = await new KafkaContainer('apache/kafka:3.9.1').withKraft().start();
      kafkaBrokers = `${kafka.getHost()}:${kafka.getMappedPort(9093)}`;
      stops.push(async () => void (await kafka.stop()));
      seen.push(`kafka from testcontainers (${kafkaBrokers})`);
    }
    if (!postgresAdminUrl) {
      const { PostgreSqlContainer } = await import('@testcontainers/postgresql');
      const pgc = await new PostgreSqlContainer('postgres:16-alpine').start();
      postgresAdminUrl = pgc.getConnectionUri();
      stops.push(async () => void (await pgc.stop()));
      seen.push('postgres from testcontainers');
    }
  }

  try {
    if (!postgresAdminUrl) {
      postgresAdminUrl = (await ensureLocalPostgres()).adminUrl;
      seen.push('postgres from the local server');
    }
    if (!kafkaBrokers) {
      const local = await ensureLocalKafka();
      kafkaBrokers = local.brokers;
      if (local.startedNow) stops.push(async () => void (await stopLocalKafka()));
      seen.push(`kafka started locally (${kafkaBrokers})`);
    }
  } catch (err) {
    await Promise.allSettled(stops.map((s) => s()));
    throw new Error(`No Kafka/PostgreSQL for the tests: ${(err as Error).message}\n${HOW_TO_FIX}`, { cause: err });
  }

  return {
    kafkaBrokers,
    postgresAdminUrl,
    describe: seen.join('; '),
    stop: async () => {
      await Promise.allSettled(stops.map((s) => s()));
    },
  };
}
