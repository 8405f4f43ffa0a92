import { asc, count, eq, sql } from "drizzle-orm";
import type { PostgresDb } from "@/db/client";
import { notes } from "@/db/schema.postgres";
import { lockPostgresInteraction, reindexPostgresSearch } from "@/lib/interactions/repository.postgres";
import type { NoteRepository } from "./repository";

/**
 * Notes on Postgres: the same behaviour as the SQLite implementation (repository.ts). Each write
 * is one transaction that also rewrites the interaction's search columns; reindexPostgresSearch
 * takes the interaction's lock first, so writes to one interaction's notes (and its saves) queue,
 * and the count checked before an insert is still true when it commits.
 */
export function createPostgresNoteRepository(db: PostgresDb): NoteRepository {
  return {
    async list(interactionId) {
      if (interactionId.includes("\u0000")) return [];
      return db.select().from(notes).where(eq(notes.interactionId, interactionId)).orderBy(asc(notes.createdAt), asc(notes.id));
    },

    async find(id) {
      // Postgres text cannot hold NUL: an id with one names no note (SQLite just finds none).
      if (id.includes("\u0000")) return undefined;
      const [row] = await db.select().from(notes).where(eq(notes.id, id)).limit(1);
      return row;
    },

    async insert(row, max) {
      return db.transaction(async (tx) => {
        await lockPostgresInteraction(tx, row.interactionId);
        const [snapshot] = (await tx.execute<{ found: number }>(sql`SELECT 1 AS found FROM interactions WHERE id = ${row.interactionId}`)).rows;
        if (!snapshot) return "gone" as const;
        const [{ n }] = await tx.select({ n: count() }).from(notes).where(eq(notes.interactionId, row.interactionId));
        if (n >= max) return "full" as const;
        await tx.insert(notes).values(row);
        await reindexPostgresSearch(tx, row.interactionId);
        return "added" as const;
      });
    },

    async update(id, change) {
      if (id.includes("\u0000")) return undefined;
      return db.transaction(async (tx) => {
        const [row] = await tx.update(notes).set(change).where(eq(notes.id, id)).returning();
        if (row) await reindexPostgresSearch(tx, row.interactionId);
        return row;
      });
    },

    async delete(id) {
      if (id.includes("\u0000")) return false;
      return db.transaction(async (tx) => {
        const [row] = await tx.delete(notes).where(eq(notes.id, id)).returning({ interactionId: notes.interactionId });
        if (row) await reindexPostgresSearch(tx, row.interactionId);
        return row !== undefined;
      });
    },
  };
}
