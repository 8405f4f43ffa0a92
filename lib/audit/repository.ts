import { and, asc, desc, eq, gt, gte, inArray, isNotNull, isNull, lt, lte, or, type SQL } from "drizzle-orm";
import type { Db } from "@/db/client";
import { auditEvents, type AuditEventRow } from "@/db/schema";
import type { AuditCursor, AuditQuery } from "./query";

type Filters = Pick<AuditQuery, "actions" | "actor" | "target" | "from" | "to" | "projects">;

function filtersOf(query: Filters): SQL[] {
  const conditions: SQL[] = [];
  if (query.actions.length) conditions.push(inArray(auditEvents.action, query.actions));
  if (query.actor !== null) conditions.push(eq(auditEvents.actor, query.actor));
  if (query.target !== null) conditions.push(eq(auditEvents.target, query.target));
  if (query.from) conditions.push(gte(auditEvents.at, query.from));
  if (query.to) conditions.push(lte(auditEvents.at, query.to));
  if (query.projects) conditions.push(query.projects.length ? or(isNull(auditEvents.projectSlug), inArray(auditEvents.projectSlug, [...query.projects]))! : isNull(auditEvents.projectSlug));
  return conditions;
}

/** Events strictly older (or newer) than the cursor, in (time, id) order. */
function beyond(cursor: AuditCursor, direction: "older" | "newer"): SQL {
  const at = new Date(cursor.at);
  return direction === "older"
    ? or(lt(auditEvents.at, at), and(eq(auditEvents.at, at), lt(auditEvents.id, cursor.id)))!
    : or(gt(auditEvents.at, at), and(eq(auditEvents.at, at), gt(auditEvents.id, cursor.id)))!;
}

export function createAuditRepository(db: Db) {
  return {
    insert(row: Omit<AuditEventRow, "id">): AuditEventRow {
      return db.insert(auditEvents).values(row).returning().get();
    },

    /** Deletes events older than `cutoff` (at most `limit` of them, oldest first); returns how many. */
    deleteBefore(cutoff: Date, limit?: number): number {
      if (limit === undefined) return db.delete(auditEvents).where(lt(auditEvents.at, cutoff)).run().changes;
      const batch = db.select({ id: auditEvents.id }).from(auditEvents).where(lt(auditEvents.at, cutoff)).orderBy(asc(auditEvents.at)).limit(limit);
      return db.delete(auditEvents).where(inArray(auditEvents.id, batch)).run().changes;
    },

    /**
     * One page, newest first, keyed on (time, id) rather than an offset: the log grows at the top
     * while someone pages through it, and an offset would then show events twice.
     */
    page(query: AuditQuery): { rows: AuditEventRow[]; hasMore: boolean } {
      const conditions = filtersOf(query);
      if (query.cursor) conditions.push(beyond(query.cursor, query.direction));
      const newer = query.direction === "newer";
      const rows = db
        .select()
        .from(auditEvents)
        .where(and(...conditions))
        .orderBy(...(newer ? [asc(auditEvents.at), asc(auditEvents.id)] : [desc(auditEvents.at), desc(auditEvents.id)]))
        .limit(query.limit + 1)
        .all();
      const hasMore = rows.length > query.limit;
      const page = rows.slice(0, query.limit);
      return { rows: newer ? page.reverse() : page, hasMore };
    },

    /** Whether any event matching the filters lies beyond `cursor` in that direction. */
    hasBeyond(query: Filters, cursor: AuditCursor, direction: "older" | "newer"): boolean {
      const row = db
        .select({ id: auditEvents.id })
        .from(auditEvents)
        .where(and(...filtersOf(query), beyond(cursor, direction)))
        .limit(1)
        .get();
      return row !== undefined;
    },

    /** Distinct actors, for the page's filter suggestions. */
    actors(limit = 100, projects?: readonly string[]): string[] {
      return db
        .selectDistinct({ actor: auditEvents.actor })
        .from(auditEvents)
        .where(and(isNotNull(auditEvents.actor), ...filtersOf({ actions: [], actor: null, target: null, from: null, to: null, projects })))
        .orderBy(asc(auditEvents.actor))
        .limit(limit)
        .all()
        .map((row) => row.actor!);
    },
  };
}

