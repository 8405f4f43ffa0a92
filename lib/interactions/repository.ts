import type { Store } from "@/db/client";
import type { ForgottenInteractionRow, InteractionRow, ListCacheRow } from "@/db/schema";
import type { Interaction } from "@/lib/nebuly/schemas";
export { COUNT_LIMIT } from "./list-limits";
import { createPostgresInteractionRepository } from "./repository.postgres";
import { createSqliteInteractionRepository } from "./repository.sqlite";
import type { SnippetPart } from "./search-snippet";

export interface CachedSearchQuery {
  text?: string;
  user?: string;
  topic?: string;
  sentiment?: string;
  feedbackType?: string;
  /** Only rows carrying every one of these labels, given by name key (lib/labels/names.ts labelNameKey). */
  labels?: readonly string[];
  /** Only rows carrying none of these labels (name keys). */
  excludeLabels?: readonly string[];
  /** Only rows of these project slugs; undefined: every row. An empty list matches nothing. */
  projects?: readonly string[];
  sort: "time" | "viewed";
  limit: number;
  offset: number;
}

/** A cached interaction as lists show it: indexed fields and short snippets, never the whole body. */
export interface CachedListItem {
  id: string;
  /** The configured project it was fetched with (lib/projects). */
  projectSlug: string;
  timestamp: Date | null;
  lastViewedAt: Date | null;
  user: string | null;
  topic: string | null;
  sentiment: string | null;
  feedbackType: string | null;
  query: string | null;
  output: string | null;
  /** For a text search: the text around the match, matches marked. */
  snippet?: SnippetPart[];
}

export interface CachedSearchResult {
  items: CachedListItem[];
  hasMore: boolean;
  /** How many interactions match, counted up to COUNT_LIMIT (counting further costs more than it tells). */
  count: number;
  /** More than COUNT_LIMIT match. */
  countIsLimit: boolean;
  /** How typed text was read, when there was any. */
  reading?: { nothingToSearch: boolean; notes: string[] };
  /**
   * Set when the search was not answered (lib/interactions/index.ts): it ran past its budget of
   * database time ("too_slow"), or too many searches were running to start it ("busy").
   */
  unanswered?: "too_slow" | "busy";
}

export interface CachedFacets {
  topics: string[];
  sentiments: string[];
  feedbackTypes: string[];
}

/** What forgetting an interaction removed. */
export interface ForgetOutcome {
  /** A snapshot was cached (with its search entry and its place in Recently viewed). */
  snapshot: boolean;
  /** Cached Nebuly list pages that listed it. */
  listPages: number;
  /** The share links to it that were open, now revoked (their addresses say "revoked"). */
  revokedLinks: string[];
  /** Whether any share link pointed to it, revoked before or now. */
  hadLinks: boolean;
}

/** A snapshot row as both stores return it (SQLite's full-text key stays inside its implementation). */
export type StoredInteraction = Omit<InteractionRow, "ftsRowid">;

/**
 * The snapshot store: snapshots, their search, forgotten marks and cached list pages. One
 * implementation per dialect (repository.sqlite.ts, repository.postgres.ts), the same behaviour,
 * proven by the same tests (repository.test.ts runs against both).
 */
export interface InteractionRepository {
  find(id: string): Promise<StoredInteraction | undefined>;
  /** Stores a fetched copy; null (and nothing stored) when the interaction has been forgotten meanwhile. */
  save(id: string, interaction: Interaction, rawJson: string, fetchedAt: Date, projectSlug: string): Promise<StoredInteraction | null>;
  /**
   * Erasure, in one transaction: revokes every open share link to the interaction (first: the
   * database refuses to delete a snapshot an unrevoked link points to), removes every local row
   * about it (snapshot, search entry, notes, list pages naming it) and marks it forgotten. When nothing
   * at all was stored about it (no snapshot, link, list page or earlier mark), changes nothing and
   * returns null, so an id nobody cached is not remembered.
   */
  forget(id: string, at: Date, by: string | null, projectSlug: string | null): Promise<ForgetOutcome | null>;
  /** Whether (when, by whom) the interaction was forgotten. */
  forgotten(id: string): Promise<ForgottenInteractionRow | undefined>;
  /** Lifts the mark, so the next fetch stores a snapshot again ("Fetch again from Nebuly"). */
  unforget(id: string): Promise<void>;
  /**
   * Up to `limit` snapshots neither fetched nor viewed since `cutoff`, that no unrevoked share
   * link points to (expired links too: their rows stay until retention prunes them), and that
   * carry no label and no note (the team's words need the snapshot they are about).
   */
  unusedSince(cutoff: Date, limit: number): Promise<string[]>;
  /** Deletes these snapshots with their search entries, in one transaction; returns how many. (unusedSince never offers one with notes.) */
  deleteSnapshots(ids: readonly string[]): Promise<number>;
  /** Deletes up to `limit` list pages fetched before `cutoff`; returns how many. */
  deleteListPagesBefore(cutoff: Date, limit: number): Promise<number>;
  recordView(id: string, at: Date): Promise<void>;
  /** `projects` as in CachedSearchQuery. */
  recentlyViewed(limit: number, projects?: readonly string[]): Promise<CachedListItem[]>;
  search(query: CachedSearchQuery): Promise<CachedSearchResult>;
  facets(projects?: readonly string[]): Promise<CachedFacets>;
  /** The projects whose cached list pages name `id` (list-cache keys start with the project's slug). */
  listedIn(id: string): Promise<string[]>;
  /** Whether some row belongs to none of `slugs` (snapshots of a project no longer configured). */
  hasRowsOutside(slugs: readonly string[]): Promise<boolean>;
  findList(key: string): Promise<ListCacheRow | undefined>;
  saveList(key: string, responseJson: string, fetchedAt: Date): Promise<void>;
}

export function createInteractionRepository(store: Store): InteractionRepository {
  return store.dialect === "sqlite" ? createSqliteInteractionRepository(store.db) : createPostgresInteractionRepository(store.db);
}
