// All SQL of the org registry. Writes are upserts keyed by natural keys (org code, alias, name),
// so handling the same event twice changes nothing.
import { and, asc, eq, inArray, ne, sql } from 'drizzle-orm';
import { orgAliases, orgNamesSeen, orgs, orgSuggestions } from '../../schemas/db/orgs.ts';
import type { OrgObserved } from '../../schemas/events/org-observed.ts';
import type { Db } from '../db/database.ts';
import type { Candidate } from './candidates.ts';
import { aliasKey } from './org-key.ts';
import { RegistrySnapshot, type AliasOrigin } from './registry.ts';

export type SuggestionStatus = 'open' | 'accepted' | 'rejected';

export interface SuggestionRow {
  alias: string;
  name: string;
  systems: string[];
  candidates: Array<{ code: string; name: string; score: number; confident: boolean }>;
  status: SuggestionStatus;
  decidedCode: string | null;
  decidedBy: string | null;
  decidedAt: Date | null;
}

export async function loadSnapshot(db: Db): Promise<RegistrySnapshot> {
  const [o, a, r] = await Promise.all([
    db.select({ code: orgs.code, name: orgs.name, kind: orgs.kind, parentCode: orgs.parentCode }).from(orgs),
    db.select({ alias: orgAliases.alias, code: orgAliases.code, origin: orgAliases.origin }).from(orgAliases),
    db.select({ alias: orgSuggestions.alias }).from(orgSuggestions).where(eq(orgSuggestions.status, 'rejected')),
  ]);
  return new RegistrySnapshot(o, a, r.map((x) => x.alias));
}

/** Stores an org revision and its name as an observed alias; false when this event was already applied. */
export async function upsertObservedOrg(db: Db, e: OrgObserved): Promise<boolean> {
  const code = e.source.recordId;
  return db.transaction(async (tx) => {
    const values = {
      code, name: e.payload.name, kind: e.payload.kind ?? null, parentCode: e.payload.parentCode ?? null,
      category: e.payload.category ?? null, eventId: e.id, observedAt: e.observedAt,
    };
    const changed = await tx
      .insert(orgs)
      .values(values)
      .onConflictDoUpdate({ target: orgs.code, set: { ...values, updatedAt: sql`now()` }, setWhere: ne(orgs.eventId, e.id) })
      .returning({ code: orgs.code });
    if (changed.length === 0) return false;
    await tx.delete(orgAliases).where(and(eq(orgAliases.code, code), eq(orgAliases.origin, 'observed')));
    await tx.insert(orgAliases).values({ alias: aliasKey(e.payload.name), code, origin: 'observed', name: e.payload.name }).onConflictDoNothing();
    return true;
  });
}

/** Remembers a name and the system that used it; true when the name or the system is new. */
export async function recordNameSeen(db: Db, name: string, system: string): Promise<boolean> {
  const hit = await db
    .insert(orgNamesSeen)
    .values({ name, alias: aliasKey(name), systems: [system] })
    .onConflictDoUpdate({
      target: orgNamesSeen.name,
      set: { systems: sql`array(select distinct unnest(${orgNamesSeen.systems} || excluded.systems) order by 1)` },
      setWhere: sql`not (excluded.systems <@ ${orgNamesSeen.systems})`,
    })
    .returning({ name: orgNamesSeen.name });
  return hit.length > 0;
}

export async function namesSeen(db: Db): Promise<Array<{ name: string; alias: string; systems: string[] }>> {
  return db.select({ name: orgNamesSeen.name, alias: orgNamesSeen.alias, systems: orgNamesSeen.systems }).from(orgNamesSeen).orderBy(asc(orgNamesSeen.firstSeenAt), asc(orgNamesSeen.name));
}

/** Opens (or refreshes the candidates of) the suggestion for an alias; decided ones stay as decided. */
export async function upsertOpenSuggestion(db: Db, alias: string, name: string, systems: readonly string[], candidates: readonly Candidate[]): Promise<void> {
  const stored = candidates.map((c) => ({ code: c.code, name: c.name, score: c.score, confident: c.confident }));
  await db
    .insert(orgSuggestions)
    .values({ alias, name, systems: [...systems], candidates: stored })
    .onConflictDoUpdate({
      target: orgSuggestions.alias,
      set: {
        candidates: sql`excluded.candidates`,
        systems: sql`array(select distinct unnest(${orgSuggestions.systems} || excluded.systems) order by 1)`,
        updatedAt: sql`now()`,
      },
      setWhere: sql`${orgSuggestions.status} = 'open' and (${orgSuggestions.candidates} <> excluded.candidates or not (excluded.systems <@ ${orgSuggestions.systems}))`,
    });
}

