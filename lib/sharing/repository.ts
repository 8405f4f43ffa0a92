import { and, desc, eq, inArray, isNotNull, isNull, lt, or, sql } from "drizzle-orm";
import type { SqliteDb, Store } from "@/db/client";
import { createPostgresShareLinkRepository } from "./repository.postgres";
import { titleSql } from "@/lib/interactions/repository.sqlite";
import { interactions, shareLinks, type ShareLinkRow } from "@/db/schema";

export interface ShareLinkListItem extends ShareLinkRow {
  /** Null when the interaction is no longer cached here (forgotten, or its link long revoked). */
  interactionTitle: string | null;
  /** The project of the snapshot it serves; null once the snapshot is gone. */
  interactionProject: string | null;
}

/**
 * Share links on SQLite; repository.postgres.ts has the same on Postgres, and repository.test.ts
 * holds both to one behaviour. Every change is a single statement (no read-then-write), so the
 * Postgres one stays right with several replicas.
 */
export function createSqliteShareLinkRepository(db: SqliteDb) {
  return {
    async insert(row: Omit<ShareLinkRow, "views" | "lastViewedAt" | "revokedAt">): Promise<ShareLinkRow> {
      return db.insert(shareLinks).values(row).returning().get();
    },

    async find(id: string): Promise<ShareLinkRow | undefined> {
      return db.select().from(shareLinks).where(eq(shareLinks.id, id)).get();
    },

    async findByTokenHash(tokenHash: string): Promise<ShareLinkRow | undefined> {
      return db.select().from(shareLinks).where(eq(shareLinks.tokenHash, tokenHash)).get();
    },

    async countView(id: string, at: Date): Promise<void> {
      db.update(shareLinks)
        .set({ views: sql`${shareLinks.views} + 1`, lastViewedAt: at })
        .where(eq(shareLinks.id, id))
        .run();
    },

    /** Marks a link revoked unless it already is; true when this call revoked it. */
    async revoke(id: string, at: Date): Promise<boolean> {
      const result = db
        .update(shareLinks)
        .set({ revokedAt: at })
        .where(and(eq(shareLinks.id, id), isNull(shareLinks.revokedAt)))
        .run();
      return result.changes > 0;
    },

    /** How many links (in any state) point to an interaction. */
    async countFor(interactionId: string): Promise<number> {
      return db.select({ n: sql<number>`count(*)` }).from(shareLinks).where(eq(shareLinks.interactionId, interactionId)).get()?.n ?? 0;
    },

    /** Revokes every unrevoked link to an interaction; returns the ids this call revoked. */
    async revokeAllFor(interactionId: string, at: Date): Promise<string[]> {
      return db
        .update(shareLinks)
        .set({ revokedAt: at })
        .where(and(eq(shareLinks.interactionId, interactionId), isNull(shareLinks.revokedAt)))
        .returning({ id: shareLinks.id })
        .all()
        .map((row) => row.id);
    },

    /**
     * Deletes up to `limit` links that stopped opening before `cutoff` (revoked then, or expired
     * then without being revoked); returns how many. Their addresses then say "not found".
     */
    async deleteEndedBefore(cutoff: Date, limit: number): Promise<number> {
      const ended = or(
        and(isNotNull(shareLinks.revokedAt), lt(shareLinks.revokedAt, cutoff)),
        and(isNull(shareLinks.revokedAt), isNotNull(shareLinks.expiresAt), lt(shareLinks.expiresAt, cutoff)),
      );
      const batch = db.select({ id: shareLinks.id }).from(shareLinks).where(ended).limit(limit);
      return db.delete(shareLinks).where(inArray(shareLinks.id, batch)).run().changes;
    },

    async list(): Promise<ShareLinkListItem[]> {
      return db
        .select({
          id: shareLinks.id,
          tokenHash: shareLinks.tokenHash,
          interactionId: shareLinks.interactionId,
          createdAt: shareLinks.createdAt,
          createdBy: shareLinks.createdBy,
          expiresAt: shareLinks.expiresAt,
          revokedAt: shareLinks.revokedAt,
          hideSensitive: shareLinks.hideSensitive,
          views: shareLinks.views,
          lastViewedAt: shareLinks.lastViewedAt,
          interactionTitle: titleSql(interactions.rawJson),
          interactionProject: interactions.projectSlug,
        })
        .from(shareLinks)
        .leftJoin(interactions, eq(interactions.id, shareLinks.interactionId))
        .orderBy(desc(shareLinks.createdAt))
        .all();
    },
  };
}

export type ShareLinkRepository = ReturnType<typeof createSqliteShareLinkRepository>;

export function createShareLinkRepository(store: Store): ShareLinkRepository {
  return store.dialect === "sqlite" ? createSqliteShareLinkRepository(store.db) : createPostgresShareLinkRepository(store.db);
}
