// A consumer that dies hard (SIGKILL, no commit, no leave) after handling a number of messages.
// The bus contract suite runs it as a child process to prove a crash loses nothing.
// Env: BUS (kafka|log), KAFKA_BROKERS or DATABASE_URL, TOPIC, GROUP, CRASH_AFTER, OUT (file).
import '../../services/runtime/quiet-kafkajs-warning.ts';
import { appendFileSync } from 'node:fs';
import { pino } from 'pino';
import { KafkaBus } from '../../services/bus/kafka/kafka-bus.ts';
import { LogBus } from '../../services/bus/log/log-bus.ts';
import type { EventBus } from '../../services/bus/port.ts';
import { openPostgres } from '../../services/db/database.ts';

function need(name: string): string {
  const v = process.env[name];
  if (!v) throw new Error(`crash-consumer: ${name} is not set`);
  return v;
}

const logger = pino({ level: 'warn' });
const bus: EventBus =
  need('BUS') === 'kafka'
    ? new KafkaBus({ brokers: need('KAFKA_BROKERS').split(','), logger })
    : new LogBus({ db: openPostgres(need('DATABASE_URL')).db, logger, pollMs: 20 });
const crashAfter = Number(need('CRASH_AFTER'));
const out = need('OUT');
let handled = 0;

await bus.subscribe({
  groupId: need('GROUP'),
  topics: [need('TOPIC')],
  fromBeginning: true,
  sessionTimeoutMs: 6_000,
  handler: async (m) => {
    // The side effect is recorded before the crash check: it happened even if the offset never commits.
    appendFileSync(out, `${m.value.toString('utf8')}\n`);
    if (++handled >= crashAfter) process.kill(process.pid, 'SIGKILL');
    await Promise.resolve();
  },
});
