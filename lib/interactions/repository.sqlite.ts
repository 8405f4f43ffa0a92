import { and, desc, eq, inArray, isNotNull, notInArray, sql, type AnyColumn, type SQL } from "drizzle-orm";
import type { SqliteDb } from "@/db/client";
import { forgottenInteractions, interactions, listCache, type InteractionRow } from "@/db/schema";
import { parseTimestamp } from "@/lib/format";
import type { Interaction } from "@/lib/nebuly/schemas";
import { TITLE_JSON_PATHS, TITLE_MAX } from "@/lib/nebuly/title";
import { COUNT_LIMIT, SNIPPET_CHARS } from "./list-limits";
import type { CachedSearchQuery, CachedSearchResult, ForgetOutcome, InteractionRepository } from "./repository";
import { MATCH_CLOSE, MATCH_OPEN, snippetParts } from "./search-snippet";
import {
  allOf,
  anyOf,
  ftsString,
  parseSearch,
  searchableText,
  shortItemNotes,
  substringForm,
  wordQuery,
  wordsQuery,
  type ParsedSearch,
  type SearchItem,
} from "./search-text";

/*
 * The snapshot store on SQLite: full-text search through two FTS5 indexes (words and trigrams)
 * kept in the same transactions as the rows. better-sqlite3 is synchronous; the methods are async
 * only to share the interface with Postgres.
 */

/** A two-character search looks up at most this many trigrams starting with it (an OR of them). */
const PAIR_TRIGRAMS_MAX = 512;

/*
 * Full-text rowids ("keys") order like interaction time, so the indexes themselves are walked
 * newest first: key = timestamp in ms × KEY_SLOTS + slot. Interactions without a usable time (or
 * past KEY_SLOTS in one millisecond) get keys from UNDATED_KEY_FIRST up, below every dated key.
 * Keys stay below 2^53, exact in JavaScript. drizzle/0005_interactions_trigram.sql assigns the same.
 */
const KEY_SLOTS = 1_000;
const KEYED_MS_MAX = 8e12;
const UNDATED_KEY_FIRST = -9e15;
const UNDATED_KEY_END = -8e15;

const WORD_INDEX = "interactions_fts";
const TRIGRAM_INDEX = "interactions_trigram";
type FtsIndex = typeof WORD_INDEX | typeof TRIGRAM_INDEX;
// How much text a snippet shows: words in the word index, characters (trigrams) in the other.
const SNIPPET_TOKENS: Record<FtsIndex, number> = { [WORD_INDEX]: 24, [TRIGRAM_INDEX]: 64 };

/** The interaction's title in SQL, built from the one definition in lib/nebuly/title.ts. */
export function titleSql(rawJson: AnyColumn): SQL<string | null> {
  const candidates = TITLE_JSON_PATHS.map((path) => sql`nullif(trim(json_extract(${rawJson}, ${path})), '')`);
  return sql<string | null>`substr(coalesce(${sql.join(candidates, sql`, `)}), 1, ${TITLE_MAX})`;
}

// Snippets are cut in SQL so a list never loads megabyte bodies.
const outputSql = sql<string | null>`substr(json_extract(${interactions.rawJson}, '$.output'), 1, ${SNIPPET_CHARS})`;
const listColumns = {
  id: interactions.id,
  projectSlug: interactions.projectSlug,
  timestamp: interactions.timestamp,
  lastViewedAt: interactions.lastViewedAt,
  user: interactions.user,
  topic: interactions.topic,
  sentiment: interactions.sentiment,
  feedbackType: interactions.feedbackType,
  query: titleSql(interactions.rawJson),
  output: outputSql,
};

// The same columns for hand-written SQL (full-text searches join the index and the table).
const listColumnsSql = sql.join(
  Object.entries(listColumns).map(([name, column]) => sql`${column} AS ${sql.identifier(name)}`),
  sql`, `,
);

interface ListRowSql {
  id: string;
  projectSlug: string;
  timestamp: number | null;
  lastViewedAt: number | null;
  user: string | null;
  topic: string | null;
  sentiment: string | null;
  feedbackType: string | null;
  query: string | null;
  output: string | null;
  snippet: string | null;
}

const dateOf = (ms: number | null) => (ms === null ? null : new Date(ms));

/**
 * Which rows a search may return, decided before reading the indexes (see tierSql). "all": no
 * filter. "few": the filters leave at most FEW_ROWS rows, so the indexes are asked about those
 * rows only. "many": the filters leave more, and are checked against each match.
 */
type Scope = { kind: "all" } | { kind: "none" } | { kind: "few"; rowids: SQL } | { kind: "many" };

/** A condition on a document's rowid, given the rowid expression and the scope. */
type RowidCondition = (rowid: SQL, scope: Scope) => SQL;

/** One ranked slice of the matches: an index, the FTS5 query run on it, and rowid conditions. */
interface Tier {
  index: FtsIndex;
  match: string;
  /** Further conditions on the document's rowid (membership in the other index). */
  conditions: RowidCondition[];
}

/** Up to this many rows after filtering, the indexes are asked about each row instead of read in order. */
const FEW_ROWS = 200;

