import { and, desc, inArray, isNotNull, sql } from "drizzle-orm";
import type { SqliteDb, Store } from "@/db/client";
import { createPostgresBrowseCacheRows } from "./browse-cache.postgres";
import { interactions } from "@/db/schema";
import { tagsOf } from "@/lib/render/interaction-view";
import { MAX_VALUE_CHARS } from "./browse-query";
import { titleSql } from "./repository.sqlite";

/** Values seen in the cache that Browse offers as suggestions (the list API has no "which values exist"). */
export interface CachedSuggestions {
  users: string[];
  intents: string[];
  problems: string[];
  tagNames: string[];
  tagValues: string[];
}

/** What a list row shows of an interaction that is cached here. */
export interface CachedSummary {
  title: string | null;
  topic: string | null;
  sentiment: string | null;
  feedbackType: string | null;
}

export interface BrowseCache {
  /** `projects`: only rows of these slugs; undefined: every row. */
  suggestions(projects?: readonly string[]): Promise<CachedSuggestions>;
  /** The cached ones among `ids` (of `projects`, when given), in one query. */
  summaries(ids: readonly string[], projects?: readonly string[]): Promise<Map<string, CachedSummary>>;
}

/**
 * Suggestions come from the most recent interactions only: their users and labels are the ones
 * people look for, and reading a bounded number of bodies keeps a Browse render cheap however
 * large the cache grows.
 */
const RECENT_USERS = 500;
const RECENT_BODIES = 200;
const MAX_SUGGESTIONS = 200;
const MAX_IDS = 100;

const EMPTY: CachedSuggestions = { users: [], intents: [], problems: [], tagNames: [], tagValues: [] };

class ValueSet {
  private readonly values = new Set<string>();
  add(value: unknown, maxChars = MAX_VALUE_CHARS) {
    if (typeof value !== "string" && typeof value !== "number") return;
    const text = String(value).trim();
    if (text && text.length <= maxChars && this.values.size < MAX_SUGGESTIONS) this.values.add(text);
  }
  sorted(): string[] {
    return [...this.values].sort((a, b) => a.localeCompare(b, "en"));
  }
}

function labels(value: unknown): unknown[] {
  const list = Array.isArray(value) ? value : value === null || value === undefined ? [] : [value];
  return list.map((item) => (item && typeof item === "object" ? (item as Record<string, unknown>).name : item));
}

/**
 * What Browse reads from one store: the few queries that differ between SQLite and Postgres. The
 * rest (which values count, how they are parsed and bounded) is written once, in browseCacheOver.
 */
export interface BrowseCacheRows {
  /** The users of the `limit` most recent interactions (of `projects`, when given). */
  recentUsers(limit: number, projects: readonly string[] | undefined): Promise<(string | null)[]>;
  /**
   * The `limit` most recent bodies' intent, risky_behavior and tags, each body's three values as
   * one JSON array text (null for a body the store cannot read).
   */
  recentLabels(limit: number, projects: readonly string[] | undefined): Promise<(string | null)[]>;
  /** The cached ones among `ids` (already unique and bounded). */
  summaries(ids: string[], projects: readonly string[] | undefined): Promise<({ id: string } & CachedSummary)[]>;
}

function browseCacheOver(rows: BrowseCacheRows): BrowseCache {
  return {
    async suggestions(projects) {
      try {
        const users = new ValueSet();
        for (const user of await rows.recentUsers(RECENT_USERS, projects)) users.add(user);

        const intents = new ValueSet();
        const problems = new ValueSet();
        const tagNames = new ValueSet();
        const tagValues = new ValueSet();
        for (const fields of await rows.recentLabels(RECENT_BODIES, projects)) {
          if (!fields) continue;
          const [intent, risky, tags] = JSON.parse(fields) as [unknown, unknown, unknown];
          intents.add(intent);
          for (const label of labels(risky)) problems.add(label);
          for (const { key, value } of tagsOf(tags).slice(0, 50)) {
            tagNames.add(key, 100);
            tagValues.add(value);
          }
        }
        return { users: users.sorted(), intents: intents.sorted(), problems: problems.sorted(), tagNames: tagNames.sorted(), tagValues: tagValues.sorted() };
      } catch {
        // Suggestions are a convenience: a body the store cannot read must not break the list.
        return EMPTY;
      }
    },

    async summaries(ids, projects) {
      const wanted = [...new Set(ids)].slice(0, MAX_IDS);
      if (wanted.length === 0) return new Map();
      const found = await rows.summaries(wanted, projects);
      return new Map(found.map(({ id, ...summary }) => [id, summary]));
    },
  };
}

/** Browse's queries on SQLite (better-sqlite3 is synchronous; the methods are async for the interface). */
function createSqliteBrowseCacheRows(db: SqliteDb): BrowseCacheRows {
  const ofProjects = (projects: readonly string[] | undefined) => (projects === undefined ? undefined : projects.length ? inArray(interactions.projectSlug, [...projects]) : sql`0`);
  return {
    async recentUsers(limit, projects) {
      return db
        .select({ user: interactions.user })
        .from(interactions)
        .where(and(isNotNull(interactions.timestamp), ofProjects(projects)))
        .orderBy(desc(interactions.timestamp))
        .limit(limit)
        .all()
        .map((row) => row.user);
    },

    async recentLabels(limit, projects) {
      // One JSON parse per body: the three fields come back as one small array.
      return db
        .select({ fields: sql<string | null>`json_extract(${interactions.rawJson}, '$.intent', '$.risky_behavior', '$.tags')` })
        .from(interactions)
        .where(and(isNotNull(interactions.timestamp), ofProjects(projects)))
        .orderBy(desc(interactions.timestamp))
        .limit(limit)
        .all()
        .map((row) => row.fields);
    },

    async summaries(ids, projects) {
      return db
        .select({
          id: interactions.id,
          title: titleSql(interactions.rawJson),
          topic: interactions.topic,
          sentiment: interactions.sentiment,
          feedbackType: interactions.feedbackType,
        })
        .from(interactions)
        .where(and(inArray(interactions.id, ids), ofProjects(projects)))
        .all();
    },
  };
}

export function createBrowseCache(store: Store): BrowseCache {
  return browseCacheOver(store.dialect === "sqlite" ? createSqliteBrowseCacheRows(store.db) : createPostgresBrowseCacheRows(store.db));
}
