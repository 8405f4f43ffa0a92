import { and, desc, eq, isNotNull, sql, type AnyColumn, type SQL } from "drizzle-orm";
import type { Db } from "@/db/client";
import { interactions, listCache, type InteractionRow, type ListCacheRow } from "@/db/schema";
import { parseTimestamp } from "@/lib/format";
import type { Interaction } from "@/lib/nebuly/schemas";
import { TITLE_JSON_PATHS, TITLE_MAX } from "@/lib/nebuly/title";
import { searchableText, toFtsQuery } from "./search-text";

export interface CachedSearchQuery {
  text?: string;
  user?: string;
  topic?: string;
  sentiment?: string;
  feedbackType?: string;
  sort: "time" | "viewed";
  limit: number;
  offset: number;
}

/** A cached interaction as lists show it: indexed fields and short snippets, never the whole body. */
export interface CachedListItem {
  id: string;
  timestamp: Date | null;
  lastViewedAt: Date | null;
  user: string | null;
  topic: string | null;
  sentiment: string | null;
  feedbackType: string | null;
  query: string | null;
  output: string | null;
}

export interface CachedFacets {
  topics: string[];
  sentiments: string[];
  feedbackTypes: string[];
}

export interface InteractionRepository {
  find(id: string): InteractionRow | undefined;
  save(id: string, interaction: Interaction, rawJson: string, fetchedAt: Date): InteractionRow;
  recordView(id: string, at: Date): void;
  recentlyViewed(limit: number): CachedListItem[];
  search(query: CachedSearchQuery): { items: CachedListItem[]; hasMore: boolean };
  facets(): CachedFacets;
  findList(key: string): ListCacheRow | undefined;
  saveList(key: string, responseJson: string, fetchedAt: Date): void;
}

const SNIPPET_CHARS = 300;

/** The interaction's title in SQL, built from the one definition in lib/nebuly/title.ts. */
export function titleSql(rawJson: AnyColumn): SQL<string | null> {
  const candidates = TITLE_JSON_PATHS.map((path) => sql`nullif(trim(json_extract(${rawJson}, ${path})), '')`);
  return sql<string | null>`substr(coalesce(${sql.join(candidates, sql`, `)}), 1, ${TITLE_MAX})`;
}

// Snippets are cut in SQL so a list never loads megabyte bodies.
const listColumns = {
  id: interactions.id,
  timestamp: interactions.timestamp,
  lastViewedAt: interactions.lastViewedAt,
  user: interactions.user,
  topic: interactions.topic,
  sentiment: interactions.sentiment,
  feedbackType: interactions.feedbackType,
  query: titleSql(interactions.rawJson),
  output: sql<string | null>`substr(json_extract(${interactions.rawJson}, '$.output'), 1, ${SNIPPET_CHARS})`,
};

export function createInteractionRepository(db: Db): InteractionRepository {
  const sqlite = db.$client;
  const findStatement = db.select().from(interactions).where(eq(interactions.id, sql.placeholder("id"))).prepare();
  const insertFts = sqlite.prepare("INSERT INTO interactions_fts (body) VALUES (?)");
  const updateFts = sqlite.prepare("UPDATE interactions_fts SET body = ? WHERE rowid = ?");

  const saveTransaction = sqlite.transaction(
    (id: string, interaction: Interaction, rawJson: string, fetchedAt: Date): InteractionRow => {
      const indexed = {
        rawJson,
        fetchedAt,
        timestamp: parseTimestamp(interaction.timestamp),
        user: interaction.user ?? null,
        topic: interaction.topic ?? null,
        sentiment: interaction.sentiment ?? null,
        feedbackType: interaction.feedback_type ?? null,
        projectId: interaction.project_id ?? null,
        conversationId: interaction.conversation_id ?? null,
      };
      const row = db
        .insert(interactions)
        .values({ id, ...indexed })
        .onConflictDoUpdate({ target: interactions.id, set: indexed })
        .returning()
        .get();
      const body = searchableText(interaction);
      if (row.ftsRowid !== null && updateFts.run(body, row.ftsRowid).changes > 0) return row;
      const ftsRowid = Number(insertFts.run(body).lastInsertRowid);
      db.update(interactions).set({ ftsRowid }).where(eq(interactions.id, id)).run();
      return { ...row, ftsRowid };
    },
  );

  return {
    find(id) {
      return findStatement.get({ id });
    },

    save(id, interaction, rawJson, fetchedAt) {
      return saveTransaction(id, interaction, rawJson, fetchedAt);
    },

    recordView(id, at) {
      db.update(interactions).set({ lastViewedAt: at }).where(eq(interactions.id, id)).run();
    },

    recentlyViewed(limit) {
      return db
        .select(listColumns)
        .from(interactions)
        .where(isNotNull(interactions.lastViewedAt))
        .orderBy(desc(interactions.lastViewedAt))
        .limit(limit)
        .all();
    },

    search(query) {
      const conditions: SQL[] = [];
      const fts = query.text ? toFtsQuery(query.text) : null;
      if (fts) conditions.push(sql`${interactions.ftsRowid} IN (SELECT rowid FROM interactions_fts WHERE interactions_fts MATCH ${fts})`);
      if (query.user) conditions.push(eq(interactions.user, query.user));
      if (query.topic) conditions.push(eq(interactions.topic, query.topic));
      if (query.sentiment) conditions.push(eq(interactions.sentiment, query.sentiment));
      if (query.feedbackType) conditions.push(eq(interactions.feedbackType, query.feedbackType));
      if (query.sort === "viewed") conditions.push(isNotNull(interactions.lastViewedAt));
      const order = query.sort === "viewed" ? desc(interactions.lastViewedAt) : desc(interactions.timestamp);
      // One row more than a page says whether there is a next page without counting every match.
      const rows = db
        .select(listColumns)
        .from(interactions)
        .where(conditions.length ? and(...conditions) : undefined)
        .orderBy(order, interactions.id)
        .limit(query.limit + 1)
        .offset(query.offset)
        .all();
      return { items: rows.slice(0, query.limit), hasMore: rows.length > query.limit };
    },

    facets() {
      const distinct = (column: typeof interactions.topic | typeof interactions.sentiment | typeof interactions.feedbackType) =>
        db
          .selectDistinct({ value: column })
          .from(interactions)
          .where(isNotNull(column))
          .orderBy(column)
          .limit(200)
          .all()
          .map((row) => row.value as string);
      return { topics: distinct(interactions.topic), sentiments: distinct(interactions.sentiment), feedbackTypes: distinct(interactions.feedbackType) };
    },

    findList(key) {
      return db.select().from(listCache).where(eq(listCache.key, key)).get();
    },

    saveList(key, responseJson, fetchedAt) {
      db.insert(listCache)
        .values({ key, responseJson, fetchedAt })
        .onConflictDoUpdate({ target: listCache.key, set: { responseJson, fetchedAt } })
        .run();
    },
  };
}
