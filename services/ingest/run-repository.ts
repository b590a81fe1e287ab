import { randomUUID } from 'node:crypto';
import { desc, eq, sql } from 'drizzle-orm';
import { connectorRuns } from '../../schemas/db/connectors.ts';
import type { Db } from '../db/database.ts';

export type RunRow = typeof connectorRuns.$inferSelect;

export interface RunCounts {
  recordsRead: number;
  eventsEmitted: number;
  deadLettered: number;
}

export class RunRepository {
  private readonly db: Db;
  constructor(db: Db) {
    this.db = db;
  }

  async start(run: { connector: string; stream: string; mode: 'sync' | 'import'; source?: string; triggeredBy?: string }): Promise<string> {
    const id = randomUUID();
    await this.db.insert(connectorRuns).values({ id, ...run, status: 'running' });
    return id;
  }

  /** Counts are written as the run goes, so a killed run still shows how far it got. */
  async progress(id: string, counts: RunCounts): Promise<void> {
    await this.db.update(connectorRuns).set(counts).where(eq(connectorRuns.id, id));
  }

  async finish(id: string, counts: RunCounts, error?: string): Promise<void> {
    await this.db
      .update(connectorRuns)
      .set({ ...counts, status: error === undefined ? 'succeeded' : 'failed', error: error ?? null, finishedAt: sql`now()` })
      .where(eq(connectorRuns.id, id));
  }

  async recent(connector: string, limit = 20): Promise<RunRow[]> {
    return this.db.select().from(connectorRuns).where(eq(connectorRuns.connector, connector)).orderBy(desc(connectorRuns.startedAt)).limit(limit);
  }

  async get(id: string): Promise<RunRow | undefined> {
    const [row] = await this.db.select().from(connectorRuns).where(eq(connectorRuns.id, id));
    return row;
  }
}
