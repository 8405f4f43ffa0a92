import { sql } from "drizzle-orm";
import { boolean, customType, index, integer, pgTable, primaryKey, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";

/*
 * The Postgres store (DATABASE_URL=postgres://…): the same tables, columns and meaning as the
 * SQLite schema in db/schema.ts, whose comments say why each exists. Rows read from either store
 * have the same TypeScript shape (dates are Date, flags boolean), so services never know which
 * store they run on. Only search differs: SQLite keeps its full-text indexes in FTS5 virtual
 * tables; here the searchable text is a column of the row (folded as searches compare it), indexed
 * by words (tsvector, GIN), by trigrams (pg_trgm, GIN) for text inside words, and by character
 * pairs (GIN) for two-character searches in scripts written without spaces.
 */

/** A time with its zone, read and written as a JavaScript Date (millisecond precision, as in SQLite). */
const at = (name: string) => timestamp(name, { withTimezone: true, mode: "date" });

const tsvector = customType<{ data: string }>({ dataType: () => "tsvector" });

export const interactions = pgTable(
  "interactions",
  {
    id: text("id").primaryKey(),
    rawJson: text("raw_json").notNull(),
    fetchedAt: at("fetched_at").notNull(),
    lastViewedAt: at("last_viewed_at"),
    timestamp: at("timestamp"),
    user: text("user"),
    topic: text("topic"),
    sentiment: text("sentiment"),
    feedbackType: text("feedback_type"),
    projectId: text("project_id"),
    projectSlug: text("project_slug").notNull().default("default"),
    conversationId: text("conversation_id"),
    /**
     * What a search reads: the user query and every turn's input and output (searchableText in
     * lib/interactions/search-text.ts), written with the row so the two never disagree. Snippets
     * are cut from it; nothing searches it directly.
     */
    searchBody: text("search_body").notNull().default(""),
    /**
     * The same text folded as searches compare it (lower case, accents off Latin letters: foldText
     * in lib/interactions/repository.postgres.ts), one character for each character of
     * search_body, so a position found here is the same position there. Folded in TypeScript so
     * that what matches does not depend on the server's locale. Searched inside words (trigram index).
     */
    searchFolded: text("search_folded").notNull().default(""),
    /**
     * Every distinct two-character sequence of search_folded with a character of a script written
     * without spaces (Chinese, Japanese…) and no space or punctuation: what a two-character search
     * in those scripts asks for (a trigram index cannot find two characters, and there two
     * characters are often a whole word).
     */
    searchPairs: text("search_pairs").array().notNull().default(sql`'{}'::text[]`),
    /**
     * Its words, for word and phrase searches; 'simple' so no language's stemming changes what
     * matches. Of the first 131,072 characters only (SEARCH_WORDS_CHARS in the repository): a
     * tsvector cannot exceed 1 MB. Text past them is still found inside words.
     */
    searchWords: tsvector("search_words")
      .notNull()
      .generatedAlwaysAs(sql`to_tsvector('simple'::regconfig, left(search_folded, 131072))`),
  },
  (table) => [
    index("interactions_timestamp_idx").on(table.timestamp.desc().nullsLast(), table.id),
    index("interactions_last_viewed_at_idx").on(table.lastViewedAt),
    index("interactions_fetched_at_idx").on(table.fetchedAt, table.lastViewedAt),
    index("interactions_project_id_idx").on(table.projectId),
    // Every list read names one project with `=` (a UNION ALL arm per project the viewer may see),
    // and these indexes lead with it: a page, a filter, a count or a facet reads the viewer's rows
    // only, so how many rows a hidden project holds (or which people, topics and days) changes
    // neither the answer nor its time. Each is in its list's order, so a page stops after a page.
    index("interactions_project_time_idx").on(table.projectSlug, table.timestamp.desc().nullsLast(), table.id),
    index("interactions_project_viewed_idx").on(table.projectSlug, table.lastViewedAt.desc(), table.id),
    index("interactions_project_user_idx").on(table.projectSlug, table.user, table.timestamp.desc().nullsLast(), table.id),
    index("interactions_project_topic_idx").on(table.projectSlug, table.topic, table.timestamp.desc().nullsLast(), table.id),
    index("interactions_project_sentiment_idx").on(table.projectSlug, table.sentiment, table.timestamp.desc().nullsLast(), table.id),
    index("interactions_project_feedback_type_idx").on(table.projectSlug, table.feedbackType, table.timestamp.desc().nullsLast(), table.id),
    index("interactions_conversation_id_idx").on(table.conversationId),
    // Led by the project (btree_gin, drizzle/postgres/0004_btree_gin.sql): a search names the
    // viewer's projects one by one, and the index leaves out every other project's rows before
    // any is read, so what a hidden project holds changes neither the answer nor its time.
    index("interactions_search_words_idx").using("gin", table.projectSlug, table.searchWords),
    // Needs the pg_trgm extension (drizzle/postgres/0000_extensions.sql).
    index("interactions_search_trigram_idx").using("gin", table.projectSlug, table.searchFolded.op("gin_trgm_ops")),
    index("interactions_search_pairs_idx").using("gin", table.projectSlug, table.searchPairs),
  ],
);

export const forgottenInteractions = pgTable("forgotten_interactions", {
  id: text("id").primaryKey(),
  forgottenAt: at("forgotten_at").notNull(),
  forgottenBy: text("forgotten_by"),
  projectSlug: text("project_slug"),
});

export const listCache = pgTable("list_cache", {
  key: text("key").primaryKey(),
  responseJson: text("response_json").notNull(),
  fetchedAt: at("fetched_at").notNull(),
});

export const appSettings = pgTable("app_settings", {
  key: text("key").primaryKey(),
  value: text("value").notNull(),
});

/**
 * As in SQLite, a trigger refuses to delete a snapshot that an unrevoked link points to
 * (drizzle/postgres/0002_share_link_guard.sql).
 */
export const shareLinks = pgTable(
  "share_links",
  {
    id: text("id").primaryKey(),
    tokenHash: text("token_hash").notNull(),
    interactionId: text("interaction_id").notNull(),
    createdAt: at("created_at").notNull(),
    createdBy: text("created_by"),
    expiresAt: at("expires_at"),
    revokedAt: at("revoked_at"),
    hideSensitive: boolean("hide_sensitive").notNull(),
    views: integer("views").notNull().default(0),
    lastViewedAt: at("last_viewed_at"),
  },
  (table) => [uniqueIndex("share_links_token_hash_idx").on(table.tokenHash), index("share_links_interaction_id_idx").on(table.interactionId)],
);

export const sessions = pgTable(
  "sessions",
  {
    idHash: text("id_hash").primaryKey(),
    viewer: text("viewer").notNull(),
    passwordTag: text("password_tag"),
    createdAt: at("created_at").notNull(),
    lastSeenAt: at("last_seen_at").notNull(),
    expiresAt: at("expires_at").notNull(),
    revokedAt: at("revoked_at"),
    client: text("client"),
    displayName: text("display_name"),
  },
  (table) => [index("sessions_viewer_idx").on(table.viewer), index("sessions_expires_at_idx").on(table.expiresAt)],
);

export const auditEvents = pgTable(
  "audit_events",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    at: at("at").notNull(),
    action: text("action").notNull(),
    actor: text("actor"),
    client: text("client"),
    target: text("target"),
    detail: text("detail"),
    projectSlug: text("project_slug"),
  },
  (table) => [index("audit_events_at_idx").on(table.at), index("audit_events_action_idx").on(table.action, table.at)],
);

