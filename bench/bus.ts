// Produce+consume throughput of both EventBus adapters next to raw kafkajs, in one run on the
// same machine, so the ratio says what the port and its guarantees cost.
import { randomBytes } from 'node:crypto';
import { cpus, totalmem } from 'node:os';
import { parseArgs } from 'node:util';
import { Kafka, logLevel } from 'kafkajs';
import { pino } from 'pino';
import { KafkaBus } from '../services/bus/kafka/kafka-bus.ts';
import { LogBus } from '../services/bus/log/log-bus.ts';
import type { EventBus } from '../services/bus/port.ts';
import { openPglite, openPostgres, type Database } from '../services/db/database.ts';
import { benchBackends } from './backends.ts';
import { writeResults } from './results.ts';

interface Figure {
  name: string;
  messages: number;
  produceMs: number;
  consumeMs: number;
  produceRate: number;
  consumeRate: number;
  /** messages / (produce + consume time) */
  rate: number;
}

const logger = pino({ level: 'error' });
const BATCH = 1_000;

function payloads(n: number, size: number): { key: string; value: Buffer }[] {
  const body = randomBytes(Math.ceil(size / 2)).toString('hex').slice(0, size);
  return Array.from({ length: n }, (_, i) => ({ key: `k${i % 997}`, value: Buffer.from(`{"i":${i},"pad":"${body}"}`) }));
}

function figure(name: string, messages: number, produceMs: number, consumeMs: number): Figure {
  return { name, messages, produceMs, consumeMs, produceRate: (messages / produceMs) * 1000, consumeRate: (messages / consumeMs) * 1000, rate: (messages / (produceMs + consumeMs)) * 1000 };
}

async function rawKafkajs(brokers: string[], msgs: { key: string; value: Buffer }[]): Promise<Figure> {
  const kafka = new Kafka({ clientId: 'bench-raw', brokers, logLevel: logLevel.NOTHING });
  const topic = `bench-raw-${randomBytes(4).toString('hex')}`;
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: 3 }], waitForLeaders: true });
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 5 });
  await producer.connect();
  let t = performance.now();
  for (let i = 0; i < msgs.length; i += BATCH) await producer.send({ topic, acks: -1, messages: msgs.slice(i, i + BATCH) });
  const produceMs = performance.now() - t;
  const consumer = kafka.consumer({ groupId: `${topic}-g` });
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  let seen = 0;
  t = performance.now();
  await new Promise<void>((resolve) => {
    void consumer.run({
      eachBatch: async ({ batch }) => {
        seen += batch.messages.length;
        if (seen >= msgs.length) resolve();
        await Promise.resolve();
      },
    });
  });
  const consumeMs = performance.now() - t;
  await Promise.all([consumer.disconnect(), producer.disconnect()]);
  await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
  await admin.disconnect();
  return figure('raw kafkajs', msgs.length, produceMs, consumeMs);
}

async function throughBus(name: string, bus: EventBus, msgs: { key: string; value: Buffer }[]): Promise<Figure> {
  const topic = `bench-${randomBytes(4).toString('hex')}`;
  await bus.ensureTopics([{ name: topic, partitions: 3 }, { name: `${topic}.dlq`, partitions: 1 }]);
  let t = performance.now();
  for (let i = 0; i < msgs.length; i += BATCH) await bus.publish(topic, msgs.slice(i, i + BATCH));
  const produceMs = performance.now() - t;
  let seen = 0;
  t = performance.now();
  let done: () => void = () => undefined;
  const finished = new Promise<void>((r) => (done = r));
  const sub = await bus.subscribe({
    groupId: `${topic}-g`,
    topics: [topic],
    fromBeginning: true,
    handler: async () => {
      if (++seen >= msgs.length) done();
      await Promise.resolve();
    },
  });
  await finished;
  const consumeMs = performance.now() - t;
  await sub.close();
  await bus.close();
  return figure(name, msgs.length, produceMs, consumeMs);
}

export async function run(argv: string[]): Promise<void> {
  const { values } = parseArgs({ args: argv, options: { messages: { type: 'string', default: '50000' }, size: { type: 'string', default: '256' } } });
  const n = Number(values.messages);
  const size = Number(values.size);
  if (!Number.isInteger(n) || n <= 0 || !Number.isInteger(size) || size <= 0) throw new Error('--messages and --size must be positive integers');
  const backends = await benchBackends();
  const msgs = payloads(n, size);
  const figures: Figure[] = [];
  const step = async (label: string, f: () => Promise<Figure>) => {
    process.stderr.write(`bench bus: ${label} (${n} messages of ~${size} bytes) …\n`);
    figures.push(await f());
  };
  try {
    // Warm the JIT, the broker and the connection paths so whichever runs first is not penalised.
    process.stderr.write('bench bus: warm-up …\n');
    await rawKafkajs(backends.brokers, msgs.slice(0, Math.min(n, 5_000)));
    await throughBus('warm-up', new KafkaBus({ brokers: backends.brokers, logger }), msgs.slice(0, Math.min(n, 5_000)));
    await step('raw kafkajs', () => rawKafkajs(backends.brokers, msgs));
    await step('KafkaBus', () => throughBus('KafkaBus (port)', new KafkaBus({ brokers: backends.brokers, logger }), msgs));
    const pgDb = await backends.freshDatabase();
    let database: Database = openPostgres(pgDb.url);
    await database.migrate();
    await step('LogBus on PostgreSQL', () => throughBus('LogBus on PostgreSQL', new LogBus({ db: database.db, logger, pollMs: 20 }), msgs));
    await database.close();
    await pgDb.drop();
    database = await openPglite(undefined);
    await database.migrate();
    await step('LogBus on PGlite', () => throughBus('LogBus on PGlite (embedded)', new LogBus({ db: database.db, logger, pollMs: 20 }), msgs));
    await database.close();
  } finally {
    await backends.stop();
  }
  const base = figures[0]!.rate;
  const rows = figures.map((f) => `| ${f.name} | ${f.produceRate.toFixed(0)} | ${f.consumeRate.toFixed(0)} | ${f.rate.toFixed(0)} | ${(f.rate / base).toFixed(2)} |`);
  const md = [
    `# bus benchmark`,
    '',
    `\`npm run bench -- bus --messages ${n} --size ${size}\` on ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.versions.node}, ${new Date().toISOString()}`,
    '',
    '| adapter | produce msg/s | consume msg/s | produce+consume msg/s | ratio to raw kafkajs |',
    '|---|---:|---:|---:|---:|',
    ...rows,
    '',
  ].join('\n');
  console.log(md);
  const files = writeResults('bus', { messages: n, size, node: process.versions.node, cores: cpus().length, figures }, md);
  console.log(`written: ${files.join(', ')}`);
}
