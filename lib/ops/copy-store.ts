import { asc, count, eq, gt, ne, sql } from "drizzle-orm";
import type { PostgresDb, SqliteDb } from "@/db/client";
import * as sqlite from "@/db/schema";
import * as postgres from "@/db/schema.postgres";
import { snapshotValues } from "@/lib/interactions/repository.postgres";
import { interactionSchema } from "@/lib/nebuly/schemas";

/** How many rows of a table one statement reads and writes. */
const BATCH = 500;

/** What `npm run db:copy` moved, table by table. */
export interface CopyReport {
  snapshots: number;
  forgotten: number;
  listPages: number;
  settings: number;
  shareLinks: number;
  sessions: number;
  auditEvents: number;
  labels: number;
  interactionLabels: number;
  notes: number;
}

export class CopyRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CopyRefused";
  }
}

/**
 * Copies a SQLite store into an empty Postgres database, in one transaction: a failure leaves the
 * target as it was. Snapshots are re-indexed for Postgres search as they go (the same columns the
 * Postgres repository writes on save), keeping when they were fetched and last viewed. Settings
 * come along (the generated session secret: sessions and device cookies stay valid), and so do
 * share links with their view counts, labels and which interactions carry them, sessions (with their display names),
 * notes and the audit log (renumbered, in order). The
 * readiness probe's row is not copied. Refuses a target that holds any data.
 */
export async function copySqliteToPostgres(from: SqliteDb, to: PostgresDb): Promise<CopyReport> {
  const targetRows = await countPostgres(to);
  if (Object.values(targetRows).some((n) => n > 0)) {
    const filled = Object.entries(targetRows).filter(([, n]) => n > 0).map(([table, n]) => `${table}: ${n}`);
    throw new CopyRefused(`the target database is not empty (${filled.join(", ")}): copy into a new, empty database`);
  }
  const report = await to.transaction(async (tx) => {
    // Large batches of a large store: not bound by the pool's statement timeout.
    await tx.execute(sql`SET LOCAL statement_timeout = 0`);
    const copied: CopyReport = { snapshots: 0, forgotten: 0, listPages: 0, settings: 0, shareLinks: 0, sessions: 0, auditEvents: 0, labels: 0, interactionLabels: 0, notes: 0 };

    for (let after = ""; ; ) {
      const rows = from.select().from(sqlite.interactions).where(gt(sqlite.interactions.id, after)).orderBy(asc(sqlite.interactions.id)).limit(BATCH).all();
      if (rows.length === 0) break;
      const values = rows.map((row) => {
        let interaction;
        try {
          interaction = interactionSchema.parse(JSON.parse(row.rawJson));
        } catch {
          throw new CopyRefused(`snapshot ${row.id} holds a body that is not an interaction: nothing was copied`);
        }
        // Its notes are in its search text on Postgres too.
        const noteBodies = from.select({ body: sqlite.notes.body }).from(sqlite.notes).where(eq(sqlite.notes.interactionId, row.id)).orderBy(asc(sqlite.notes.createdAt), asc(sqlite.notes.id)).all().map((note) => note.body);
        return { id: row.id, ...snapshotValues(interaction, row.rawJson, row.fetchedAt, row.projectSlug, noteBodies), lastViewedAt: row.lastViewedAt };
      });
      await tx.insert(postgres.interactions).values(values);
      copied.snapshots += rows.length;
      after = rows.at(-1)!.id;
    }

    copied.forgotten = await copyAll(from.select().from(sqlite.forgottenInteractions).all(), (batch) => tx.insert(postgres.forgottenInteractions).values(batch));
    copied.listPages = await copyAll(from.select().from(sqlite.listCache).all(), (batch) => tx.insert(postgres.listCache).values(batch));
    copied.settings = await copyAll(from.select().from(sqlite.appSettings).where(ne(sqlite.appSettings.key, "ready_probe_at")).all(), (batch) => tx.insert(postgres.appSettings).values(batch));
    copied.shareLinks = await copyAll(from.select().from(sqlite.shareLinks).all(), (batch) => tx.insert(postgres.shareLinks).values(batch));
    copied.sessions = await copyAll(from.select().from(sqlite.sessions).all(), (batch) => tx.insert(postgres.sessions).values(batch));
    // Labels before what points to them (the foreign key).
    copied.labels = await copyAll(from.select().from(sqlite.labels).all(), (batch) => tx.insert(postgres.labels).values(batch));
    copied.interactionLabels = await copyAll(from.select().from(sqlite.interactionLabels).all(), (batch) => tx.insert(postgres.interactionLabels).values(batch));
    copied.notes = await copyAll(from.select().from(sqlite.notes).all(), (batch) => tx.insert(postgres.notes).values(batch));

    for (let after = 0; ; ) {
      const rows = from.select().from(sqlite.auditEvents).where(gt(sqlite.auditEvents.id, after)).orderBy(asc(sqlite.auditEvents.id)).limit(BATCH).all();
      if (rows.length === 0) break;
      // New ids in the same order: the log's order is (at, id), and ids are the target's to assign.
      await tx.insert(postgres.auditEvents).values(rows.map(({ id: _id, ...event }) => event));
      copied.auditEvents += rows.length;
      after = rows.at(-1)!.id;
    }
    return copied;
  });

  // Fresh statistics, so the first searches after the move are planned for the rows now there
  // (autovacuum would get to it, later).
  await to.transaction(async (tx) => {
    await tx.execute(sql`SET LOCAL statement_timeout = 0`);
    await tx.execute(sql`ANALYZE`);
  });
  // What arrived is what was sent: counted again, outside the transaction, after it committed.
  const arrived = await countPostgres(to);
  const expected: Record<keyof CopyReport, number> = report;
  for (const table of Object.keys(expected) as (keyof CopyReport)[]) {
    if (arrived[table] !== expected[table]) throw new Error(`the copy committed but ${table} holds ${arrived[table]} rows where ${expected[table]} were copied`);
  }
  return report;
}

async function copyAll<T>(rows: T[], insert: (batch: T[]) => Promise<unknown>): Promise<number> {
  for (let start = 0; start < rows.length; start += BATCH) await insert(rows.slice(start, start + BATCH));
  return rows.length;
}

async function countPostgres(db: PostgresDb): Promise<Record<keyof CopyReport, number>> {
  const n = (table: CountedTable) => countOf(db, table);
  return {
    snapshots: await n(postgres.interactions),
    forgotten: await n(postgres.forgottenInteractions),
    listPages: await n(postgres.listCache),
    settings: (await db.select({ n: count() }).from(postgres.appSettings).where(ne(postgres.appSettings.key, "ready_probe_at")))[0]!.n,
    shareLinks: await n(postgres.shareLinks),
    sessions: await n(postgres.sessions),
    auditEvents: await n(postgres.auditEvents),
    labels: await n(postgres.labels),
    interactionLabels: await n(postgres.interactionLabels),
    notes: await n(postgres.notes),
  };
}

type CountedTable =
  | typeof postgres.interactions
  | typeof postgres.forgottenInteractions
  | typeof postgres.listCache
  | typeof postgres.shareLinks
  | typeof postgres.sessions
  | typeof postgres.auditEvents
  | typeof postgres.labels
  | typeof postgres.interactionLabels
  | typeof postgres.notes;

async function countOf(db: PostgresDb, table: CountedTable): Promise<number> {
  return (await db.select({ n: count() }).from(table))[0]!.n;
}
