import { sql } from "drizzle-orm";
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

/**
 * The interaction snapshot store: one row per interaction, the body exactly as Nebuly sent it,
 * and copies of the fields that lists filter and sort on as real, indexed columns.
 * Rows are only ever replaced by a newer successful fetch, never deleted by an upstream failure.
 */
export const interactions = sqliteTable(
  "interactions",
  {
    id: text("id").primaryKey(),
    rawJson: text("raw_json").notNull(),
    fetchedAt: integer("fetched_at", { mode: "timestamp_ms" }).notNull(),
    lastViewedAt: integer("last_viewed_at", { mode: "timestamp_ms" }),
    /** Interaction time in epoch ms, parsed from Nebuly's `timestamp`; null when absent or unparseable. */
    timestamp: integer("timestamp", { mode: "timestamp_ms" }),
    user: text("user"),
    topic: text("topic"),
    sentiment: text("sentiment"),
    feedbackType: text("feedback_type"),
    projectId: text("project_id"),
    /**
     * The configured project (lib/projects) whose key fetched this snapshot: it decides who may see
     * the row and which key refreshes it. Rows cached before projects existed belong to the one
     * project NEBULY_API_KEY configured, whose slug is "default".
     */
    projectSlug: text("project_slug").notNull().default("default"),
    conversationId: text("conversation_id"),
    /**
     * This row's document in interactions_fts and interactions_trigram (the full-text indexes): a key
     * that orders like `timestamp` (see ftsKey in lib/interactions/repository.ts), so a search walks
     * the index newest first and stops after a page.
     */
    ftsRowid: integer("fts_rowid"),
  },
  (table) => [
    index("interactions_timestamp_idx").on(table.timestamp),
    index("interactions_last_viewed_at_idx").on(table.lastViewedAt),
    // Retention finds snapshots neither fetched nor viewed since a cutoff in this index alone.
    index("interactions_fetched_at_idx").on(table.fetchedAt, table.lastViewedAt),
    // Filter column first, time second: a filtered list walks one index in time order and stops
    // after a page, instead of sorting every match.
    index("interactions_user_idx").on(table.user, table.timestamp),
    index("interactions_topic_idx").on(table.topic, table.timestamp),
    index("interactions_sentiment_idx").on(table.sentiment, table.timestamp),
    index("interactions_feedback_type_idx").on(table.feedbackType, table.timestamp),
    index("interactions_project_id_idx").on(table.projectId),
    // A project's own lists (plain, last viewed, filtered) and facets, each read in list order
    // (time or view newest first, then id) without reading another project's row: the global
    // indexes above hold every project's rows, and walking past a hidden project's takes time a
    // viewer can measure. The repository names them (INDEXED BY) for every read scoped to projects.
    index("interactions_project_time_idx").on(table.projectSlug, sql`${table.timestamp} DESC`, table.id),
    index("interactions_project_viewed_idx").on(table.projectSlug, sql`${table.lastViewedAt} DESC`, table.id),
    index("interactions_project_user_idx").on(table.projectSlug, table.user, sql`${table.timestamp} DESC`, table.id),
    index("interactions_project_topic_idx").on(table.projectSlug, table.topic, sql`${table.timestamp} DESC`, table.id),
    index("interactions_project_sentiment_idx").on(table.projectSlug, table.sentiment, sql`${table.timestamp} DESC`, table.id),
    index("interactions_project_feedback_type_idx").on(table.projectSlug, table.feedbackType, sql`${table.timestamp} DESC`, table.id),
    index("interactions_conversation_id_idx").on(table.conversationId),
    // A search walks a full-text index in rowid order and joins each match to its row here. The
    // filter columns ride along so filters are checked in the index, never in the wide row (whose
    // raw_json comes first); counting rows under two filters scans this index, not the table.
    index("interactions_fts_rowid_idx").on(table.ftsRowid, table.topic, table.sentiment, table.feedbackType, table.user, table.lastViewedAt, table.projectSlug),
  ],
);

export type InteractionRow = typeof interactions.$inferSelect;
export type NewInteractionRow = typeof interactions.$inferInsert;