/*
 * Coordination between replicas. A SQLite store has one process, which keeps these in memory;
 * replicas sharing Postgres keep them here, so that what one replica counts or claims the others
 * see at once.
 */

/**
 * Fixed-window counters (lib/access/rate-limit.ts): the per-client request budget and the login
 * throttle, counted across replicas so a client cannot multiply its allowance by their number.
 * A window starts at its first hit; stale rows are pruned by retention.
 */
export const rateWindows = pgTable(
  "rate_windows",
  {
    /** Which limit: "budget", "login-client", "login-device", "login-global". */
    scope: text("scope").notNull(),
    key: text("key").notNull(),
    windowStart: at("window_start").notNull(),
    count: integer("count").notNull(),
  },
  (table) => [primaryKey({ columns: [table.scope, table.key] }), index("rate_windows_window_start_idx").on(table.windowStart)],
);

/**
 * Who is fetching an interaction from Nebuly right now (lib/interactions/fetch-lease.ts): one
 * replica fetches, the others wait for its snapshot, so a stampede on one id over several replicas
 * costs one upstream call. A lease expires by itself if its replica dies mid-fetch.
 */
export const fetchLeases = pgTable("fetch_leases", {
  key: text("key").primaryKey(),
  holder: text("holder").notNull(),
  expiresAt: at("expires_at").notNull(),
});

/* Reviewing: labels and notes, as in SQLite (db/schema.ts says why they have no key to the snapshot). */

export const labels = pgTable(
  "labels",
  {
    id: text("id").primaryKey(),
    name: text("name").notNull(),
    nameKey: text("name_key").notNull(),
    color: text("color").notNull(),
    createdAt: at("created_at").notNull(),
    createdBy: text("created_by"),
    updatedAt: at("updated_at").notNull(),
  },
  (table) => [uniqueIndex("labels_name_key_idx").on(table.nameKey)],
);

export const interactionLabels = pgTable(
  "interaction_labels",
  {
    interactionId: text("interaction_id").notNull(),
    labelId: text("label_id")
      .notNull()
      .references(() => labels.id, { onDelete: "cascade" }),
    addedAt: at("added_at").notNull(),
    addedBy: text("added_by"),
  },
  (table) => [primaryKey({ columns: [table.interactionId, table.labelId] }), index("interaction_labels_label_idx").on(table.labelId, table.interactionId)],
);

export const notes = pgTable(
  "notes",
  {
    id: text("id").primaryKey(),
    interactionId: text("interaction_id").notNull(),
    turn: integer("turn"),
    body: text("body").notNull(),
    author: text("author").notNull(),
    authorVerified: boolean("author_verified").notNull(),
    createdAt: at("created_at").notNull(),
    updatedAt: at("updated_at"),
  },
  (table) => [index("notes_interaction_idx").on(table.interactionId, table.createdAt)],
);
