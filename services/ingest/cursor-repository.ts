import { and, eq, sql } from 'drizzle-orm';
import type { Cursor } from '../../connectors/contract.ts';
import { connectorCursors } from '../../schemas/db/connectors.ts';
import type { Db } from '../db/database.ts';

export class CursorRepository {
  private readonly db: Db;
  constructor(db: Db) {
    this.db = db;
  }

  async get(connector: string, stream: string): Promise<Cursor | null> {
    const [row] = await this.db
      .select({ cursor: connectorCursors.cursor })
      .from(connectorCursors)
      .where(and(eq(connectorCursors.connector, connector), eq(connectorCursors.stream, stream)));
    return row?.cursor ?? null;
  }

  async set(connector: string, stream: string, cursor: Cursor): Promise<void> {
    await this.db
      .insert(connectorCursors)
      .values({ connector, stream, cursor: { ...cursor } })
      .onConflictDoUpdate({ target: [connectorCursors.connector, connectorCursors.stream], set: { cursor: { ...cursor }, updatedAt: sql`now()` } });
  }

  async reset(connector: string, stream: string): Promise<void> {
    await this.db.delete(connectorCursors).where(and(eq(connectorCursors.connector, connector), eq(connectorCursors.stream, stream)));
  }
}