const indexName = (index: FtsIndex) => sql.raw(index);
/** The documents of `index` matching `match` (only those in scope, when the scope is few rows). */
const matching = (index: FtsIndex, match: string, scope: Scope) =>
  sql`SELECT rowid FROM ${indexName(index)} WHERE ${indexName(index)} MATCH ${match}${scope.kind === "few" ? sql` AND rowid IN (${scope.rowids})` : sql``}`;
const inIndex =
  (index: FtsIndex, match: string): RowidCondition =>
  (rowid, scope) =>
    sql`${rowid} IN (${matching(index, match, scope)})`;
const notInIndex =
  (index: FtsIndex, match: string): RowidCondition =>
  (rowid, scope) =>
    sql`${rowid} NOT IN (${matching(index, match, scope)})`;

/**
 * The full-text documents: one per snapshot, its searchable text and its notes' bodies (notes are
 * in /cached search). The snapshot store writes them with the row; lib/notes re-indexes through
 * `reindex` in the same transaction as the note it writes. Synchronous, so it joins any
 * better-sqlite3 transaction it is called in.
 */
export function sqliteSearchDocuments(db: SqliteDb) {
  const sqlite = db.$client;
  // Full-text rowids are bound as BigInt: FTS5 mishandles `rowid = ?` bound as a floating-point
  // number next to MATCH (it returns every match), and that is how JavaScript numbers bind.
  const findKey = sqlite.prepare<[string], { fts_rowid: number | null }>("SELECT fts_rowid FROM interactions WHERE id = ?");
  const selectBody = sqlite.prepare<[bigint], { body: string }>("SELECT body FROM interactions_fts WHERE rowid = ?");
  const insertWords = sqlite.prepare("INSERT INTO interactions_fts (rowid, body) VALUES (?, ?)");
  const updateWords = sqlite.prepare("UPDATE interactions_fts SET body = ? WHERE rowid = ?");
  const deleteWords = sqlite.prepare("DELETE FROM interactions_fts WHERE rowid = ?");
  // interactions_trigram reads its text from interactions_fts, so it is told the old text to forget.
  const insertTrigrams = sqlite.prepare("INSERT INTO interactions_trigram (rowid, body) VALUES (?, ?)");
  const deleteTrigrams = sqlite.prepare("INSERT INTO interactions_trigram (interactions_trigram, rowid, body) VALUES ('delete', ?, ?)");
  const topKeyBetween = sqlite.prepare<[bigint, bigint], { top: number | null }>("SELECT max(fts_rowid) AS top FROM interactions WHERE fts_rowid BETWEEN ? AND ?");
  const topKey = (first: number, last: number) => topKeyBetween.get(BigInt(first), BigInt(last))?.top ?? null;
  const msOf = (timestamp: Date | null) => {
    const ms = timestamp?.getTime();
    return ms !== undefined && Number.isInteger(ms) && Math.abs(ms) <= KEYED_MS_MAX ? ms : null;
  };
  const slotsFull = (ms: number) => topKey(ms * KEY_SLOTS, ms * KEY_SLOTS + KEY_SLOTS - 1) === ms * KEY_SLOTS + KEY_SLOTS - 1;

  /** A free key for an interaction at this time (see KEY_SLOTS). */
  function ftsKey(timestamp: Date | null): number {
    const ms = msOf(timestamp);
    if (ms !== null) {
      const top = topKey(ms * KEY_SLOTS, ms * KEY_SLOTS + KEY_SLOTS - 1);
      const key = top === null ? ms * KEY_SLOTS : top + 1;
      if (key < ms * KEY_SLOTS + KEY_SLOTS) return key;
    }
    const top = topKey(UNDATED_KEY_FIRST, UNDATED_KEY_END - 1);
    return top === null ? UNDATED_KEY_FIRST : top + 1;
  }

  /** Whether a row's key still orders it right after its time was (re)read. */
  function keyFits(key: number, timestamp: Date | null): boolean {
    const ms = msOf(timestamp);
    if (ms !== null && key >= ms * KEY_SLOTS && key < ms * KEY_SLOTS + KEY_SLOTS) return true;
    return key < UNDATED_KEY_END && (ms === null || slotsFull(ms));
  }

  const noteBodiesOf = sqlite.prepare<[string], { body: string }>("SELECT body FROM notes WHERE interaction_id = ? ORDER BY created_at, id");
  const snapshotOf = sqlite.prepare<[string], { raw_json: string; fts_rowid: number | null; timestamp: number | null }>("SELECT raw_json, fts_rowid, timestamp FROM interactions WHERE id = ?");

  /** Writes `body` as the document of the snapshot now keyed `key` (null: none yet); returns its key. */
  function place(key: number | null, timestamp: Date | null, body: string): number {
    const old = key === null ? undefined : selectBody.get(BigInt(key));
    if (key !== null && keyFits(key, timestamp)) {
      if (old?.body !== body) {
        const rowid = BigInt(key);
        if (old) {
          deleteTrigrams.run(rowid, old.body);
          updateWords.run(body, rowid);
        } else insertWords.run(rowid, body);
        insertTrigrams.run(rowid, body);
      }
      return key;
    }
    // New, or its time changed: a new key, so the indexes stay in time order.
    if (key !== null && old) {
      deleteTrigrams.run(BigInt(key), old.body);
      deleteWords.run(BigInt(key));
    }
    const placed = ftsKey(timestamp);
    insertWords.run(BigInt(placed), body);
    insertTrigrams.run(BigInt(placed), body);
    return placed;
  }

  /** Removes a snapshot's document from both indexes. */
  function remove(id: string): void {
    const ftsRowid = findKey.get(id)?.fts_rowid ?? null;
    if (ftsRowid === null) return;
    const old = selectBody.get(BigInt(ftsRowid));
    if (old) {
      deleteTrigrams.run(BigInt(ftsRowid), old.body);
      deleteWords.run(BigInt(ftsRowid));
    }
  }

  const noteBodies = (id: string) => noteBodiesOf.all(id).map((row) => row.body);

  /** Rewrites a cached snapshot's document from its stored body and its notes now; nothing when it is not cached. */
  function reindex(id: string): void {
    const row = snapshotOf.get(id);
    if (!row || row.fts_rowid === null) return;
    // Its time is unchanged, so its key still fits: the document is rewritten in place.
    const interaction = JSON.parse(row.raw_json) as Interaction;
    place(row.fts_rowid, row.timestamp === null ? null : new Date(row.timestamp), searchableText(interaction, noteBodies(id)));
  }

  return { findKey, place, remove, reindex, noteBodies };
}

