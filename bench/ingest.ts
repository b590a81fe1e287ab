// `npm run bench -- ingest`: 1M WeChat followers and 1M xAPI statements synced from the
// simulators onto Kafka, next to the simulators' raw serving rate and the connectors' read rate
// without the bus, all in one run.
import { cpus, loadavg, totalmem } from 'node:os';
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import type { Connector } from '../connectors/contract.ts';
import { createWechatConnector, SIM_APPID, SIM_BINDINGS_KEY, SIM_SECRET } from '../connectors/wechat/index.ts';
import { createXapiConnector } from '../connectors/xapi/index.ts';
import { ALL_TOPICS } from '../schemas/topics.ts';
import { KafkaBus } from '../services/bus/kafka/kafka-bus.ts';
import { namespaced } from '../services/bus/namespaced.ts';
import { openPostgres } from '../services/db/database.ts';
import { CursorRepository } from '../services/ingest/cursor-repository.ts';
import { RunRepository } from '../services/ingest/run-repository.ts';
import { syncStream } from '../services/ingest/run-connector.ts';
import { benchBackends } from './backends.ts';
import { startSimulatorProcess } from './simulator-process.ts';
import { rawWechat, rawXapi } from './ingest-raw.ts';
import { writeResults } from './results.ts';

interface Row {
  connector: string;
  what: string;
  records: number;
  seconds: number;
  rate: number;
}

const logger = pino({ level: 'error' });

async function timed(connector: string, what: string, f: () => Promise<number>): Promise<Row> {
  process.stderr.write(`bench ingest: ${connector} — ${what} …\n`);
  const t = performance.now();
  const records = await f();
  const seconds = (performance.now() - t) / 1000;
  const row = { connector, what, records, seconds, rate: records / seconds };
  process.stderr.write(`  ${records} records in ${seconds.toFixed(1)} s = ${row.rate.toFixed(0)}/s\n`);
  return row;
}

async function readOnly(c: Connector, stream: string): Promise<number> {
  let n = 0;
  for await (const b of c.read(stream, null)) n += b.recordsRead;
  return n;
}

export async function run(argv: string[]): Promise<void> {
  const { values } = parseArgs({ args: argv, options: { followers: { type: 'string', default: '1000000' }, statements: { type: 'string', default: '1000000' }, persons: { type: 'string', default: '100000' }, only: { type: 'string' } } });
  if (values.only !== undefined && !['wechat', 'xapi'].includes(values.only)) throw new Error('--only must be wechat or xapi');
  const runs = (c: string) => values.only === undefined || values.only === c;
  const [followers, statements, persons] = [Number(values.followers), Number(values.statements), Number(values.persons)];
  if (![followers, statements, persons].every((n) => Number.isInteger(n) && n > 0)) throw new Error('--followers, --statements and --persons must be positive integers');
  process.stderr.write(`bench ingest: generating ${persons} members, ${followers} followers, ~${statements} statements in the simulator process …\n`);
  const sims = await startSimulatorProcess({ persons, followers, statements });
  const backends = await benchBackends();
  const db = await backends.freshDatabase();
  const database = openPostgres(db.url);
  await database.migrate();
  const bus = namespaced(new KafkaBus({ brokers: backends.brokers, logger }), `bench-${Date.now().toString(36)}.`);
  await bus.ensureTopics(ALL_TOPICS);
  const deps = { bus, cursors: new CursorRepository(database.db), runs: new RunRepository(database.db), logger };
  const rows: Row[] = [];
  try {
    const { wechat: wurl, xapi: xurl } = sims.urls;
    const wechat = (instance: string) => createWechatConnector({ baseUrl: wurl, appid: SIM_APPID, secret: SIM_SECRET, bindingsKey: SIM_BINDINGS_KEY, instance });
    const xapi = (instance: string) => createXapiConnector({ baseUrl: xurl, key: 'k', secret: 's', instance });
    if (runs('wechat')) {
      rows.push(await timed('wechat', 'simulator raw (HTTP + JSON only)', () => rawWechat(wurl, SIM_APPID, SIM_SECRET)));
      rows.push(await timed('wechat', 'connector read (map + validate, no bus)', () => readOnly(wechat('read'), 'followers')));
      rows.push(await timed('wechat', 'connector sync onto Kafka (+ cursor)', async () => (await syncStream(deps, wechat('sync'), 'followers')).recordsRead));
    }
    if (runs('xapi')) {
      rows.push(await timed('xapi', 'simulator raw (HTTP + JSON only)', () => rawXapi(xurl, 'k', 's')));
      rows.push(await timed('xapi', 'connector read (map + validate, no bus)', () => readOnly(xapi('read'), 'statements')));
      rows.push(await timed('xapi', 'connector sync onto Kafka (+ cursor)', async () => (await syncStream(deps, xapi('sync'), 'statements')).recordsRead));
    }
  } finally {
    await Promise.allSettled([sims.stop(), bus.close()]);
    await database.close();
    await db.drop();
    await backends.stop();
  }
  const rawOf = (c: string) => rows.find((r) => r.connector === c && r.what.startsWith('simulator'))!.rate;
  const md = [
    '# ingest benchmark',
    '',
    `\`npm run bench -- ingest --followers ${followers} --statements ${statements} --persons ${persons}${values.only ? ` --only ${values.only}` : ''}\` on ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.versions.node}, ${new Date().toISOString()}; load average at the end ${loadavg().map((l) => l.toFixed(1)).join(' ')}`,
    '',
    '| connector | what | records | seconds | records/s | ratio to the simulator\'s raw rate |',
    '|---|---|---:|---:|---:|---:|',
    ...rows.map((r) => `| ${r.connector} | ${r.what} | ${r.records} | ${r.seconds.toFixed(1)} | ${r.rate.toFixed(0)} | ${(r.rate / rawOf(r.connector)).toFixed(2)} |`),
    '',
  ].join('\n');
  console.log(md);
  console.log(`written: ${writeResults('ingest', { followers, statements, persons, rows }, md).join(', ')}`);
}
