import { and, eq, isNotNull, isNull, lt, ne } from "drizzle-orm";
import type { PostgresDb } from "@/db/client";
import { sessions } from "@/db/schema.postgres";
import type { SessionRows } from "./sessions";

/** Session rows on Postgres; what a session means is in sessions.ts, shared with SQLite. */
export function createPostgresSessionRows(db: PostgresDb): SessionRows {
  return {
    async insert(row) {
      await db.insert(sessions).values(row);
    },

    async deleteExpiredBefore(cutoff) {
      await db.delete(sessions).where(lt(sessions.expiresAt, cutoff));
    },

    async findByHash(idHash) {
      const [row] = await db.select().from(sessions).where(eq(sessions.idHash, idHash)).limit(1);
      return row;
    },

    async touch(idHash, at) {
      await db.update(sessions).set({ lastSeenAt: at }).where(eq(sessions.idHash, idHash));
    },

    async setDisplayName(idHash, displayName) {
      await db.update(sessions).set({ displayName }).where(eq(sessions.idHash, idHash));
    },

    async revokeByHash(idHash, at) {
      const result = await db
        .update(sessions)
        .set({ revokedAt: at })
        .where(and(eq(sessions.idHash, idHash), isNull(sessions.revokedAt)));
      return (result.rowCount ?? 0) > 0;
    },

    async revokeAllOf(viewer, at) {
      const result = await db
        .update(sessions)
        .set({ revokedAt: at })
        .where(and(eq(sessions.viewer, viewer), isNull(sessions.revokedAt)));
      return result.rowCount ?? 0;
    },

    async revokeStalePasswordSessions(currentPasswordTag, at) {
      const otherPassword = currentPasswordTag === null ? isNotNull(sessions.passwordTag) : and(isNotNull(sessions.passwordTag), ne(sessions.passwordTag, currentPasswordTag));
      const result = await db
        .update(sessions)
        .set({ revokedAt: at })
        .where(and(isNull(sessions.revokedAt), otherPassword));
      return result.rowCount ?? 0;
    },
  };
}
