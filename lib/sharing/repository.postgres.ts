import { and, count, desc, eq, inArray, isNotNull, isNull, lt, or, sql } from "drizzle-orm";
import type { PostgresDb } from "@/db/client";
import { interactions, shareLinks } from "@/db/schema.postgres";
import { postgresTitleSql } from "@/lib/interactions/title.postgres";
import type { ShareLinkRepository } from "./repository";

/**
 * Share links on Postgres: the same behaviour as createSqliteShareLinkRepository (repository.ts),
 * held to it by repository.test.ts. Several replicas may share the database: every change is one
 * statement, so none of them reads a value and writes it back.
 */
export function createPostgresShareLinkRepository(db: PostgresDb): ShareLinkRepository {
  return {
    async insert(row) {
      const [inserted] = await db.insert(shareLinks).values(row).returning();
      return inserted;
    },

    async find(id) {
      // Postgres text cannot hold NUL: an id with one names no link (SQLite just finds none).
      if (id.includes("\u0000")) return undefined;
      const [row] = await db.select().from(shareLinks).where(eq(shareLinks.id, id)).limit(1);
      return row;
    },

    async findByTokenHash(tokenHash) {
      const [row] = await db.select().from(shareLinks).where(eq(shareLinks.tokenHash, tokenHash)).limit(1);
      return row;
    },

    async countView(id, at) {
      // One UPDATE: the row lock makes concurrent views queue, and each adds to the count it finds.
      await db
        .update(shareLinks)
        .set({ views: sql`${shareLinks.views} + 1`, lastViewedAt: at })
        .where(eq(shareLinks.id, id));
    },

    async revoke(id, at) {
      const result = await db
        .update(shareLinks)
        .set({ revokedAt: at })
        .where(and(eq(shareLinks.id, id), isNull(shareLinks.revokedAt)));
      return (result.rowCount ?? 0) > 0;
    },

    async countFor(interactionId) {
      // count() maps Postgres's bigint (a string from pg) to a number.
      const [row] = await db.select({ n: count() }).from(shareLinks).where(eq(shareLinks.interactionId, interactionId));
      return row?.n ?? 0;
    },

    async revokeAllFor(interactionId, at) {
      const rows = await db
        .update(shareLinks)
        .set({ revokedAt: at })
        .where(and(eq(shareLinks.interactionId, interactionId), isNull(shareLinks.revokedAt)))
        .returning({ id: shareLinks.id });
      return rows.map((row) => row.id);
    },

    async deleteEndedBefore(cutoff, limit) {
      const ended = or(
        and(isNotNull(shareLinks.revokedAt), lt(shareLinks.revokedAt, cutoff)),
        and(isNull(shareLinks.revokedAt), isNotNull(shareLinks.expiresAt), lt(shareLinks.expiresAt, cutoff)),
      );
      // DELETE has no LIMIT in Postgres: the batch is a subquery. SKIP LOCKED: a second replica
      // pruning at the same moment takes other rows instead of waiting for these.
      const batch = db.select({ id: shareLinks.id }).from(shareLinks).where(ended).limit(limit).for("update", { skipLocked: true });
      const result = await db.delete(shareLinks).where(inArray(shareLinks.id, batch));
      return result.rowCount ?? 0;
    },

    async list() {
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
          interactionTitle: postgresTitleSql(interactions.rawJson),
          interactionProject: interactions.projectSlug,
        })
        .from(shareLinks)
        .leftJoin(interactions, eq(interactions.id, shareLinks.interactionId))
        .orderBy(desc(shareLinks.createdAt));
    },
  };
}