/** A name that now resolves is no longer a question for a steward. */
export async function closeResolvedSuggestions(db: Db, aliases: readonly string[]): Promise<number> {
  if (aliases.length === 0) return 0;
  const gone = await db.delete(orgSuggestions).where(and(inArray(orgSuggestions.alias, [...aliases]), eq(orgSuggestions.status, 'open'))).returning({ alias: orgSuggestions.alias });
  return gone.length;
}

export async function listSuggestions(db: Db, status: SuggestionStatus | undefined, limit: number): Promise<SuggestionRow[]> {
  const q = db
    .select({
      alias: orgSuggestions.alias, name: orgSuggestions.name, systems: orgSuggestions.systems, candidates: orgSuggestions.candidates,
      status: orgSuggestions.status, decidedCode: orgSuggestions.decidedCode, decidedBy: orgSuggestions.decidedBy, decidedAt: orgSuggestions.decidedAt,
    })
    .from(orgSuggestions);
  return (status ? q.where(eq(orgSuggestions.status, status)) : q).orderBy(asc(orgSuggestions.createdAt), asc(orgSuggestions.alias)).limit(limit);
}

export async function findSuggestion(db: Db, alias: string): Promise<SuggestionRow | undefined> {
  const found = await db.select().from(orgSuggestions).where(eq(orgSuggestions.alias, alias));
  return found[0];
}

export async function listOrgs(db: Db) {
  return db.select({ code: orgs.code, name: orgs.name, kind: orgs.kind, parentCode: orgs.parentCode, category: orgs.category }).from(orgs).orderBy(asc(orgs.code));
}

export async function orgExists(db: Db, code: string): Promise<boolean> {
  return (await db.select({ code: orgs.code }).from(orgs).where(eq(orgs.code, code))).length > 0;
}

/** Aliases of one origin for an org code, e.g. to show a steward what names an org goes by. */
export async function aliasesOf(db: Db, code: string): Promise<Array<{ alias: string; name: string; origin: AliasOrigin }>> {
  return db.select({ alias: orgAliases.alias, name: orgAliases.name, origin: orgAliases.origin }).from(orgAliases).where(eq(orgAliases.code, code)).orderBy(asc(orgAliases.alias));
}

/** Replaces the aliases declared by one file with its current rows. */
export async function replaceDeclaredAliases(db: Db, declaredBy: string, rows: ReadonlyArray<{ alias: string; code: string }>): Promise<number> {
  return db.transaction(async (tx) => {
    await tx.delete(orgAliases).where(and(eq(orgAliases.origin, 'declared'), eq(orgAliases.declaredBy, declaredBy)));
    const values = rows.map((r) => ({ alias: aliasKey(r.alias), code: r.code, origin: 'declared' as const, name: r.alias, declaredBy }));
    for (let i = 0; i < values.length; i += 1000) await tx.insert(orgAliases).values(values.slice(i, i + 1000)).onConflictDoNothing();
    return values.length;
  });
}

/** A steward's decision on a suggestion: accepted → the alias becomes a steward alias of that code. */
export async function applyDecision(db: Db, alias: string, decision: { code: string } | { reject: true }, steward: string): Promise<void> {
  await db.transaction(async (tx) => {
    if ('code' in decision) {
      const s = await tx.select({ name: orgSuggestions.name }).from(orgSuggestions).where(eq(orgSuggestions.alias, alias));
      await tx.delete(orgAliases).where(and(eq(orgAliases.alias, alias), eq(orgAliases.origin, 'steward')));
      await tx.insert(orgAliases).values({ alias, code: decision.code, origin: 'steward', name: s[0]?.name ?? alias, declaredBy: steward });
    }
    await tx
      .update(orgSuggestions)
      .set({ status: 'code' in decision ? 'accepted' : 'rejected', decidedCode: 'code' in decision ? decision.code : null, decidedBy: steward, decidedAt: sql`now()`, updatedAt: sql`now()` })
      .where(eq(orgSuggestions.alias, alias));
  });
}
