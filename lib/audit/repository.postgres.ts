import { asc, desc, inArray, sql } from "drizzle-orm";
import type { PostgresDb } from "@/db/client";
import { auditEvents } from "@/db/schema.postgres";
import type { AuditRows } from "./repository";

/** Audit rows on Postgres; which events a query means is in repository.ts, shared with SQLite. */
export function createPostgresAuditRows(db: PostgresDb): AuditRows {
  // SQLite compares text by code point; Postgres by the database's collation unless told otherwise.
  const actor = sql<string>`${auditEvents.actor} COLLATE "C"`;
  return {
    table: auditEvents,

    async insert(row) {
      const [inserted] = await db.insert(auditEvents).values(row).returning();
      return inserted;
    },

    async delete(where, limit) {
      if (limit === undefined) return (await db.delete(auditEvents).where(where)).rowCount ?? 0;
      // DELETE has no LIMIT in Postgres: the batch is a subquery. SKIP LOCKED: a second replica
      // pruning at the same moment takes other rows instead of waiting for these.
      const batch = db.select({ id: auditEvents.id }).from(auditEvents).where(where).orderBy(asc(auditEvents.at)).limit(limit).for("update", { skipLocked: true });
      return (await db.delete(auditEvents).where(inArray(auditEvents.id, batch))).rowCount ?? 0;
    },

    async select(where, order, limit) {
      const by = order === "ascending" ? asc : desc;
      return db
        .select()
        .from(auditEvents)
        .where(where)
        .orderBy(by(auditEvents.at), by(auditEvents.id))
        .limit(limit);
    },

    async exists(where) {
      const rows = await db.select({ id: auditEvents.id }).from(auditEvents).where(where).limit(1);
      return rows.length > 0;
    },

    async actors(where, limit) {
      const rows = await db.selectDistinct({ actor }).from(auditEvents).where(where).orderBy(asc(actor)).limit(limit);
      return rows.map((row) => row.actor);
    },
  };
}
