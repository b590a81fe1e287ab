// Measures the streaming reconciler on a seeded population, end to end through the real bus and
// PostgreSQL: `node services/reconciler/stream/measure.ts --persons N --seed S [--sample N]`.
// Needs KAFKA_BROKERS and DATABASE_URL (a role that may create databases): it works in a database
// and under a topic prefix of its own, drops the database afterwards, and prints streaming quality
// next to the core's offline figure on the same records, and throughput.
import '../../runtime/quiet-kafkajs-warning.ts';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { pino } from 'pino';
import { createBus } from '../../bus/create-bus.ts';
import { openPostgres } from '../../db/database.ts';
import { ALL_TOPICS } from '../../../schemas/topics.ts';
import { pairwiseQuality } from '../evaluate.ts';
import { matchBatch } from '../pipeline.ts';
import { drainReconciler, MEMBER_TOPIC } from './consumer.ts';
import { messagesOf, populationEvents } from './population-events.ts';
import { lineage, qualityOf } from './read-model.ts';
import { recordKey } from './record-key.ts';

const { values } = parseArgs({ options: { persons: { type: 'string', default: '2000' }, seed: { type: 'string', default: '1' }, sample: { type: 'string' } } });
const brokers = process.env.KAFKA_BROKERS?.split(',');
const url = process.env.DATABASE_URL;
if (!brokers || !url) throw new Error('measure: set KAFKA_BROKERS and DATABASE_URL');
const logger = pino({ level: 'warn' });
const name = `yibiao_measure_${Date.now().toString(36)}`;
const admin = new pg.Client({ connectionString: url });
await admin.connect();
await admin.query(`create database "${name}"`);
const u = new URL(url);
u.pathname = `/${name}`;
const database = openPostgres(u.toString());
const bus = createBus({ kafkaBrokers: brokers, db: database.db, logger, topicPrefix: `${name}.` });
try {
  await database.migrate();
  await bus.ensureTopics(ALL_TOPICS);
  const fx = populationEvents(Number(values.persons), values.seed);
  await bus.publish(MEMBER_TOPIC, messagesOf(fx.events));
  const t0 = performance.now();
  const { stats, model } = await drainReconciler({ db: database.db, bus, logger, groupId: 'reconciler', ...(values.sample ? { sampleSize: Number(values.sample) } : {}) });
  const secs = (performance.now() - t0) / 1000;
  const q = qualityOf(await lineage(database.db), fx.truth);
  const t1 = performance.now();
  const offline = matchBatch(fx.events.map((e) => ({ ref: recordKey(e.source), payload: e.payload })));
  const byRef = new Map(fx.truth.map((t) => [`${t.system}:${t.id}`, t.personId]));
  const oq = pairwiseQuality(offline.clustering.clusterOf, fx.events.map((e) => byRef.get(`${e.source.system}:${e.source.recordId}`) ?? null));
  const f = (x: number) => x.toFixed(5);
  console.log(`persons ${values.persons} · seed ${values.seed} · events ${fx.events.length} · model ${model?.version ?? '-'}`);
  console.log(`streaming: precision ${f(q.precision)} · recall ${f(q.recall)} · F1 ${f(q.f1)} · masters ${q.clusters} (persons ${q.persons}, exact ${q.exactClusters}) · merges ${stats.merges} · refused merges ${stats.refusedMerges}`);
  console.log(`offline:   precision ${f(oq.precision)} · recall ${f(oq.recall)} · F1 ${f(oq.f1)} · clusters ${oq.clusters} (${((performance.now() - t1) / 1000).toFixed(1)} s)`);
  console.log(`drain: ${secs.toFixed(1)} s including model estimation · ${(stats.handled / secs).toFixed(0)} events/s · peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`);
} finally {
  await bus.close();
  await database.close();
  await admin.query(`drop database if exists "${name}" with (force)`);
  await admin.end();
}
