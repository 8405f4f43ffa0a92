import { and, asc, count, eq, inArray, notInArray, sql } from "drizzle-orm";
import type { SqliteDb, Store } from "@/db/client";
import { interactionLabels, labels, type LabelRow } from "@/db/schema";
import { createPostgresLabelRepository } from "./repository.postgres";

export type { LabelRow } from "@/db/schema";

/** A label with how many interactions carry it (the /labels page). */
export interface LabelWithUses extends LabelRow {
  uses: number;
}

/** What replacing an interaction's labels changed. */
export interface LabelChange {
  added: string[];
  removed: string[];
}

/**
 * Labels and which interactions carry them. Every method is one statement or one transaction, so
 * several replicas on one Postgres never read a value and write it back. The SQLite and Postgres
 * implementations are held to one behaviour by repository.test.ts.
 */
export interface LabelRepository {
  /**
   * Every label, with how many interactions of `projects` carry it (a viewer's projects: a count
   * over every project would tell a restricted viewer how many a hidden project's carry).
   */
  list(projects: readonly string[]): Promise<LabelWithUses[]>;
  count(): Promise<number>;
  find(id: string): Promise<LabelRow | undefined>;
  /** Those of `ids` that exist. */
  findMany(ids: readonly string[]): Promise<LabelRow[]>;
  findByKey(nameKey: string): Promise<LabelRow | undefined>;
  /**
   * Undefined when a label of the same name key exists (the unique index decides, not a prior
   * read); "full" when there are `max` labels already (counted in the insert's transaction, under a
   * lock on Postgres, so parallel requests or replicas cannot pass the limit together).
   */
  insert(row: LabelRow, max?: number): Promise<LabelRow | undefined | "full">;
  /** "missing": no such label; "duplicate": another label has this name key. */
  rename(id: string, change: { name?: string; nameKey?: string; color?: string }, at: Date): Promise<LabelRow | "missing" | "duplicate">;
  /** Deletes the label and its place on every interaction; undefined when there was none. */
  remove(id: string): Promise<LabelRow | undefined>;
  /** The labels of each of `interactionIds` (in name order), in one query; ids without labels are absent. */
  labelsOf(interactionIds: readonly string[]): Promise<Map<string, LabelRow[]>>;
  /**
   * Makes `labelIds` the labels of an interaction, in one transaction; says what changed. Null
   * (nothing written) when the interaction has no snapshot: forgotten since it was checked, its
   * labels must not come back without it (on Postgres under the interaction's lock, as Forget).
   */
  replaceFor(interactionId: string, labelIds: readonly string[], at: Date, by: string | null): Promise<LabelChange | null>;
}

/** SQLite says so by its extended code; drizzle may wrap it. */
export function isUniqueViolation(error: unknown): boolean {
  for (let cause = error, depth = 0; cause && depth < 5; cause = (cause as { cause?: unknown }).cause, depth++) {
    const code = (cause as { code?: unknown }).code;
    if (code === "SQLITE_CONSTRAINT_UNIQUE" || code === "23505") return true;
  }
  return false;
}

/** Groups rows of (interaction id, label) into a map, keeping their order. */
export function groupByInteraction(rows: readonly (LabelRow & { interactionId: string })[]): Map<string, LabelRow[]> {
  const grouped = new Map<string, LabelRow[]>();
  for (const { interactionId, ...label } of rows) {
    const list = grouped.get(interactionId);
    if (list) list.push(label);
    else grouped.set(interactionId, [label]);
  }
  return grouped;
}

const labelColumns = {
  id: labels.id,
  name: labels.name,
  nameKey: labels.nameKey,
  color: labels.color,
  createdAt: labels.createdAt,
  createdBy: labels.createdBy,
  updatedAt: labels.updatedAt,
};

export function createSqliteLabelRepository(db: SqliteDb): LabelRepository {
  // One synchronous transaction: nothing else writes between the count and the insert.
  const insertLabel = db.$client.transaction((row: LabelRow, max: number): LabelRow | undefined | "full" => {
    if ((db.select({ n: count() }).from(labels).get()?.n ?? 0) >= max) return "full";
    return db.insert(labels).values(row).onConflictDoNothing({ target: labels.nameKey }).returning().get();
  });
  const hasSnapshot = db.$client.prepare<[string], { found: number }>("SELECT 1 AS found FROM interactions WHERE id = ?");
  const replace = db.$client.transaction((interactionId: string, labelIds: readonly string[], at: Date, by: string | null): LabelChange | null => {
    if (!hasSnapshot.get(interactionId)) return null;
    const removed = db
      .delete(interactionLabels)
      .where(and(eq(interactionLabels.interactionId, interactionId), labelIds.length ? notInArray(interactionLabels.labelId, [...labelIds]) : undefined))
      .returning({ id: interactionLabels.labelId })
      .all()
      .map((row) => row.id);
    const added = labelIds.length
      ? db
          .insert(interactionLabels)
          .values(labelIds.map((labelId) => ({ interactionId, labelId, addedAt: at, addedBy: by })))
          .onConflictDoNothing()
          .returning({ id: interactionLabels.labelId })
          .all()
          .map((row) => row.id)
      : [];
    return { added, removed };
  });

  return {
    async list(projects) {
      const inProjects = projects.length ? sql`i.project_slug IN (${sql.join(projects.map((slug) => sql`${slug}`), sql`, `)})` : sql`0`;
      return db
        .select({
          ...labelColumns,
          uses: sql<number>`(SELECT count(*) FROM ${interactionLabels} AS il JOIN interactions AS i ON i.id = il.interaction_id WHERE il.label_id = labels.id AND ${inProjects})`,
        })
        .from(labels)
        .orderBy(asc(labels.nameKey))
        .all();
    },

    async count() {
      return db.select({ n: count() }).from(labels).get()?.n ?? 0;
    },

    async find(id) {
      return db.select().from(labels).where(eq(labels.id, id)).get();
    },

    async findMany(ids) {
      return ids.length ? db.select().from(labels).where(inArray(labels.id, [...ids])).all() : [];
    },

    async findByKey(nameKey) {
      return db.select().from(labels).where(eq(labels.nameKey, nameKey)).get();
    },

    async insert(row, max = Infinity) {
      return insertLabel(row, max);
    },

    async rename(id, change, at) {
      try {
        return db.update(labels).set({ ...change, updatedAt: at }).where(eq(labels.id, id)).returning().get() ?? "missing";
      } catch (error) {
        if (isUniqueViolation(error)) return "duplicate";
        throw error;
      }
    },

    async remove(id) {
      // The foreign key cascades to interaction_labels.
      return db.delete(labels).where(eq(labels.id, id)).returning().get();
    },

    async labelsOf(interactionIds) {
      if (interactionIds.length === 0) return new Map();
      const rows = db
        .select({ interactionId: interactionLabels.interactionId, ...labelColumns })
        .from(interactionLabels)
        .innerJoin(labels, eq(labels.id, interactionLabels.labelId))
        .where(inArray(interactionLabels.interactionId, [...new Set(interactionIds)]))
        .orderBy(asc(labels.nameKey))
        .all();
      return groupByInteraction(rows);
    },

    async replaceFor(interactionId, labelIds, at, by) {
      return replace(interactionId, [...new Set(labelIds)], at, by);
    },
  };
}

export function createLabelRepository(store: Store): LabelRepository {
  return store.dialect === "sqlite" ? createSqliteLabelRepository(store.db) : createPostgresLabelRepository(store.db);
}
