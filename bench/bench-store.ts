// A benchmark's own hub state on real Kafka + PostgreSQL: a database created for it (migrated)
// and a bus under a topic prefix of the same name (topics created), dropped again afterwards
// (the database is kept when YIBIAO_BENCH_KEEP=1).
// Needs KAFKA_BROKERS and DATABASE_URL (a role that may create databases).
import pg from 'pg';
import type { Logger } from 'pino';
import { ALL_TOPICS } from '../schemas/topics.ts';
import { createBus } from '../services/bus/create-bus.ts';
import type { EventBus } from '../services/bus/port.ts';
import { openPostgres, type Database } from '../services/db/database.ts';

export interface BenchStore {
  readonly name: string;
  /** The database's URL and the topic prefix, for a child process (`DATABASE_URL`, `YIBIAO_TOPIC_PREFIX`). */
  readonly url: string;
  readonly prefix: string;
  readonly brokers: string[];
  readonly database: Database;
  readonly bus: EventBus;
}

export interface BenchStores {
  open(label?: string): Promise<BenchStore>;
  /** Closes and drops every store opened. */
  close(): Promise<void>;
}

export async function benchStores(bench: string, logger: Logger): Promise<BenchStores> {
  const brokers = process.env.KAFKA_BROKERS?.split(',');
  const url = process.env.DATABASE_URL;
  if (!brokers || !url) throw new Error(`bench ${bench}: set KAFKA_BROKERS and DATABASE_URL (npm run infra:up; set -a; . .infra/env; set +a)`);
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  const opened: BenchStore[] = [];
  return {
    async open(label) {
      const name = `yibiao_bench_${label ? `${label}_` : ''}${Date.now().toString(36)}`;
      await admin.query(`create database "${name}"`);
      const u = new URL(url);
      u.pathname = `/${name}`;
      const database = openPostgres(u.toString());
      const prefix = `${name}.`;
      const store = { name, url: u.toString(), prefix, brokers, database, bus: createBus({ kafkaBrokers: brokers, db: database.db, logger, topicPrefix: prefix }) };
      opened.push(store);
      await database.migrate();
      await store.bus.ensureTopics(ALL_TOPICS);
      return store;
    },
    async close() {
      for (const s of opened) {
        await s.bus.close();
        await s.database.close();
        // YIBIAO_BENCH_KEEP=1 leaves the database for a look at its plans and sizes afterwards.
        if (process.env.YIBIAO_BENCH_KEEP === '1') console.log(`kept database ${s.name} (YIBIAO_BENCH_KEEP=1; drop it with: psql -c 'drop database "${s.name}"')`);
        else await admin.query(`drop database if exists "${s.name}" with (force)`);
      }
      await admin.end();
    },
  };
}