/**
 * Interactions someone asked this inspector to forget (erasure): the snapshot and every local row
 * about it are gone, and this row (the id only, no content) remains so the page says so and
 * nothing fetches it again by accident. "Fetch again from Nebuly" deletes it.
 */
export const forgottenInteractions = sqliteTable("forgotten_interactions", {
  id: text("id").primaryKey(),
  forgottenAt: integer("forgotten_at", { mode: "timestamp_ms" }).notNull(),
  /** The viewer's name; null when access is open. */
  forgottenBy: text("forgotten_by"),
  /** The project the snapshot belonged to: only its viewers learn that the id was forgotten. Null: unknown (never cached). */
  projectSlug: text("project_slug"),
});

export type ForgottenInteractionRow = typeof forgottenInteractions.$inferSelect;

/**
 * Nebuly list responses, kept briefly (see LIST_CACHE_TTL_MS) so paging back and forth or
 * reloading a filtered list does not spend the Nebuly quota. Keyed by the normalised query.
 */
export const listCache = sqliteTable("list_cache", {
  key: text("key").primaryKey(),
  responseJson: text("response_json").notNull(),
  fetchedAt: integer("fetched_at", { mode: "timestamp_ms" }).notNull(),
});

export type ListCacheRow = typeof listCache.$inferSelect;

/*
 * interactions_fts: full-text index (SQLite FTS5, unicode61 words) over the user query and every
 * turn's input and output, one document per interaction (rowid = interactions.fts_rowid), written
 * in the same transaction as the row. interactions_trigram indexes the same text (read from
 * interactions_fts) by trigrams, to find text inside words and in scripts written without spaces;
 * interactions_trigram_vocab lists its trigrams. Declared in custom drizzle-kit migrations
 * (0002_interactions_fts.sql, 0005_interactions_trigram.sql) because drizzle-kit cannot express
 * virtual tables.
 */

/** Instance settings the app generates for itself, e.g. the session secret when SESSION_SECRET is unset. */
export const appSettings = sqliteTable("app_settings", {
  key: text("key").primaryKey(),
  value: text("value").notNull(),
});

/**
 * Governed share links. Only the SHA-256 of a token is stored; the token itself is shown once.
 * No foreign key to interactions: a revoked link outlives its forgotten snapshot, so its address
 * still says "revoked". Instead a trigger (drizzle/0008_share_link_guard.sql) refuses to delete a
 * snapshot that an unrevoked link points to, expired or not.
 */
export const shareLinks = sqliteTable(
  "share_links",
  {
    id: text("id").primaryKey(),
    tokenHash: text("token_hash").notNull(),
    interactionId: text("interaction_id").notNull(),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
    createdBy: text("created_by"),
    expiresAt: integer("expires_at", { mode: "timestamp_ms" }),
    revokedAt: integer("revoked_at", { mode: "timestamp_ms" }),
    hideSensitive: integer("hide_sensitive", { mode: "boolean" }).notNull(),
    views: integer("views").notNull().default(0),
    lastViewedAt: integer("last_viewed_at", { mode: "timestamp_ms" }),
  },
  (table) => [uniqueIndex("share_links_token_hash_idx").on(table.tokenHash), index("share_links_interaction_id_idx").on(table.interactionId)],
);

export type ShareLinkRow = typeof shareLinks.$inferSelect;

/**
 * Sign-in sessions, kept server-side so they can be revoked: the cookie carries only a signed
 * random id, and this row (found by the id's SHA-256) decides whether it still counts. Signing
 * out revokes the row; "sign out everywhere" revokes every row of the viewer; a changed password
 * no longer matches `passwordTag`, so every password session ends with it.
 */
export const sessions = sqliteTable(
  "sessions",
  {
    idHash: text("id_hash").primaryKey(),
    viewer: text("viewer").notNull(),
    /** HMAC of the password the session was opened with; null for sessions not made by a password. */
    passwordTag: text("password_tag"),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
    lastSeenAt: integer("last_seen_at", { mode: "timestamp_ms" }).notNull(),
    expiresAt: integer("expires_at", { mode: "timestamp_ms" }).notNull(),
    revokedAt: integer("revoked_at", { mode: "timestamp_ms" }),
    /** The client that signed in, for the audit trail and the "where am I signed in" question. */
    client: text("client"),
    /**
     * The name the person gave at a password sign-in (one shared password names nobody): the
     * author of their notes. Null for sessions opened before names were asked, and for SSO.
     */
    displayName: text("display_name"),
  },
  (table) => [index("sessions_viewer_idx").on(table.viewer), index("sessions_expires_at_idx").on(table.expiresAt)],
);