export function createSqliteInteractionRepository(db: SqliteDb): InteractionRepository {
  const sqlite = db.$client;
  const documents = sqliteSearchDocuments(db);
  const findStatement = db.select().from(interactions).where(eq(interactions.id, sql.placeholder("id"))).prepare();
  const trigramsStartingWith = sqlite.prepare<[string, string, number], { term: string }>(
    "SELECT term FROM interactions_trigram_vocab WHERE term >= ? AND term < ? ORDER BY term LIMIT ?",
  );

  const isForgotten = sqlite.prepare<[string], { id: string }>("SELECT id FROM forgotten_interactions WHERE id = ?");
  const deleteRow = sqlite.prepare("DELETE FROM interactions WHERE id = ?");
  // Pages name ids as JSON strings, in whatever case Nebuly wrote them; ids here are lower case.
  const deleteListPagesNaming = sqlite.prepare("DELETE FROM list_cache WHERE instr(lower(response_json), ?) > 0");
  const listPagesNaming = sqlite.prepare<[string], { key: string }>("SELECT key FROM list_cache WHERE instr(lower(response_json), ?) > 0 LIMIT 20");

  /** Deletes one snapshot and its documents in both full-text indexes; false when there was none. */
  function deleteSnapshot(id: string): boolean {
    documents.remove(id);
    return deleteRow.run(id).changes > 0;
  }

  // Notes are the team's words about the interaction: forgetting it removes them with the snapshot.
  const deleteNotes = sqlite.prepare("DELETE FROM notes WHERE interaction_id = ?");

  const linksTo = sqlite.prepare<[string], { id: string; revoked_at: number | null }>("SELECT id, revoked_at FROM share_links WHERE interaction_id = ?");
  const revokeLink = sqlite.prepare("UPDATE share_links SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL");
  const deleteLabelsOf = sqlite.prepare("DELETE FROM interaction_labels WHERE interaction_id = ?");

  const forgetTransaction = sqlite.transaction((id: string, at: Date, by: string | null, projectSlug: string | null): ForgetOutcome | null => {
    const links = linksTo.all(id);
    const revokedLinks = links.filter((link) => link.revoked_at === null && revokeLink.run(at.getTime(), link.id).changes > 0).map((link) => link.id);
    const snapshot = deleteSnapshot(id);
    // Labels go with the snapshot: a forgotten interaction keeps nothing the team said about it.
    deleteLabelsOf.run(id);
    const notes = deleteNotes.run(id).changes;
    const listPages = deleteListPagesNaming.run(`"${id}"`).changes;
    if (!snapshot && notes === 0 && links.length === 0 && listPages === 0 && !isForgotten.get(id)) return null;
    db.insert(forgottenInteractions)
      .values({ id, forgottenAt: at, forgottenBy: by, projectSlug })
      .onConflictDoUpdate({ target: forgottenInteractions.id, set: { forgottenAt: at, forgottenBy: by, projectSlug } })
      .run();
    return { snapshot, listPages, revokedLinks, hadLinks: links.length > 0 };
  });

  const deleteSnapshotsTransaction = sqlite.transaction((ids: readonly string[]) => ids.filter((id) => deleteSnapshot(id)).length);

  const unusedSinceStatement = sqlite.prepare<[number, number, number], { id: string }>(
    `SELECT i.id FROM interactions AS i INDEXED BY interactions_fetched_at_idx
     WHERE i.fetched_at < ? AND (i.last_viewed_at IS NULL OR i.last_viewed_at < ?)
       AND NOT EXISTS (SELECT 1 FROM share_links AS l WHERE l.interaction_id = i.id AND l.revoked_at IS NULL)
       AND NOT EXISTS (SELECT 1 FROM interaction_labels AS il WHERE il.interaction_id = i.id)
       AND NOT EXISTS (SELECT 1 FROM notes AS n WHERE n.interaction_id = i.id)
     ORDER BY i.fetched_at LIMIT ?`,
  );
  const deleteListPagesBeforeStatement = sqlite.prepare("DELETE FROM list_cache WHERE rowid IN (SELECT rowid FROM list_cache WHERE fetched_at < ? LIMIT ?)");

  const saveTransaction = sqlite.transaction(
    (id: string, interaction: Interaction, rawJson: string, fetchedAt: Date, projectSlug: string): InteractionRow | null => {
      // Forgotten while this copy was on its way: a fetch that started before the forget never undoes it.
      if (isForgotten.get(id)) return null;
      const timestamp = parseTimestamp(interaction.timestamp);
      // The team's notes stay with the interaction across refreshes, and in its search text.
      const body = searchableText(interaction, documents.noteBodies(id));
      const ftsRowid = documents.place(documents.findKey.get(id)?.fts_rowid ?? null, timestamp, body);
      const indexed = {
        rawJson,
        fetchedAt,
        timestamp,
        user: interaction.user ?? null,
        topic: interaction.topic ?? null,
        sentiment: interaction.sentiment ?? null,
        feedbackType: interaction.feedback_type ?? null,
        projectId: interaction.project_id ?? null,
        conversationId: interaction.conversation_id ?? null,
        projectSlug,
        ftsRowid,
      };
      return db.insert(interactions).values({ id, ...indexed }).onConflictDoUpdate({ target: interactions.id, set: indexed }).returning().get();
    },
  );

  /** The query's filters, its projects included. */
  function filterConditions(query: CachedSearchQuery): SQL[] {
    return [...otherFilters(query, "set"), ...(query.projects ? [inProjects(query.projects)] : [])];
  }

  /**
   * The query's filters but its projects (which perProject names, one arm each). Labels as a set
   * (every row carrying the label, read once: for reads across every project) or per row (each
   * row's labels looked up: for a project's arm, which must not read another project's labels).
   */
  function otherFilters(query: CachedSearchQuery, labels: "set" | "row"): SQL[] {
    const conditions: SQL[] = [];
    if (query.user) conditions.push(eq(interactions.user, query.user));
    if (query.topic) conditions.push(eq(interactions.topic, query.topic));
    if (query.sentiment) conditions.push(eq(interactions.sentiment, query.sentiment));
    if (query.feedbackType) conditions.push(eq(interactions.feedbackType, query.feedbackType));
    const carries = (key: string) => (labels === "set" ? sql`${interactions.id} IN (${labelled(key)})` : sql`EXISTS (${labelOf(key)})`);
    for (const key of query.labels ?? []) conditions.push(carries(key));
    for (const key of query.excludeLabels ?? []) conditions.push(sql`NOT ${carries(key)}`);
    if (query.sort === "viewed") conditions.push(isNotNull(interactions.lastViewedAt));
    return conditions;
  }

  /** Ids of interactions carrying the label of this name key (through the label's index). */
  const labelled = (nameKey: string) => sql`SELECT il.interaction_id FROM interaction_labels AS il JOIN labels AS l ON l.id = il.label_id WHERE l.name_key = ${nameKey}`;
  /** The label of this name key on the row at hand (through the row's labels, the primary key). */
  const labelOf = (nameKey: string) =>
    sql`SELECT 1 FROM interaction_labels AS il JOIN labels AS l ON l.id = il.label_id WHERE il.interaction_id = ${interactions.id} AND l.name_key = ${nameKey}`;

  /**
   * The project-led index (db/schema.ts) a project's arm reads a list through: the user's (usually
   * the narrowest filter), else for "last viewed" its order's, else the first filter column's, else
   * time's. Named with INDEXED BY: left to itself SQLite may pick a global index (say
   * interactions_user_idx, when the statistics call the project common), which holds every
   * project's rows.
   */
  const projectIndexOf = (query: CachedSearchQuery) =>
    sql.raw(
      query.user
        ? "interactions_project_user_idx"
        : query.sort === "viewed"
          ? "interactions_project_viewed_idx"
          : query.topic
            ? "interactions_project_topic_idx"
            : query.sentiment
              ? "interactions_project_sentiment_idx"
              : query.feedbackType
                ? "interactions_project_feedback_type_idx"
                : "interactions_project_time_idx",
    );

  /**
   * `arm` once per project, joined by UNION ALL, each arm reading `interactions` through `index`
   * (a project-led index) with its WHERE naming the project with `=`. `IN (…)` would read an index
   * across every project's rows and drop the hidden ones one by one, which takes time a viewer can
   * measure. Each arm is a subquery so it may have its own ORDER BY and LIMIT. Null when there is
   * no project to read.
   */
  const perProject = (projects: readonly string[], index: SQL, arm: (from: SQL, project: SQL) => SQL): SQL | null => {
    const slugs = [...new Set(projects)];
    if (slugs.length === 0) return null;
    return sql.join(
      slugs.map((slug) => sql`SELECT * FROM (${arm(sql`${interactions} INDEXED BY ${index}`, eq(interactions.projectSlug, slug))})`),
      sql` UNION ALL `,
    );
  };

  /** The list fields of these rows, in the order given. */
  function listRowsOf(ids: string[]) {
    if (ids.length === 0) return [];
    const byId = new Map(
      db
        .select(listColumns)
        .from(interactions)
        .where(inArray(interactions.id, ids))
        .all()
        .map((row) => [row.id, row]),
    );
    return ids.flatMap((id) => byId.get(id) ?? []);
  }

  const inProjects = (projects: readonly string[]) => (projects.length ? inArray(interactions.projectSlug, [...projects]) : sql`0`);

  const orderOf = (query: CachedSearchQuery) => (query.sort === "viewed" ? desc(interactions.lastViewedAt) : desc(interactions.timestamp));

  /**
   * Rows passing `where`, counted up to `cap`, without reading the wide rows. One condition: its
   * own index (filter column + time), walked in list order. Two or more (say topic and sentiment):
   * a scan of interactions_fts_rowid_idx, which carries every filter column, instead of a row read
   * per candidate. A user filter keeps its own index: it is usually the narrowest.
   */
  const countUpTo = (query: CachedSearchQuery, where: SQL[], cap: number) => {
    const covering = where.length >= 2 && !query.user;
    const from = covering ? sql`${interactions} INDEXED BY interactions_fts_rowid_idx` : sql`${interactions}`;
    const filtered = where.length ? sql`WHERE ${sql.join(where, sql` AND `)}` : sql``;
    return db.get<{ n: number }>(sql`SELECT count(*) AS n FROM (SELECT 1 FROM ${from} ${filtered} ${covering ? sql`` : sql`ORDER BY ${orderOf(query)}`} LIMIT ${cap})`).n;
  };

  /**
   * Lists rows without full-text matching: everything (or, with only excluded words, everything
   * but them), filtered, newest or last viewed first. Filter indexes carry time second, so a page
   * walks one index and stops.
   */
  function listAll(query: CachedSearchQuery, extra: SQL[]): Omit<CachedSearchResult, "reading"> {
    if (query.projects) return listProjects(query, query.projects, extra);
    const where = [...filterConditions(query), ...extra];
    // One row more than a page says whether there is a next page.
    const rows = db
      .select(listColumns)
      .from(interactions)
      .where(where.length ? and(...where) : undefined)
      .orderBy(orderOf(query), interactions.id)
      .limit(query.limit + 1)
      .offset(query.offset)
      .all();
    const count = countUpTo(query, where, COUNT_LIMIT + 1);
    return { items: rows.slice(0, query.limit), hasMore: rows.length > query.limit, count: Math.min(count, COUNT_LIMIT), countIsLimit: count > COUNT_LIMIT };
  }

  /**
   * listAll for the rows of these projects, each read through its own index (perProject): each
   * project gives its first rows up to the page's end in list order, the merge cuts the page, and
   * the page's wide rows are read last. The count reads up to COUNT_LIMIT + 1 rows of each project.
   */
  function listProjects(query: CachedSearchQuery, projects: readonly string[], extra: SQL[]): Omit<CachedSearchResult, "reading"> {
    const others = [...otherFilters(query, "row"), ...extra];
    const index = projectIndexOf(query);
    const where = (project: SQL) => sql.join([project, ...others], sql` AND `);
    const order = query.sort === "viewed" ? sql`"last_viewed_at" DESC, "id"` : sql`"timestamp" DESC, "id"`;
    const pages = perProject(
      projects,
      index,
      (from, project) => sql`SELECT ${interactions.id} AS "id", ${interactions.timestamp} AS "timestamp", ${interactions.lastViewedAt} AS "last_viewed_at"
        FROM ${from} WHERE ${where(project)} ORDER BY ${order} LIMIT ${query.offset + query.limit + 1}`,
    );
    const counted = perProject(projects, index, (from, project) => sql`SELECT 1 FROM ${from} WHERE ${where(project)} LIMIT ${COUNT_LIMIT + 1}`);
    if (!pages || !counted) return { items: [], hasMore: false, count: 0, countIsLimit: false };
    const ids = db.all<{ id: string }>(sql`SELECT "id" FROM (${pages}) ORDER BY ${order} LIMIT ${query.limit + 1} OFFSET ${query.offset}`).map((row) => row.id);
    const count = db.get<{ n: number }>(sql`SELECT count(*) AS n FROM (SELECT 1 FROM (${counted}) LIMIT ${COUNT_LIMIT + 1})`).n;
    return { items: listRowsOf(ids.slice(0, query.limit)), hasMore: ids.length > query.limit, count: Math.min(count, COUNT_LIMIT), countIsLimit: count > COUNT_LIMIT };
  }

  /** The full-text keys of the rows a typed search's filters leave, up to `cap` (each project read through its own index). */
  function keysInScope(query: CachedSearchQuery, cap: number): { key: number | null }[] {
    if (query.projects) {
      const keys = perProject(
        query.projects,
        projectIndexOf(query),
        (from, project) => sql`SELECT ${interactions.ftsRowid} AS key FROM ${from} WHERE ${sql.join([project, ...otherFilters(query, "row")], sql` AND `)} LIMIT ${cap}`,
      );
      return keys ? db.all<{ key: number | null }>(sql`SELECT key FROM (${keys}) LIMIT ${cap}`) : [];
    }
    const filters = filterConditions(query);
    // The index that carries every filter column (as countUpTo does: left to itself, SQLite may
    // pick one filter's index and read each of its rows to check the others).
    const covering = filters.length >= 2 && !query.user;
    const from = covering ? sql`${interactions} INDEXED BY interactions_fts_rowid_idx` : sql`${interactions}`;
    return db.all<{ key: number | null }>(sql`SELECT ${interactions.ftsRowid} AS key FROM ${from} WHERE ${sql.join(filters, sql` AND `)} LIMIT ${cap}`);
  }

  function scopeOf(query: CachedSearchQuery): Scope {
    const filters = filterConditions(query);
    if (filters.length === 0) return { kind: "all" };
    // One read of the rows in scope. Up to FEW_ROWS, their keys are passed as a list, so each
    // tier and count asks the indexes about those rows without reading the table again.
    const keys = keysInScope(query, FEW_ROWS + 1);
    if (keys.length > FEW_ROWS) return { kind: "many" };
    const list = keys.flatMap(({ key }) => (key === null ? [] : [sql`${BigInt(key)}`]));
    return list.length ? { kind: "few", rowids: sql.join(list, sql`, `) } : { kind: "none" };
  }

  /**
   * The SQL for one tier, `select` null to count. The index drives (CROSS JOIN keeps it outermost):
   * newest first it is read in rowid order, which is time order, so a page reads about a page of
   * matches; with few rows in scope it is asked about those rows only. Last viewed first with
   * many rows viewed, the table drives in view order and each index is read once into a set to
   * test membership against (`+` keeps SQLite from driving by the index and looking up every match).
   */
  function tierSql(tier: Tier, query: CachedSearchQuery, scope: Scope, select: SQL | null, tail: SQL): SQL {
    const index = indexName(tier.index);
    const filters = scope.kind === "many" ? filterConditions(query) : [];
    if (query.sort === "time" || scope.kind === "few") {
      const rowid = sql`${index}.rowid`;
      const where = [
        sql`${index} MATCH ${tier.match}`,
        ...(scope.kind === "few" ? [sql`${rowid} IN (${scope.rowids})`] : []),
        ...filters,
        ...tier.conditions.map((condition) => condition(rowid, scope)),
      ];
      // Counting without filters needs no row: every document has one.
      // INDEXED BY: joined on its key, never by a filter column's index (a project filter once made
      // SQLite join every match to every row of the project).
      const from = filters.length || select ? sql`${index} CROSS JOIN ${interactions} INDEXED BY interactions_fts_rowid_idx ON ${interactions.ftsRowid} = ${rowid}` : index;
      return sql`SELECT ${select ?? sql`1`} FROM ${from} WHERE ${sql.join(where, sql` AND `)} ${tail}`;
    }
    const rowid = sql`+${interactions.ftsRowid}`;
    const where = [inIndex(tier.index, tier.match)(rowid, scope), ...filters, ...tier.conditions.map((condition) => condition(rowid, scope))];
    return sql`SELECT ${select ?? sql`1`} FROM ${interactions} WHERE ${sql.join(where, sql` AND `)} ${select ? tail : sql`ORDER BY ${orderOf(query)} ${tail}`}`;
  }

  const snippetSql = (index: FtsIndex) => sql`snippet(${indexName(index)}, 0, ${MATCH_OPEN}, ${MATCH_CLOSE}, '…', ${SNIPPET_TOKENS[index]})`;

  /**
   * Reads one tier: how many rows it has (up to `cap`) and `take` of them from `skip` on. When the
   * index drives, counting and paging are two incremental reads. When the table drives, one
   * read lists the ids in order (each index is turned into a set once), and the page's rows and
   * snippets are looked up after.
   */
  function readTier(tier: Tier, query: CachedSearchQuery, scope: Scope, cap: number, skip: number, take: number): { count: number; rows: ListRowSql[] } {
    const index = indexName(tier.index);
    if (query.sort === "time" || scope.kind === "few") {
      const count = db.get<{ n: number }>(sql`SELECT count(*) AS n FROM (${tierSql(tier, query, scope, null, sql`LIMIT ${cap}`)})`).n;
      if (take <= 0 || skip >= count) return { count, rows: [] };
      const order = query.sort === "time" ? sql`${index}.rowid DESC` : sql`${interactions.lastViewedAt} DESC, ${interactions.id}`;
      const select = sql`${listColumnsSql}, ${snippetSql(tier.index)} AS snippet`;
      return { count, rows: db.all<ListRowSql>(tierSql(tier, query, scope, select, sql`ORDER BY ${order} LIMIT ${take} OFFSET ${skip}`)) };
    }
    const ids = db.all<{ id: string; ftsRowid: number }>(
      tierSql(tier, query, scope, sql`${interactions.id} AS id, ${interactions.ftsRowid} AS "ftsRowid"`, sql`ORDER BY ${interactions.lastViewedAt} DESC, ${interactions.id} LIMIT ${cap}`),
    );
    const page = take > 0 ? ids.slice(skip, skip + take) : [];
    if (page.length === 0) return { count: ids.length, rows: [] };
    const byId = new Map(
      db
        .all<ListRowSql>(sql`SELECT ${listColumnsSql} FROM ${interactions} WHERE ${interactions.id} IN (${sql.join(
          page.map(({ id }) => sql`${id}`),
          sql`, `,
        )})`)
        .map((row) => [row.id, row]),
    );
    const rows = page.flatMap(({ id, ftsRowid }) => {
      const row = byId.get(id);
      if (!row) return [];
      const snippet = sql`SELECT ${snippetSql(tier.index)} AS snippet FROM ${index} WHERE ${index} MATCH ${tier.match} AND rowid = ${BigInt(ftsRowid)}`;
      return [{ ...row, snippet: db.get<{ snippet: string } | undefined>(snippet)?.snippet ?? null }];
    });
    return { count: ids.length, rows };
  }

  /**
   * Pages through the tiers in order (whole words, then inside words), counting each only as far
   * as the count shown (COUNT_LIMIT) and the page need: a tier past both is never read.
   */
  function searchTiers(tiers: Tier[], query: CachedSearchQuery, highlight: string[]): Omit<CachedSearchResult, "reading"> {
    const scope = scopeOf(query);
    // The filters leave no row: nothing to ask the indexes about.
    if (scope.kind === "none") return { items: [], hasMore: false, count: 0, countIsLimit: false };
    const need = query.limit + 1;
    const rows: ListRowSql[] = [];
    let skip = query.offset;
    let counted = 0;
    for (const tier of tiers) {
      if (counted > COUNT_LIMIT && rows.length >= need) break;
      const cap = Math.max(COUNT_LIMIT + 1 - counted, skip + need - rows.length);
      const { count, rows: page } = readTier(tier, query, scope, cap, skip, need - rows.length);
      rows.push(...page);
      skip = Math.max(0, skip - count);
      counted += count;
    }
    const items = rows.slice(0, query.limit).map((row) => ({
      id: row.id,
      projectSlug: row.projectSlug,
      timestamp: dateOf(row.timestamp),
      lastViewedAt: dateOf(row.lastViewedAt),
      user: row.user,
      topic: row.topic,
      sentiment: row.sentiment,
      feedbackType: row.feedbackType,
      query: row.query,
      output: row.output,
      snippet: row.snippet ? snippetParts(row.snippet, highlight) : undefined,
    }));
    return { items, hasMore: rows.length > query.limit, count: Math.min(counted, COUNT_LIMIT), countIsLimit: counted > COUNT_LIMIT };
  }

  /**
   * How an item is found inside words: an FTS5 query on the trigram index, "none" when no indexed
   * text can contain it, or null when it is found at word starts only (too short, or a pair so
   * common that listing its trigrams would cost more than it is worth).
   */
  function substringQuery(item: SearchItem, tooCommon: SearchItem[]): string | "none" | null {
    const form = substringForm(item);
    if (form.kind === "literal") return form.query;
    if (form.kind === "words-only") return null;
    const terms = trigramsStartingWith
      .all(form.prefix, `${form.prefix}\u{10FFFF}`, PAIR_TRIGRAMS_MAX + 1)
      .map((row) => row.term)
      .filter((term) => term.startsWith(form.prefix));
    if (terms.length > PAIR_TRIGRAMS_MAX) {
      tooCommon.push(item);
      return null;
    }
    return terms.length ? anyOf(terms.map(ftsString)) : "none";
  }

  /**
   * Builds the tiers from a parsed search. Every FTS5 query is made here from quoted strings
   * (ftsString) joined by operators chosen here: typed text is never FTS5 syntax.
   *
   * Tier 1 — whole words: every group has one of its items as a whole word, or a phrase's words
   * in order (word index; an item too short to find inside words matches word starts).
   * Tier 2 — inside words: every group's text occurs anywhere (trigram index), and not tier 1.
   * Both leave out interactions containing an excluded item as a word or anywhere inside one.
   */
  function planTiers(parsed: ParsedSearch, tooCommon: SearchItem[]): { tiers: Tier[]; exclusions: RowidCondition[] } {
    const wordsPositive = wordsQuery(parsed.groups);
    const wordsExcluded = parsed.excluded.length ? anyOf(parsed.excluded.map(wordQuery)) : null;
    const excludedInside = parsed.excluded.map((item) => substringQuery(item, tooCommon)).filter((query): query is string => query !== null && query !== "none");
    const insideExcluded = excludedInside.length ? anyOf(excludedInside) : null;
    const exclusions = [
      ...(wordsExcluded ? [notInIndex(WORD_INDEX, wordsExcluded)] : []),
      ...(insideExcluded ? [notInIndex(TRIGRAM_INDEX, insideExcluded)] : []),
    ];
    if (parsed.groups.length === 0) return { tiers: [], exclusions };

    const tiers: Tier[] = [
      {
        index: WORD_INDEX,
        match: wordsExcluded ? `(${wordsPositive}) NOT ${wordsExcluded}` : wordsPositive,
        conditions: insideExcluded ? [notInIndex(TRIGRAM_INDEX, insideExcluded)] : [],
      },
    ];

    // Groups with an item found at word starts only are checked in the word index instead.
    const inside: string[] = [];
    const wordsOnly: SearchItem[][] = [];
    let impossible = false;
    for (const group of parsed.groups) {
      const queries = group.map((item) => substringQuery(item, tooCommon));
      if (queries.includes(null)) {
        wordsOnly.push(group);
        continue;
      }
      const possible = queries.filter((query): query is string => query !== "none");
      if (possible.length === 0) impossible = true;
      else inside.push(anyOf(possible));
    }
    if (inside.length && !impossible) {
      tiers.push({
        index: TRIGRAM_INDEX,
        match: insideExcluded ? `(${allOf(inside)}) NOT ${insideExcluded}` : allOf(inside),
        conditions: [
          ...(wordsOnly.length ? [inIndex(WORD_INDEX, wordsQuery(wordsOnly))] : []),
          notInIndex(WORD_INDEX, wordsExcluded ? `(${wordsPositive}) OR ${wordsExcluded}` : wordsPositive),
        ],
      });
    }
    return { tiers, exclusions };
  }

  function searchText(query: CachedSearchQuery, text: string): CachedSearchResult {
    const parsed = parseSearch(text);
    if (parsed.groups.length === 0 && parsed.excluded.length === 0) {
      return { items: [], hasMore: false, count: 0, countIsLimit: false, reading: { nothingToSearch: true, notes: parsed.notes } };
    }
    const tooCommon: SearchItem[] = [];
    const { tiers, exclusions } = planTiers(parsed, tooCommon);
    const notes = [...parsed.notes, ...shortItemNotes([...parsed.groups.flat(), ...parsed.excluded], tooCommon)];
    if (tiers.length === 0) {
      return { ...listAll(query, exclusions.map((exclusion) => exclusion(sql`${interactions.ftsRowid}`, { kind: "all" }))), reading: { nothingToSearch: false, notes } };
    }
    const highlight = parsed.groups.flat().filter((item) => substringForm(item).kind !== "words-only" && !tooCommon.includes(item)).map((item) => item.text);
    return { ...searchTiers(tiers, query, highlight), reading: { nothingToSearch: false, notes } };
  }

  return {
    async find(id) {
      return findStatement.get({ id });
    },

    async save(id, interaction, rawJson, fetchedAt, projectSlug) {
      return saveTransaction(id, interaction, rawJson, fetchedAt, projectSlug);
    },

    async forget(id, at, by, projectSlug) {
      return forgetTransaction(id, at, by, projectSlug);
    },

    async forgotten(id) {
      return db.select().from(forgottenInteractions).where(eq(forgottenInteractions.id, id)).get();
    },

    async unforget(id) {
      db.delete(forgottenInteractions).where(eq(forgottenInteractions.id, id)).run();
    },

    async unusedSince(cutoff, limit) {
      const ms = cutoff.getTime();
      return unusedSinceStatement.all(ms, ms, limit).map((row) => row.id);
    },

    async deleteSnapshots(ids) {
      return ids.length ? deleteSnapshotsTransaction(ids) : 0;
    },

    async deleteListPagesBefore(cutoff, limit) {
      return deleteListPagesBeforeStatement.run(cutoff.getTime(), limit).changes;
    },

    async recordView(id, at) {
      db.update(interactions).set({ lastViewedAt: at }).where(eq(interactions.id, id)).run();
    },

    async recentlyViewed(limit, projects) {
      if (!projects) return db.select(listColumns).from(interactions).where(isNotNull(interactions.lastViewedAt)).orderBy(desc(interactions.lastViewedAt)).limit(limit).all();
      const viewed = perProject(
        projects,
        sql.raw("interactions_project_viewed_idx"),
        (from, project) => sql`SELECT ${interactions.id} AS "id", ${interactions.lastViewedAt} AS "last_viewed_at" FROM ${from}
          WHERE ${project} AND ${isNotNull(interactions.lastViewedAt)} ORDER BY "last_viewed_at" DESC, "id" LIMIT ${limit}`,
      );
      if (!viewed) return [];
      return listRowsOf(db.all<{ id: string }>(sql`SELECT "id" FROM (${viewed}) ORDER BY "last_viewed_at" DESC, "id" LIMIT ${limit}`).map((row) => row.id));
    },

    async search(query) {
      const text = query.text?.trim();
      return text ? searchText(query, text) : listAll(query, []);
    },

    async facets(projects) {
      const distinct = (column: typeof interactions.topic | typeof interactions.sentiment | typeof interactions.feedbackType, projectIndex: string) => {
        if (!projects) return db.selectDistinct({ value: column }).from(interactions).where(isNotNull(column)).orderBy(column).limit(200).all().map((row) => row.value as string);
        // Each project's values through its (project, column, …) index: no other project's row is read.
        const values = perProject(
          projects,
          sql.raw(projectIndex),
          (from, project) => sql`SELECT DISTINCT ${column} AS value FROM ${from} WHERE ${project} AND ${isNotNull(column)} ORDER BY 1 LIMIT 200`,
        );
        return values ? db.all<{ value: string }>(sql`SELECT DISTINCT value FROM (${values}) ORDER BY 1 LIMIT 200`).map((row) => row.value) : [];
      };
      return {
        topics: distinct(interactions.topic, "interactions_project_topic_idx"),
        sentiments: distinct(interactions.sentiment, "interactions_project_sentiment_idx"),
        feedbackTypes: distinct(interactions.feedbackType, "interactions_project_feedback_type_idx"),
      };
    },

    async listedIn(id) {
      const slugs = listPagesNaming.all(`"${id}"`).flatMap(({ key }) => {
        // "slug:{…}"; pages cached before projects existed have no prefix and tell nothing.
        const slug = /^([a-z0-9-]{1,40}):\{/.exec(key)?.[1];
        return slug ? [slug] : [];
      });
      return [...new Set(slugs)];
    },

    async hasRowsOutside(slugs) {
      return db.select({ id: interactions.id }).from(interactions).where(slugs.length ? notInArray(interactions.projectSlug, [...slugs]) : undefined).limit(1).get() !== undefined;
    },

    async findList(key) {
      return db.select().from(listCache).where(eq(listCache.key, key)).get();
    },

    async saveList(key, responseJson, fetchedAt) {
      db.insert(listCache)
        .values({ key, responseJson, fetchedAt })
        .onConflictDoUpdate({ target: listCache.key, set: { responseJson, fetchedAt } })
        .run();
    },
  };
}
