import { asc, count, eq } from "drizzle-orm";
import type { SqliteDb, Store } from "@/db/client";
import { notes, type NoteRow } from "@/db/schema";
import { sqliteSearchDocuments } from "@/lib/interactions/repository.sqlite";
import { createPostgresNoteRepository } from "./repository.postgres";

export type { NoteRow };

/** What an edit changes. */
export interface NoteChange {
  body: string;
  updatedAt: Date;
}

/**
 * Notes on interactions. Every write also rewrites the interaction's search text (its notes are
 * in /cached search) in the same transaction, so search never disagrees with the notes.
 * repository.test.ts holds both implementations to one behaviour.
 */
export interface NoteRepository {
  /** The notes on an interaction, oldest first. */
  list(interactionId: string): Promise<NoteRow[]>;
  find(id: string): Promise<NoteRow | undefined>;
  /**
   * Adds a note: "full" (nothing written) when the interaction already has `max`, "gone" when it
   * has no snapshot (forgotten since it was checked: its notes must not outlive it; on Postgres
   * under the interaction's lock, which Forget takes too).
   */
  insert(row: NoteRow, max: number): Promise<"added" | "full" | "gone">;
  /** Changes a note's text; the row after, or undefined when there is no such note. */
  update(id: string, change: NoteChange): Promise<NoteRow | undefined>;
  /** Deletes a note; false when there was none. */
  delete(id: string): Promise<boolean>;
}

function createSqliteNoteRepository(db: SqliteDb): NoteRepository {
  const documents = sqliteSearchDocuments(db);
  const sqlite = db.$client;
  const countFor = (interactionId: string) => db.select({ n: count() }).from(notes).where(eq(notes.interactionId, interactionId)).get()?.n ?? 0;

  // better-sqlite3 transactions are synchronous: the note and its interaction's search text commit together.
  const hasSnapshot = sqlite.prepare<[string], { found: number }>("SELECT 1 AS found FROM interactions WHERE id = ?");
  const insertTransaction = sqlite.transaction((row: NoteRow, max: number): "added" | "full" | "gone" => {
    if (!hasSnapshot.get(row.interactionId)) return "gone";
    if (countFor(row.interactionId) >= max) return "full";
    db.insert(notes).values(row).run();
    documents.reindex(row.interactionId);
    return "added";
  });
  const updateTransaction = sqlite.transaction((id: string, change: NoteChange): NoteRow | undefined => {
    const row = db.update(notes).set(change).where(eq(notes.id, id)).returning().get();
    if (row) documents.reindex(row.interactionId);
    return row;
  });
  const deleteTransaction = sqlite.transaction((id: string): boolean => {
    const row = db.delete(notes).where(eq(notes.id, id)).returning({ interactionId: notes.interactionId }).get();
    if (row) documents.reindex(row.interactionId);
    return row !== undefined;
  });

  return {
    async list(interactionId) {
      return db.select().from(notes).where(eq(notes.interactionId, interactionId)).orderBy(asc(notes.createdAt), asc(notes.id)).all();
    },
    async find(id) {
      return db.select().from(notes).where(eq(notes.id, id)).get();
    },
    async insert(row, max) {
      return insertTransaction(row, max);
    },
    async update(id, change) {
      return updateTransaction(id, change);
    },
    async delete(id) {
      return deleteTransaction(id);
    },
  };
}

export function createNoteRepository(store: Store): NoteRepository {
  return store.dialect === "sqlite" ? createSqliteNoteRepository(store.db) : createPostgresNoteRepository(store.db);
}
