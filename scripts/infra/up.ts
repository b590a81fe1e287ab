// `npm run infra:up`: real Kafka + PostgreSQL on this machine, without Docker, for the
// distributed mode and the integration tests. Safe to rerun: whatever already runs is reused.
import '../../services/runtime/quiet-kafkajs-warning.ts';
import { relative } from 'node:path';
import { writeInfraEnv } from './env-file.ts';
import { ensureLocalKafka } from './local-kafka.ts';
import { ensureLocalPostgres } from './local-postgres.ts';
import { repoRoot } from './repo-root.ts';


try {
  const started = Date.now();
  const { adminUrl } = await ensureLocalPostgres();
  console.log(`PostgreSQL: ${adminUrl}`);
  const kafka = await ensureLocalKafka({ log: (line) => console.log(`Kafka: ${line}`) });
  const envFile = relative(repoRoot, writeInfraEnv({ KAFKA_BROKERS: kafka.brokers, DATABASE_URL: adminUrl }));
  console.log(`
Local infrastructure is up (${((Date.now() - started) / 1000).toFixed(1)} s):
  KAFKA_BROKERS=${kafka.brokers}
  DATABASE_URL=${adminUrl}

Saved in ${envFile}. To use them in a shell (distributed mode, integration tests):
  set -a; . ${envFile}; set +a
Kafka keeps running in the background; stop it with \`npm run infra:down\` (add \`-- --clean\` to delete its data).`);
} catch (err) {
  // One readable paragraph: the causes here are set-up problems, not bugs, so no stack trace.
  console.error(`infra:up failed: ${process.env.LOG_LEVEL === 'debug' ? (err as Error).stack : (err as Error).message}`);
  process.exitCode = 1;
}
