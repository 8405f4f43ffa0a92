import { and, asc, count, eq, inArray, notInArray, sql } from "drizzle-orm";
import type { PostgresDb } from "@/db/client";
import { interactionLabels, labels } from "@/db/schema.postgres";
import { lockPostgresInteraction } from "@/lib/interactions/repository.postgres";
import { groupByInteraction, isUniqueViolation, type LabelRepository } from "./repository";

/** The namespace (first key) of the advisory lock label creation takes. */
const LABELS_LOCK_CLASS = 0x6c6162; // "lab"

const labelColumns = {
  id: labels.id,
  name: labels.name,
  nameKey: labels.nameKey,
  color: labels.color,
  createdAt: labels.createdAt,
  createdBy: labels.createdBy,
  updatedAt: labels.updatedAt,
};

// Postgres text cannot hold NUL: an id with one names no label (SQLite just finds none).
const storable = (id: string) => !id.includes("\u0000");

/** Labels on Postgres: the same behaviour as createSqliteLabelRepository (repository.ts). */
export function createPostgresLabelRepository(db: PostgresDb): LabelRepository {
  return {
    async list(projects) {
      return db
        .select({
          ...labelColumns,
          uses: sql<number>`(SELECT count(*) FROM interaction_labels AS il JOIN interactions AS i ON i.id = il.interaction_id
            WHERE il.label_id = labels.id AND i.project_slug = ANY(${sql.param([...projects])}::text[]))::int`,
        })
        .from(labels)
        .orderBy(asc(labels.nameKey));
    },

    async count() {
      const [row] = await db.select({ n: count() }).from(labels);
      return row?.n ?? 0;
    },

    async find(id) {
      if (!storable(id)) return undefined;
      const [row] = await db.select().from(labels).where(eq(labels.id, id)).limit(1);
      return row;
    },

    async findMany(ids) {
      const wanted = ids.filter(storable);
      return wanted.length ? db.select().from(labels).where(inArray(labels.id, wanted)) : [];
    },

    async findByKey(nameKey) {
      if (!storable(nameKey)) return undefined;
      const [row] = await db.select().from(labels).where(eq(labels.nameKey, nameKey)).limit(1);
      return row;
    },

    async insert(row, max = Infinity) {
      return db.transaction(async (tx) => {
        // One label made at a time across replicas: the count and the insert see the same set.
        await tx.execute(sql`SELECT pg_advisory_xact_lock(${LABELS_LOCK_CLASS}, 0)`);
        if (Number.isFinite(max)) {
          const [{ n }] = await tx.select({ n: count() }).from(labels);
          if (n >= max) return "full" as const;
        }
        const [inserted] = await tx.insert(labels).values(row).onConflictDoNothing({ target: labels.nameKey }).returning();
        return inserted;
      });
    },

    async rename(id, change, at) {
      if (!storable(id)) return "missing";
      try {
        const [row] = await db.update(labels).set({ ...change, updatedAt: at }).where(eq(labels.id, id)).returning();
        return row ?? "missing";
      } catch (error) {
        if (isUniqueViolation(error)) return "duplicate";
        throw error;
      }
    },

    async remove(id) {
      if (!storable(id)) return undefined;
      const [row] = await db.delete(labels).where(eq(labels.id, id)).returning();
      return row;
    },

    async labelsOf(interactionIds) {
      const ids = [...new Set(interactionIds)].filter(storable);
      if (ids.length === 0) return new Map();
      const rows = await db
        .select({ interactionId: interactionLabels.interactionId, ...labelColumns })
        .from(interactionLabels)
        .innerJoin(labels, eq(labels.id, interactionLabels.labelId))
        .where(inArray(interactionLabels.interactionId, ids))
        .orderBy(asc(labels.nameKey));
      return groupByInteraction(rows);
    },

    async replaceFor(interactionId, labelIds, at, by) {
      const wanted = [...new Set(labelIds)];
      return db.transaction(async (tx) => {
        // Forget takes this lock too: either it ran first (no snapshot: nothing written) or it runs after and removes these.
        await lockPostgresInteraction(tx, interactionId);
        const [snapshot] = await tx.execute<{ found: number }>(sql`SELECT 1 AS found FROM interactions WHERE id = ${interactionId}`).then((result) => result.rows);
        if (!snapshot) return null;
        const removed = await tx
          .delete(interactionLabels)
          .where(and(eq(interactionLabels.interactionId, interactionId), wanted.length ? notInArray(interactionLabels.labelId, wanted) : undefined))
          .returning({ id: interactionLabels.labelId });
        const added = wanted.length
          ? await tx
              .insert(interactionLabels)
              .values(wanted.map((labelId) => ({ interactionId, labelId, addedAt: at, addedBy: by })))
              .onConflictDoNothing()
              .returning({ id: interactionLabels.labelId })
          : [];
        return { added: added.map((row) => row.id), removed: removed.map((row) => row.id) };
      });
    },
  };
}
