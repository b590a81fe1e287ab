// Benchmarks run on the same real backends as the tests: KAFKA_BROKERS / DATABASE_URL when set,
// otherwise the project's local broker and the machine's PostgreSQL.
import { randomBytes } from 'node:crypto';
import { ensureLocalKafka, stopLocalKafka } from '../scripts/infra/local-kafka.ts';
import { createDatabase, dropDatabase, ensureLocalPostgres } from '../scripts/infra/local-postgres.ts';

export interface BenchBackends {
  brokers: string[];
  adminUrl: string;
  freshDatabase(): Promise<{ url: string; drop(): Promise<void> }>;
  stop(): Promise<void>;
}

export async function benchBackends(): Promise<BenchBackends> {
  let stopKafka = false;
  let brokers = process.env.KAFKA_BROKERS?.split(',').map((b) => b.trim());
  if (!brokers) {
    const local = await ensureLocalKafka();
    brokers = [local.brokers];
    stopKafka = local.startedNow;
  }
  const adminUrl = process.env.DATABASE_URL ?? (await ensureLocalPostgres()).adminUrl;
  return {
    brokers,
    adminUrl,
    freshDatabase: async () => {
      const name = `yibiao_bench_${randomBytes(4).toString('hex')}`;
      const url = await createDatabase(adminUrl, name);
      return { url, drop: () => dropDatabase(adminUrl, name) };
    },
    stop: async () => {
      if (stopKafka) await stopLocalKafka();
    },
  };
}
