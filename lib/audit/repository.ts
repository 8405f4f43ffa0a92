import { and, asc, desc, eq, gt, gte, inArray, isNotNull, isNull, lt, lte, or, type SQL } from "drizzle-orm";
import type { SqliteDb, Store } from "@/db/client";
import { createPostgresAuditRows } from "./repository.postgres";
import { auditEvents, type AuditEventRow } from "@/db/schema";
import { auditEvents as postgresAuditEvents } from "@/db/schema.postgres";
import type { AuditCursor, AuditQuery } from "./query";

/*
 * The audit log's store. Which events a query means (filters, the (time, id) cursor, a page and
 * whether more lies beyond) is written once here, as conditions on either dialect's audit_events
 * table; each store only runs them (AuditRows: createSqliteAuditRows below,
 * createPostgresAuditRows in repository.postgres.ts).
 */

type Filters = Pick<AuditQuery, "actions" | "actor" | "target" | "from" | "to" | "projects">;

/** Either dialect's audit_events table: the same columns, so one set of conditions serves both. */
type AuditTable = typeof auditEvents | typeof postgresAuditEvents;

/** The audit rows of one store, selected by conditions built on its `table`. */
export interface AuditRows {
  table: AuditTable;
  insert(row: Omit<AuditEventRow, "id">): Promise<AuditEventRow>;
  /** Deletes the events `where` selects, or only the `limit` oldest of them; returns how many. */
  delete(where: SQL, limit?: number): Promise<number>;
  /** Up to `limit` events, in (time, id) order: newest first, or oldest first for "ascending". */
  select(where: SQL | undefined, order: "ascending" | "descending", limit: number): Promise<AuditEventRow[]>;
  exists(where: SQL | undefined): Promise<boolean>;
  /** Distinct non-null actors, in code-point order (as SQLite compares text), at most `limit`. */
  actors(where: SQL | undefined, limit: number): Promise<string[]>;
}

function filtersOf(table: AuditTable, query: Filters): SQL[] {
  const conditions: SQL[] = [];
  if (query.actions.length) conditions.push(inArray(table.action, query.actions));
  if (query.actor !== null) conditions.push(eq(table.actor, query.actor));
  if (query.target !== null) conditions.push(eq(table.target, query.target));
  if (query.from) conditions.push(gte(table.at, query.from));
  if (query.to) conditions.push(lte(table.at, query.to));
  if (query.projects) conditions.push(query.projects.length ? or(isNull(table.projectSlug), inArray(table.projectSlug, [...query.projects]))! : isNull(table.projectSlug));
  return conditions;
}

/** Events strictly older (or newer) than the cursor, in (time, id) order. */
function beyond(table: AuditTable, cursor: AuditCursor, direction: "older" | "newer"): SQL {
  const at = new Date(cursor.at);
  return direction === "older"
    ? or(lt(table.at, at), and(eq(table.at, at), lt(table.id, cursor.id)))!
    : or(gt(table.at, at), and(eq(table.at, at), gt(table.id, cursor.id)))!;
}

function auditRepositoryOver(rows: AuditRows) {
  const { table } = rows;
  return {
    async insert(row: Omit<AuditEventRow, "id">): Promise<AuditEventRow> {
      return rows.insert(row);
    },

    /** Deletes events older than `cutoff` (at most `limit` of them, oldest first); returns how many. */
    async deleteBefore(cutoff: Date, limit?: number): Promise<number> {
      return rows.delete(lt(table.at, cutoff), limit);
    },

    /**
     * One page, newest first, keyed on (time, id) rather than an offset: the log grows at the top
     * while someone pages through it, and an offset would then show events twice.
     */
    async page(query: AuditQuery): Promise<{ rows: AuditEventRow[]; hasMore: boolean }> {
      const conditions = filtersOf(table, query);
      if (query.cursor) conditions.push(beyond(table, query.cursor, query.direction));
      const newer = query.direction === "newer";
      const found = await rows.select(and(...conditions), newer ? "ascending" : "descending", query.limit + 1);
      const hasMore = found.length > query.limit;
      const page = found.slice(0, query.limit);
      return { rows: newer ? page.reverse() : page, hasMore };
    },

    /** Whether any event matching the filters lies beyond `cursor` in that direction. */
    async hasBeyond(query: Filters, cursor: AuditCursor, direction: "older" | "newer"): Promise<boolean> {
      return rows.exists(and(...filtersOf(table, query), beyond(table, cursor, direction)));
    },

    /** Distinct actors, for the page's filter suggestions. */
    async actors(limit = 100, projects?: readonly string[]): Promise<string[]> {
      return rows.actors(and(isNotNull(table.actor), ...filtersOf(table, { actions: [], actor: null, target: null, from: null, to: null, projects })), limit);
    },
  };
}

export type AuditRepository = ReturnType<typeof auditRepositoryOver>;

/** Audit rows on SQLite (better-sqlite3 is synchronous; the methods are async for the interface). */
function createSqliteAuditRows(db: SqliteDb): AuditRows {
  return {
    table: auditEvents,

    async insert(row) {
      return db.insert(auditEvents).values(row).returning().get();
    },

    async delete(where, limit) {
      if (limit === undefined) return db.delete(auditEvents).where(where).run().changes;
      const batch = db.select({ id: auditEvents.id }).from(auditEvents).where(where).orderBy(asc(auditEvents.at)).limit(limit);
      return db.delete(auditEvents).where(inArray(auditEvents.id, batch)).run().changes;
    },

    async select(where, order, limit) {
      const by = order === "ascending" ? asc : desc;
      return db
        .select()
        .from(auditEvents)
        .where(where)
        .orderBy(by(auditEvents.at), by(auditEvents.id))
        .limit(limit)
        .all();
    },

    async exists(where) {
      return db.select({ id: auditEvents.id }).from(auditEvents).where(where).limit(1).get() !== undefined;
    },

    async actors(where, limit) {
      return db
        .selectDistinct({ actor: auditEvents.actor })
        .from(auditEvents)
        .where(where)
        .orderBy(asc(auditEvents.actor))
        .limit(limit)
        .all()
        .map((row) => row.actor!);
    },
  };
}

export function createAuditRepository(store: Store): AuditRepository {
  return auditRepositoryOver(store.dialect === "sqlite" ? createSqliteAuditRows(store.db) : createPostgresAuditRows(store.db));
}