export type SessionRow = typeof sessions.$inferSelect;

/**
 * Who did what, when, from which client: sign-ins (ok and failed), sign-outs, share links
 * (created, viewed, revoked) and refreshes. Append-only; rows older than the retention are pruned.
 */
export const auditEvents = sqliteTable(
  "audit_events",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    at: integer("at", { mode: "timestamp_ms" }).notNull(),
    action: text("action").notNull(),
    /** The viewer's name, or null for an anonymous request (a failed sign-in, a share view). */
    actor: text("actor"),
    client: text("client"),
    /** What the action was about: an interaction id, a share link id. */
    target: text("target"),
    /** Small JSON object with action-specific facts (never a secret). */
    detail: text("detail"),
    /**
     * The project of the interaction the event is about, so a viewer who may not see that project
     * does not see the event either (lib/projects). Null: about no interaction (sign-ins), or one
     * stored nowhere here; such events are everyone's.
     */
    projectSlug: text("project_slug"),
  },
  (table) => [index("audit_events_at_idx").on(table.at), index("audit_events_action_idx").on(table.action, table.at)],
);

export type AuditEventRow = typeof auditEvents.$inferSelect;

/*
 * Reviewing (README "Reviewing"): team-wide labels on interactions, and notes. Both are keyed by
 * interaction id without a foreign key to the snapshot: a refresh replaces the snapshot's row and
 * must not touch them, and Forget removes them explicitly, in the same transaction as the snapshot.
 */

/** A team-wide label. Its colour is a name from a fixed palette, so no stored value reaches CSS. */
export const labels = sqliteTable(
  "labels",
  {
    id: text("id").primaryKey(),
    name: text("name").notNull(),
    /** The name as compared for sameness (NFKC, lower case, spaces collapsed): "Billing" and "billing " are one label. */
    nameKey: text("name_key").notNull(),
    color: text("color").notNull(),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
    createdBy: text("created_by"),
    updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull(),
  },
  (table) => [uniqueIndex("labels_name_key_idx").on(table.nameKey)],
);

export type LabelRow = typeof labels.$inferSelect;

/** Which interactions carry which labels. Deleting a label deletes its rows here (cascade). */
export const interactionLabels = sqliteTable(
  "interaction_labels",
  {
    interactionId: text("interaction_id").notNull(),
    labelId: text("label_id")
      .notNull()
      .references(() => labels.id, { onDelete: "cascade" }),
    addedAt: integer("added_at", { mode: "timestamp_ms" }).notNull(),
    addedBy: text("added_by"),
  },
  (table) => [primaryKey({ columns: [table.interactionId, table.labelId] }), index("interaction_labels_label_idx").on(table.labelId, table.interactionId)],
);

/** A note on an interaction, optionally about one turn. Markdown, shown with the messages' safe renderer. */
export const notes = sqliteTable(
  "notes",
  {
    id: text("id").primaryKey(),
    interactionId: text("interaction_id").notNull(),
    /** The turn it is pinned to (as the page numbers turns, #turn-N), or null for the whole interaction. */
    turn: integer("turn"),
    body: text("body").notNull(),
    /** The author's name: from SSO, the session's display name, or (open mode) what the browser says. */
    author: text("author").notNull(),
    /** False when the name is only what an open inspector's browser claimed. */
    authorVerified: integer("author_verified", { mode: "boolean" }).notNull(),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
    /** When the author last edited it; null when never. */
    updatedAt: integer("updated_at", { mode: "timestamp_ms" }),
  },
  (table) => [index("notes_interaction_idx").on(table.interactionId, table.createdAt)],
);

export type NoteRow = typeof notes.$inferSelect;
