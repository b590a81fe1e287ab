// `npm run infra:down [-- --clean]`: stops the local Kafka broker that infra:up started. The
// PostgreSQL cluster is left alone: it is usually the machine's own, shared with other work.
import { stopLocalKafka } from './local-kafka.ts';

const clean = process.argv.slice(2).includes('--clean');
try {
  const wasRunning = await stopLocalKafka({ clean });
  console.log(`${wasRunning ? 'Kafka stopped' : 'Kafka was not running'}${clean ? '; its data was deleted' : ''}.`);
} catch (err) {
  console.error(`infra:down failed: ${process.env.LOG_LEVEL === 'debug' ? (err as Error).stack : (err as Error).message}`);
  process.exitCode = 1;
}
