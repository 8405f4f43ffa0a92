import { and, inArray, isNotNull, sql } from "drizzle-orm";
import type { PostgresDb } from "@/db/client";
import { interactions } from "@/db/schema.postgres";
import type { BrowseCacheRows } from "./browse-cache";
import { postgresTitleSql, readPostgresJson } from "./title.postgres";

/** Browse's queries on Postgres; what Browse makes of them is in browse-cache.ts, shared with SQLite. */
export function createPostgresBrowseCacheRows(db: PostgresDb): BrowseCacheRows {
  const ofProjects = (projects: readonly string[] | undefined) => (projects === undefined ? undefined : projects.length ? inArray(interactions.projectSlug, [...projects]) : sql`false`);
  // As SQLite's json_extract with three paths: one array of the three values (JSON null for a
  // missing one), as text; NULL for a body jsonb refuses.
  const labels = readPostgresJson(interactions.rawJson, (json) => sql<string>`json_build_array(${json} -> 'intent', ${json} -> 'risky_behavior', ${json} -> 'tags')::text`);
  // NULLS LAST (no row here has a null time) lets the walk use interactions_timestamp_idx.
  const newestFirst = sql`${interactions.timestamp} DESC NULLS LAST`;
  return {
    async recentUsers(limit, projects) {
      const rows = await db
        .select({ user: interactions.user })
        .from(interactions)
        .where(and(isNotNull(interactions.timestamp), ofProjects(projects)))
        .orderBy(newestFirst)
        .limit(limit);
      return rows.map((row) => row.user);
    },

    async recentLabels(limit, projects) {
      const rows = await db
        .select({ fields: labels })
        .from(interactions)
        .where(and(isNotNull(interactions.timestamp), ofProjects(projects)))
        .orderBy(newestFirst)
        .limit(limit);
      return rows.map((row) => row.fields);
    },

    async summaries(ids, projects) {
      return db
        .select({
          id: interactions.id,
          title: postgresTitleSql(interactions.rawJson),
          topic: interactions.topic,
          sentiment: interactions.sentiment,
          feedbackType: interactions.feedbackType,
        })
        .from(interactions)
        .where(and(inArray(interactions.id, ids), ofProjects(projects)));
    },
  };
}
