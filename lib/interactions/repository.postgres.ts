import { createHash } from "node:crypto";
import { and, eq, inArray, isNull, sql, type SQL } from "drizzle-orm";
import { PgDialect } from "drizzle-orm/pg-core";
import type { QueryResultRow } from "pg";
import type { PostgresDb } from "@/db/client";
import { forgottenInteractions, interactions, listCache, notes, shareLinks } from "@/db/schema.postgres";
import { parseTimestamp } from "@/lib/format";
import type { Interaction } from "@/lib/nebuly/schemas";
import { TITLE_JSON_PATHS, TITLE_MAX } from "@/lib/nebuly/title";
import { COUNT_LIMIT, SNIPPET_CHARS } from "./list-limits";
import type { CachedListItem, CachedSearchQuery, CachedSearchResult, ForgetOutcome, InteractionRepository, StoredInteraction } from "./repository";
import { MATCH_CLOSE, MATCH_OPEN, snippetParts, type SnippetPart } from "./search-snippet";
import { foldChar, parseSearch, searchableText, shortItemNotes, substringForm, type ParsedSearch, type SearchItem } from "./search-text";

/*
 * The snapshot store on Postgres. Search reads three columns written with the row (see
 * db/schema.postgres.ts): search_folded (the searchable text folded as searches compare it,
 * trigram index: text inside words), search_words (its words, tsvector: whole words and phrases)
 * and search_pairs (two-character sequences of scripts written without spaces, which trigrams
 * cannot find). The tiers, exclusions and notes are the SQLite store's (repository.sqlite.ts),
 * built from the same parsed search (search-text.ts). Typed text only ever reaches SQL as bound
 * parameters: LIKE patterns with their wildcards escaped, strpos needles, and tsqueries that
 * Postgres itself made from the text (phraseto_tsquery, or to_tsquery over one quoted operand).
 */

/** search_words indexes this many characters of search_folded (a tsvector cannot exceed 1 MB; this is ~0.8 MB at worst). */
export const SEARCH_WORDS_CHARS = 131_072;
/** How much of an interaction's text search reads at all (see snapshotValues). */
const SEARCH_TEXT_CHARS = 262_144;
/**
 * A snippet's match is looked for in this many characters of the text, for at most this many of
 * the searched items (strpos over a prefix: a huge body costs a bounded read). Past them a
 * snippet shows the start of the text.
 */
const SNIPPET_SCAN_CHARS = 200_000;
const SNIPPET_SCAN_ITEMS = 8;
/** Characters fetched around the first match, from this many before it. */
const SNIPPET_WINDOW_CHARS = 600;
const SNIPPET_WINDOW_BEFORE = 200;
/** Characters a snippet shows: about 24 words, as the SQLite snippets. */
const SNIPPET_SHOW_CHARS = 160;
const SNIPPET_SHOW_BEFORE = 40;

/**
 * The database time one search may take, all its statements together: past it Postgres stops the
 * statement (57014) and the page says the search took too long. A search is whatever a viewer
 * types (32 ORed phrases of words every row holds make the indexes return every row), so without
 * a bound one request could hold a core for seconds. Ordinary searches take milliseconds.
 */
const SEARCH_BUDGET_MS = 1_000;

/** The namespace (first key) of the per-interaction advisory locks save and forget take. */
const INTERACTION_LOCK_CLASS = 0x696e74; // "int"
/**
 * Interaction times kept: years 1 to 9999. Postgres refuses times before 4713 BC (JavaScript's reach
 * further), and outside these years its text form is not one a Date reads back; others are undated.
 */
const EARLIEST_TIME_MS = Date.parse("0001-01-01T00:00:00.000Z");
const LATEST_TIME_MS = Date.parse("9999-12-31T23:59:59.999Z");

// Scripts written without spaces between words: the same list as search-text.ts (UNSPACED_SCRIPT),
// which decides which two-character searches are "pairs"; a test holds the two to the same answers.
const UNSPACED_SCRIPT = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}]/u;
const SPACE_OR_PUNCTUATION = /[\s\p{P}]/u;
const WORD_CHAR = /[\p{L}\p{N}\p{M}]/u;
const LONE_SURROGATE = /\p{Cs}/gu;

/**
 * One character folded as searches compare text: foldChar (lower case, accents off Latin letters),
 * kept only when it is one character, so folded text has exactly one character for each original
 * one and positions found in search_folded hold in search_body.
 */
function foldOne(char: string): string {
  if (char.length === 1 && char.charCodeAt(0) < 0x80) return char.toLowerCase();
  let folded = foldedChars.get(char);
  if (folded === undefined) {
    folded = foldChar(char);
    if (!(folded.length === 1 || (folded.length === 2 && folded.codePointAt(0)! > 0xffff))) {
      const lower = char.toLowerCase();
      folded = lower.length === char.length ? lower : char;
    }
    if (foldedChars.size >= FOLDED_CHARS_MAX) foldedChars.clear();
    foldedChars.set(char, folded);
  }
  return folded;
}
/** foldChar normalises and tests scripts: its answers are kept (text repeats its characters). */
const foldedChars = new Map<string, string>();
const FOLDED_CHARS_MAX = 20_000;

/** Text folded character by character (foldOne); lone surrogates become U+FFFD, as Postgres stores them. */
export function foldText(text: string): string {
  let folded = "";
  for (const char of text.replace(LONE_SURROGATE, "\ufffd")) folded += foldOne(char);
  return folded;
}

/** The distinct two-character sequences of folded text that a pair search (substringForm "pair") can ask for. */
export function searchPairsOf(folded: string): string[] {
  const chars = Array.from(folded);
  const pairs = new Set<string>();
  for (let i = 0; i + 1 < chars.length; i++) {
    const a = chars[i];
    const b = chars[i + 1];
    if (SPACE_OR_PUNCTUATION.test(a) || SPACE_OR_PUNCTUATION.test(b)) continue;
    if (UNSPACED_SCRIPT.test(a) || UNSPACED_SCRIPT.test(b)) pairs.add(a + b);
  }
  return [...pairs];
}

/** Whether a pair search can ask for this text (exported for the test that holds it to substringForm). */
export const isPairText = (text: string) => Array.from(text).length === 2 && UNSPACED_SCRIPT.test(text);

const likePattern = (needle: string) => `%${needle.replace(/[\\%_]/g, (char) => `\\${char}`)}%`;
/** One to_tsquery operand: the text quoted (quotes doubled, backslashes escaped), so nothing in it is syntax. */
const prefixOperand = (text: string) => `'${text.replace(/\\/g, "\\\\").replace(/'/g, "''")}':*`;
/** Postgres text cannot hold NUL: a NUL in a stored field becomes U+FFFD (searchable text has none: searchableText replaces controls). */
const storable = (value: string | null | undefined) => (value === null || value === undefined ? null : value.replaceAll("\u0000", "\ufffd"));
/**
 * The filter columns (user, topic, …) are copies kept for btree indexes, whose entries Postgres
 * caps at about 2.7 kB: a hostile chat's 3,000-character user id would make the whole save fail.
 * The copies keep their first INDEXED_CHARS characters (at most 4 bytes each); filters compare
 * the same prefix (filterValue). raw_json keeps every value whole.
 */
const INDEXED_CHARS = 500;
const indexable = (value: string | null | undefined) => {
  const stored = storable(value);
  return stored === null || stored.length <= INDEXED_CHARS ? stored : Array.from(stored).slice(0, INDEXED_CHARS).join("");
};
const filterValue = (value: string) => indexable(value)!;

/**
 * A list page's key as stored: the key itself, or, past what a btree entry holds (a Browse query
 * naming many long filter values), its project prefix and a SHA-256 of the whole, still of the
 * "slug:{" form listedIn reads the project from.
 */
const LIST_KEY_CHARS = 500;
const storedListKey = (key: string) => {
  if (key.length <= LIST_KEY_CHARS) return key;
  const slug = /^([a-z0-9-]{1,40}):/.exec(key)?.[1];
  const digest = createHash("sha256").update(key).digest("hex");
  return slug ? `${slug}:{"sha256":"${digest}"}` : `{"sha256":"${digest}"}`;
};

/** TITLE_JSON_PATHS ("$.conversation[0].input") as Postgres text[] paths ({conversation,0,input}). */
const TITLE_PATHS = TITLE_JSON_PATHS.map((path) =>
  path
    .replace(/^\$\.?/, "")
    .split(/\.|\[(\d+)\]/)
    .filter((part): part is string => part !== undefined && part !== ""),
);

/**
 * A tier's matches are collected in list order, up to the count needed, however the planner finds
 * them cheapest (for rare text: through the GIN indexes). `index` gives a condition's GIN-usable
 * form, `scan` a form the planner cannot answer from GIN (strpos, ts_match_vq): a NOT, and the
 * excluded words of a list without typed words, are checked row by row on rows found otherwise.
 */
type Mode = "index" | "scan";
type Condition = (mode: Mode) => SQL;

const wordsMatch =
  (tsquery: string): Condition =>
  (mode) =>
    mode === "index" ? sql`i.search_words @@ ${tsquery}::tsquery` : sql`ts_match_vq(i.search_words, ${tsquery}::tsquery)`;
const containsText =
  (needle: string): Condition =>
  (mode) =>
    mode === "index" ? sql`i.search_folded LIKE ${likePattern(needle)}` : sql`strpos(i.search_folded, ${needle}) > 0`;
const containsPair =
  (pair: string): Condition =>
  (mode) =>
    mode === "index" ? sql`i.search_pairs @> ARRAY[${pair}]::text[]` : sql`strpos(i.search_folded, ${pair}) > 0`;
const anyCondition =
  (conditions: Condition[]): Condition =>
  (mode) =>
    conditions.length === 1 ? conditions[0](mode) : sql`(${sql.join(
      conditions.map((condition) => condition(mode)),
      sql` OR `,
    )})`;
const notCondition =
  (condition: Condition): Condition =>
  () =>
    sql`NOT (${condition("scan")})`;

/** tsquery text joined by an operator, each operand in parentheses. */
const tsJoin = (queries: string[], operator: "&" | "|") => queries.map((query) => `(${query})`).join(` ${operator} `);

/** One item of a search, as Postgres reads it. */
interface ResolvedItem {
  item: SearchItem;
  folded: string;
  /** The item as a word-index query (tsquery text); null when it has no words Postgres indexes. */
  words: string | null;
  /** How it is found inside words; null when only at word starts (too short). */
  inside: Condition | null;
}

interface Tier {
  conditions: Condition[];
  /**
   * Leaves out the previous tier's rows: `any` always works; when every row of that tier is known
   * (it had fewer than it was counted up to), leaving out their ids plus `known` does the same
   * without reading each candidate's tsvector.
   */
  notBefore?: { any: Condition; known: Condition | null };
}

interface SnippetPlan {
  /** Folded texts whose first occurrence centres the snippet; `fallback` when none occurs. */
  needles: string[];
  fallback: string[];
  /** Items matched at word starts only: whole words starting with them (or equal, for phrases) are marked. */
  short: { folded: string; phrase: boolean }[];
  /** What snippetParts marks exactly (as SQLite's `highlight`). */
  highlight: string[];
}

interface ListRow {
  id: string;
  projectSlug: string;
  timestamp: Date | null;
  lastViewedAt: Date | null;
  user: string | null;
  topic: string | null;
  sentiment: string | null;
  feedbackType: string | null;
  query: string | null;
  output: string | null;
  jsonBad?: boolean;
  snippetWindow?: string | null;
  snippetStart?: number | null;
  snippetPos?: number | null;
}

const storedColumns = {
  id: interactions.id,
  rawJson: interactions.rawJson,
  fetchedAt: interactions.fetchedAt,
  lastViewedAt: interactions.lastViewedAt,
  timestamp: interactions.timestamp,
  user: interactions.user,
  topic: interactions.topic,
  sentiment: interactions.sentiment,
  feedbackType: interactions.feedbackType,
  projectId: interactions.projectId,
  projectSlug: interactions.projectSlug,
  conversationId: interactions.conversationId,
};

/** SQLite's trim(): spaces only, both ends (a loop: / +$/ backtracks quadratically on hostile text). */
function trimSpaces(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && text[start] === " ") start++;
  while (end > start && text[end - 1] === " ") end--;
  return text.slice(start, end);
}
const firstChars = (text: string, max: number) => {
  let out = "";
  let count = 0;
  for (const char of text) {
    if (count++ === max) break;
    out += char;
  }
  return out;
};

/** The list fields of a row whose JSON Postgres refuses (a \u0000 escape, a lone surrogate): read here as SQLite reads them. */
function listFieldsFromJson(rawJson: string): { query: string | null; output: string | null } {
  let body: unknown;
  try {
    body = JSON.parse(rawJson);
  } catch {
    return { query: null, output: null };
  }
  const at = (path: string[]) => path.reduce<unknown>((value, key) => (value !== null && typeof value === "object" ? (value as Record<string, unknown>)[key] : undefined), body);
  const asText = (value: unknown) => (value === null || value === undefined ? null : typeof value === "string" ? value : JSON.stringify(value));
  let query: string | null = null;
  for (const path of TITLE_PATHS) {
    const text = asText(at(path));
    const trimmed = text === null ? "" : trimSpaces(text);
    if (trimmed) {
      query = firstChars(trimmed, TITLE_MAX);
      break;
    }
  }
  const output = asText(at(["output"]));
  return { query, output: output === null ? null : firstChars(output, SNIPPET_CHARS) };
}

/**
 * The snippet for one row: the text around the first match (preferring a whole-word occurrence),
 * about SNIPPET_SHOW_CHARS characters cut at spaces, '…' where cut, matches marked as SQLite's
 * snippet() and snippetParts mark them.
 */
function snippetOf(row: ListRow, plan: SnippetPlan): SnippetPart[] | undefined {
  if (row.snippetWindow === null || row.snippetWindow === undefined) return undefined;
  const chars = Array.from(row.snippetWindow);
  const windowStart = row.snippetStart ?? 1;
  const bodyEnds = chars.length < SNIPPET_WINDOW_CHARS;
  let matchAt = row.snippetPos === null || row.snippetPos === undefined ? -1 : row.snippetPos - windowStart;
  let matchLength = 0;
  if (matchAt >= 0) {
    const folded = chars.map(foldOne);
    const wordAt = (index: number) => index >= 0 && index < chars.length && WORD_CHAR.test(chars[index]);
    // The first occurrence anywhere may sit inside a longer word; a whole-word one nearby is a better centre.
    let best: [number, number] | null = null;
    let first: [number, number] | null = null;
    for (const needle of [...plan.needles, ...plan.fallback]) {
      const needleChars = Array.from(needle);
      for (let start = matchAt; start + needleChars.length <= folded.length; start++) {
        if (best && start >= best[0]) break;
        if (!needleChars.every((char, k) => folded[start + k] === char)) continue;
        if (!first || start < first[0]) first = [start, needleChars.length];
        if (!wordAt(start - 1) && !wordAt(start + needleChars.length)) {
          best = [start, needleChars.length];
          break;
        }
      }
    }
    [matchAt, matchLength] = best ?? first ?? [matchAt, 0];
  }
  let start = 0;
  if (matchAt > SNIPPET_SHOW_BEFORE) {
    start = matchAt - SNIPPET_SHOW_BEFORE;
    const space = chars.slice(start, matchAt).findIndex((char) => /\s/u.test(char));
    if (space !== -1) start += space + 1;
  }
  let end = Math.min(chars.length, Math.max(start + SNIPPET_SHOW_CHARS, matchAt + matchLength));
  if (end < chars.length) {
    for (let k = end; k > Math.max(matchAt + matchLength, start); k--) {
      if (/\s/u.test(chars[k])) {
        end = k;
        break;
      }
    }
  }
  const shown = chars.slice(start, end);
  let marked = windowStart - 1 + start > 0 ? "…" : "";
  // Words matched at their start only are marked whole, as FTS5 marks a prefix match.
  for (let k = 0; k < shown.length; ) {
    if (!WORD_CHAR.test(shown[k])) {
      marked += shown[k++];
      continue;
    }
    let wordEnd = k;
    while (wordEnd < shown.length && WORD_CHAR.test(shown[wordEnd])) wordEnd++;
    const word = shown.slice(k, wordEnd).join("");
    const foldedWord = shown.slice(k, wordEnd).map(foldOne).join("");
    const hit = plan.short.some(({ folded, phrase }) => (phrase ? foldedWord === folded : foldedWord.startsWith(folded)));
    marked += hit ? `${MATCH_OPEN}${word}${MATCH_CLOSE}` : word;
    k = wordEnd;
  }
  if (end < chars.length || !bodyEnds) marked += "…";
  return snippetParts(marked, plan.highlight);
}

const toItem = (row: ListRow, plan: SnippetPlan | null): CachedListItem => {
  const item: CachedListItem = {
    id: row.id,
    projectSlug: row.projectSlug,
    timestamp: row.timestamp,
    lastViewedAt: row.lastViewedAt,
    user: row.user,
    topic: row.topic,
    sentiment: row.sentiment,
    feedbackType: row.feedbackType,
    query: row.query,
    output: row.output,
  };
  if (plan) item.snippet = snippetOf(row, plan);
  return item;
};

/**
 * The columns of a snapshot row (all but id and last view), as save writes them: the indexed
 * fields and the search columns. lib/ops/copy-store.ts writes copied rows with it too.
 */
export function snapshotValues(interaction: Interaction, rawJson: string, fetchedAt: Date, projectSlug: string, noteBodies: readonly string[] = []) {
  const parsed = parseTimestamp(interaction.timestamp);
  const timestamp = parsed && parsed.getTime() >= EARLIEST_TIME_MS && parsed.getTime() <= LATEST_TIME_MS ? parsed : null;
  return {
    rawJson,
    fetchedAt,
    timestamp,
    user: indexable(interaction.user),
    topic: indexable(interaction.topic),
    sentiment: indexable(interaction.sentiment),
    feedbackType: indexable(interaction.feedback_type),
    projectId: indexable(interaction.project_id),
    conversationId: indexable(interaction.conversation_id),
    projectSlug,
    ...searchColumns(interaction, noteBodies),
  };
}

/** The search columns of a snapshot: its searchable text and its notes' bodies (lib/notes). */
function searchColumns(interaction: Interaction, noteBodies: readonly string[]) {
  // Search covers the first SEARCH_TEXT_CHARS characters of an interaction (a pasted document
  // past them is still shown whole, just not searched there): indexing megabytes by trigrams
  // cost seconds of database time per save, and failed past the statement bound.
  const whole = searchableText(interaction, noteBodies);
  const body = (whole.length > SEARCH_TEXT_CHARS ? whole.slice(0, SEARCH_TEXT_CHARS) : whole).replace(LONE_SURROGATE, "\ufffd");
  const folded = foldText(body);
  return { searchBody: body, searchFolded: folded, searchPairs: searchPairsOf(folded) };
}

/** A Postgres connection or a transaction on one: what the re-indexing below runs on. */
type PostgresExecutor = Pick<PostgresDb, "execute" | "select" | "update">;

const lockInteractionSql = (id: string) => sql`SELECT pg_advisory_xact_lock(${INTERACTION_LOCK_CLASS}, hashtext(${id}))`;

/** Takes the interaction's lock for the rest of the transaction (saves, forgets and note writes queue on it). */
export async function lockPostgresInteraction(tx: PostgresExecutor, id: string): Promise<void> {
  await tx.execute(lockInteractionSql(id));
}

async function noteBodiesOf(tx: PostgresExecutor, id: string): Promise<string[]> {
  const rows = await tx.select({ body: notes.body }).from(notes).where(eq(notes.interactionId, id)).orderBy(notes.createdAt, notes.id);
  return rows.map((row) => row.body);
}

/**
 * Rewrites a cached snapshot's search columns from its stored body and its notes now (nothing
 * when it is not cached). lib/notes calls it inside the transaction that writes a note; it takes
 * the snapshot's lock, so a save running at the same time waits and then reads the notes too.
 */
export async function reindexPostgresSearch(tx: PostgresExecutor, id: string): Promise<void> {
  await tx.execute(lockInteractionSql(id));
  const [row] = await tx.select({ rawJson: interactions.rawJson }).from(interactions).where(eq(interactions.id, id));
  if (!row) return;
  const interaction = JSON.parse(row.rawJson) as Interaction;
  await tx.update(interactions).set(searchColumns(interaction, await noteBodiesOf(tx, id))).where(eq(interactions.id, id));
}

/**
 * Runs hand-written SQL (node-postgres' own type parsers: timestamptz as Date, arrays as arrays).
 * `recoverable`: a statement whose failure the caller handles by asking again; inside a
 * transaction it runs under a savepoint, so that its failure does not end the transaction.
 */
type Run = <T extends QueryResultRow>(query: SQL, options?: { recoverable?: boolean }) => Promise<T[]>;

export function createPostgresInteractionRepository(db: PostgresDb, options: { searchBudgetMs?: number } = {}): InteractionRepository {
  const dialect = new PgDialect();
  const pool = db.$client;
  const searchBudgetMs = options.searchBudgetMs ?? SEARCH_BUDGET_MS;

  /** Runs hand-written SQL on the pool. */
  const rows: Run = async <T extends QueryResultRow>(query: SQL) => {
    const { sql: text, params } = dialect.sqlToQuery(query);
    return (await pool.query<T>(text, params)).rows;
  };

  /**
   * Runs a search's statements on one connection, in one read-only transaction (every tier reads
   * the same snapshot), each statement bounded by what is left of the search's budget.
   */
  async function withinSearchBudget<R>(work: (run: Run) => Promise<R>): Promise<R> {
    const client = await pool.connect();
    const deadline = performance.now() + searchBudgetMs;
    let broken = false;
    try {
      await client.query("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY");
      // Every read here names its project, and an index leads with it. A sequential scan reads every
      // project's rows, and the statistics make it look cheapest when a filter or a word is common
      // somewhere (in a hidden project too): the time taken would then say what that project holds.
      await client.query("SELECT set_config('enable_seqscan', 'off', true)");
      const run: Run = async <T extends QueryResultRow>(query: SQL, { recoverable = false } = {}) => {
        // At least 1 ms: with nothing left, Postgres stops the statement at once, as any over-long one.
        const left = Math.max(1, Math.ceil(deadline - performance.now()));
        await client.query("SELECT set_config('statement_timeout', $1, true)", [`${left}ms`]);
        const { sql: text, params } = dialect.sqlToQuery(query);
        if (!recoverable) return (await client.query<T>(text, params)).rows;
        await client.query("SAVEPOINT recoverable");
        try {
          return (await client.query<T>(text, params)).rows;
        } catch (error) {
          await client.query("ROLLBACK TO SAVEPOINT recoverable");
          throw error;
        }
      };
      const result = await work(run);
      await client.query("COMMIT");
      return result;
    } catch (error) {
      await client.query("ROLLBACK").catch(() => {
        broken = true;
      });
      throw error;
    } finally {
      // A connection that could not even roll back is dropped, not handed to the next request.
      client.release(broken || undefined);
    }
  }

  const lockInteraction = lockInteractionSql;

  /** The query's filters but its projects (which perProject names, one arm each). */
  function filterConditions(query: CachedSearchQuery): SQL[] {
    const conditions: SQL[] = [];
    if (query.user) conditions.push(sql`i."user" = ${filterValue(query.user)}`);
    if (query.topic) conditions.push(sql`i.topic = ${filterValue(query.topic)}`);
    if (query.sentiment) conditions.push(sql`i.sentiment = ${filterValue(query.sentiment)}`);
    if (query.feedbackType) conditions.push(sql`i.feedback_type = ${filterValue(query.feedbackType)}`);
    for (const key of query.labels ?? []) conditions.push(sql`i.id IN (${labelled(key)})`);
    for (const key of query.excludeLabels ?? []) conditions.push(sql`i.id NOT IN (${labelled(key)})`);
    if (query.sort === "viewed") conditions.push(sql`i.last_viewed_at IS NOT NULL`);
    return conditions;
  }

  /** Ids of interactions carrying the label of this name key (NUL, which no name holds, made harmless by filterValue). */
  const labelled = (nameKey: string) => sql`SELECT il.interaction_id FROM interaction_labels AS il JOIN labels AS l ON l.id = il.label_id WHERE l.name_key = ${filterValue(nameKey)}`;

  const whereOf = (conditions: SQL[]) => (conditions.length ? sql`WHERE ${sql.join(conditions, sql` AND `)}` : sql``);
  // NULLS LAST in both: the order of the project-led indexes (viewed lists hold no null anyway).
  const orderOf = (query: CachedSearchQuery, table = sql`i`) =>
    query.sort === "viewed" ? sql`${table}.last_viewed_at DESC NULLS LAST, ${table}.id` : sql`${table}.timestamp DESC NULLS LAST, ${table}.id`;

  /**
   * `arm` once per project, joined by UNION ALL, each arm's WHERE naming its project with `=`
   * (`project` is that condition; null when `projects` is undefined: every project, one arm). The
   * list indexes lead with the project, and `= ANY(…)` would read them (or another index) across
   * every project's rows and drop the hidden ones one by one, which takes time a viewer can
   * measure. Null when there is no project to read.
   */
  const perProject = (projects: readonly string[] | undefined, arm: (project: SQL[]) => SQL): SQL | null => {
    const slugs = projects ? [...new Set(projects)] : [null];
    if (slugs.length === 0) return null;
    return sql.join(
      slugs.map((slug) => sql`(${arm(slug === null ? [] : [sql`i.project_slug = ${slug}`])})`),
      sql` UNION ALL `,
    );
  };

  /**
   * The list fields of these rows, in the order given; with a snippet plan, the window of
   * search_body around the first match too (found by strpos in a bounded prefix of search_folded).
   * Titles and answers are read from raw_json as jsonb. If Postgres refuses some row's JSON (valid
   * JSON that jsonb cannot hold: a \u0000 escape, a lone surrogate, a number past numeric's range)
   * the rows are read again with a check (pg_input_is_valid, Postgres 16 and later), and those
   * rows' fields are read in TypeScript; if the check fails too, every row's are.
   */
  async function listRows(run: Run, ids: string[], plan: SnippetPlan | null, json: "jsonb" | "checked" | "none" = "jsonb"): Promise<ListRow[]> {
    if (ids.length === 0) return [];
    const doc =
      json === "jsonb"
        ? sql`i.raw_json::jsonb`
        : json === "checked"
          ? sql`CASE WHEN pg_input_is_valid(i.raw_json, 'jsonb') THEN i.raw_json::jsonb END`
          : sql`NULL::jsonb`;
    const title = sql.join(
      TITLE_PATHS.map((path) => sql`nullif(btrim(j.doc #>> ${sql.param(path)}::text[]), '')`),
      sql`, `,
    );
    const snippet = plan
      ? sql`, s.pos AS "snippetPos", greatest(coalesce(s.pos, 1) - ${SNIPPET_WINDOW_BEFORE}, 1) AS "snippetStart",
          substr(i.search_body, greatest(coalesce(s.pos, 1) - ${SNIPPET_WINDOW_BEFORE}, 1), ${SNIPPET_WINDOW_CHARS}) AS "snippetWindow"`
      : sql``;
    const snippetJoin = plan
      ? sql`CROSS JOIN LATERAL (
          SELECT coalesce(
            (SELECT min(nullif(strpos(h.t, n), 0)) FROM unnest(${sql.param(plan.needles)}::text[]) AS n),
            (SELECT min(nullif(strpos(h.t, n), 0)) FROM unnest(${sql.param(plan.fallback)}::text[]) AS n)
          ) AS pos
          FROM (SELECT substr(i.search_folded, 1, ${SNIPPET_SCAN_CHARS}) AS t OFFSET 0) AS h
        ) AS s`
      : sql``;
    let found: ListRow[];
    try {
      found = await run<ListRow>(sql`
        SELECT i.id, i.project_slug AS "projectSlug", i.timestamp, i.last_viewed_at AS "lastViewedAt", i."user", i.topic,
          i.sentiment, i.feedback_type AS "feedbackType",
          substr(coalesce(${title}), 1, ${TITLE_MAX}) AS query,
          substr(j.doc ->> 'output', 1, ${SNIPPET_CHARS}) AS output,
          j.doc IS NULL AS "jsonBad"${snippet}
        FROM interactions AS i
        CROSS JOIN LATERAL (SELECT ${doc} AS doc OFFSET 0) AS j
        ${snippetJoin}
        WHERE i.id = ANY(${sql.param(ids)}::text[])`,
        { recoverable: json !== "none" },
      );
    } catch (error) {
      // 22xxx: data exceptions (jsonb's "unsupported Unicode escape sequence", a bad surrogate, a number too large).
      if (json === "jsonb" && (error as { code?: string }).code?.startsWith("22")) return listRows(run, ids, plan, "checked");
      if (json === "checked") return listRows(run, ids, plan, "none");
      throw error;
    }
    const bad = found.filter((row) => row.jsonBad).map((row) => row.id);
    if (bad.length) {
      const raw = await run<{ id: string; rawJson: string }>(sql`SELECT id, raw_json AS "rawJson" FROM interactions WHERE id = ANY(${sql.param(bad)}::text[])`);
      const fields = new Map(raw.map((row) => [row.id, listFieldsFromJson(row.rawJson)]));
      for (const row of found) if (row.jsonBad) Object.assign(row, fields.get(row.id));
    }
    const byId = new Map(found.map((row) => [row.id, row]));
    return ids.flatMap((id) => byId.get(id) ?? []);
  }

  /** Lists rows without text matching (or with excluded words only), newest or last viewed first. */
  async function listAll(run: Run, query: CachedSearchQuery, extra: SQL[]): Promise<Omit<CachedSearchResult, "reading">> {
    const others = [...filterConditions(query), ...extra];
    // One row more than a page says whether there is a next page; each project gives its first
    // rows up to the page's end, and the merge cuts the page. The count reads no wide column.
    const pages = perProject(
      query.projects,
      (project) => sql`SELECT i.id, i.timestamp, i.last_viewed_at FROM interactions AS i ${whereOf([...project, ...others])}
        ORDER BY ${orderOf(query)} LIMIT ${query.offset + query.limit + 1}`,
    );
    // In list order too: unordered, a filter the statistics call common (common in a hidden project)
    // makes a sequential scan look cheapest, and it reads every project's rows.
    const counted = perProject(
      query.projects,
      (project) => sql`SELECT 1 FROM interactions AS i ${whereOf([...project, ...others])} ORDER BY ${orderOf(query)} LIMIT ${COUNT_LIMIT + 1}`,
    );
    if (!pages || !counted) return { items: [], hasMore: false, count: 0, countIsLimit: false };
    const [found] = await run<{ n: number; ids: string[] }>(sql`
      SELECT (SELECT count(*)::int FROM (SELECT 1 FROM (${counted}) AS c LIMIT ${COUNT_LIMIT + 1}) AS t) AS n,
        ARRAY(SELECT m.id FROM (${pages}) AS m ORDER BY ${orderOf(query, sql`m`)} LIMIT ${query.limit + 1} OFFSET ${query.offset}) AS ids`);
    const items = (await listRows(run, found.ids.slice(0, query.limit), null)).map((row) => toItem(row, null));
    return { items, hasMore: found.ids.length > query.limit, count: Math.min(found.n, COUNT_LIMIT), countIsLimit: found.n > COUNT_LIMIT };
  }

  /**
   * One tier: how many rows it has (up to `cap`) and `take` ids from `skip` on (skip + take is
   * never past `cap`). Each project gives its first `cap` matches in list order, by whatever plan
   * the planner finds cheapest among the project-led indexes (a GIN index and a sort for rare
   * text, the project's list index walked with each row checked for common text or a filter); the
   * merge keeps the first `cap`, and the page is cut from them.
   */
  async function readTier(
    run: Run,
    tier: Tier,
    query: CachedSearchQuery,
    cap: number,
    skip: number,
    take: number,
    before: string[] | null,
  ): Promise<{ count: number; ids: string[]; every: string[] | null }> {
    const notBefore: Condition[] = !tier.notBefore
      ? []
      : before
        ? [() => sql`NOT (i.id = ANY(${sql.param(before)}::text[]))`, ...(tier.notBefore.known ? [tier.notBefore.known] : [])]
        : [tier.notBefore.any];
    const conditions = [...tier.conditions, ...notBefore];
    // One arm per project, each naming it with `=`: the search indexes lead with the project, and
    // only an equality (not `= ANY`) is read from a GIN index, so no other project's row is read.
    // In list order: unordered, a filter or word the statistics call common (perhaps only in a
    // hidden project) makes "read the project's rows until `cap` match" look cheapest, and the
    // project's rows are then all read when the viewer's hold few matches.
    const arms = perProject(
      query.projects,
      (project) => sql`SELECT i.id, i.timestamp, i.last_viewed_at FROM interactions AS i
        ${whereOf([...project, ...filterConditions(query), ...conditions.map((condition) => condition("index"))])} ORDER BY ${orderOf(query)} LIMIT ${cap}`,
    );
    if (!arms) return { count: 0, ids: [], every: [] };
    const [collected] = await run<{ n: number; ids: string[]; every: string[] }>(sql`
      WITH m AS MATERIALIZED (SELECT * FROM (${arms}) AS u ORDER BY ${orderOf(query, sql`u`)} LIMIT ${cap})
      SELECT (SELECT count(*)::int FROM m) AS n,
        ARRAY(SELECT m.id FROM m ORDER BY ${orderOf(query, sql`m`)} LIMIT ${Math.max(take, 0)} OFFSET ${skip}) AS ids,
        ARRAY(SELECT m.id FROM m) AS every`);
    const count = collected.n;
    const every = count < cap ? collected.every : null;
    return { count, ids: take <= 0 || skip >= count ? [] : collected.ids, every };
  }

  /** Pages through the tiers in order (whole words, then inside words), as the SQLite store does. */
  async function searchTiers(run: Run, tiers: Tier[], query: CachedSearchQuery, plan: SnippetPlan): Promise<Omit<CachedSearchResult, "reading">> {
    if (query.projects?.length === 0) return { items: [], hasMore: false, count: 0, countIsLimit: false };
    const need = query.limit + 1;
    const ids: string[] = [];
    let skip = query.offset;
    let counted = 0;
    let before: string[] | null = null;
    for (const tier of tiers) {
      if (counted > COUNT_LIMIT && ids.length >= need) break;
      const cap = Math.max(COUNT_LIMIT + 1 - counted, skip + need - ids.length);
      const { count, ids: page, every } = await readTier(run, tier, query, cap, skip, need - ids.length, before);
      before = every;
      ids.push(...page);
      skip = Math.max(0, skip - count);
      counted += count;
    }
    const items = (await listRows(run, ids.slice(0, query.limit), plan)).map((row) => toItem(row, plan));
    return { items, hasMore: ids.length > query.limit, count: Math.min(counted, COUNT_LIMIT), countIsLimit: counted > COUNT_LIMIT };
  }

  /**
   * Every item as Postgres reads it: its words as a tsquery made by Postgres from the folded text
   * (phraseto_tsquery; to_tsquery over one quoted operand with :* for an item matched at word
   * starts), and how it is found inside words.
   */
  async function resolveItems(run: Run, items: SearchItem[]): Promise<ResolvedItem[]> {
    const folded = items.map((item) => foldText(item.text));
    const prefix = items.map((item) => !item.phrase && substringForm(item).kind === "words-only");
    const resolved = await run<{ q: string }>(sql`
      SELECT (CASE WHEN u.prefix THEN to_tsquery('simple', u.t) ELSE phraseto_tsquery('simple', u.t) END)::text AS q
      FROM unnest(${sql.param(folded.map((text, k) => (prefix[k] ? prefixOperand(text) : text)))}::text[], ${sql.param(prefix)}::boolean[])
        WITH ORDINALITY AS u(t, prefix, n)
      ORDER BY u.n`);
    return items.map((item, k) => {
      const form = substringForm(item);
      return {
        item,
        folded: folded[k],
        words: resolved[k]?.q ? resolved[k].q : null,
        inside: form.kind === "literal" ? containsText(folded[k]) : form.kind === "pair" ? containsPair(folded[k]) : null,
      };
    });
  }

  /**
   * The tiers, as the SQLite store plans them (planTiers there says what each tier is).
   * Tier 1: every group has one of its items as a whole word or phrase (search_words).
   * Tier 2: every group's text occurs anywhere (search_folded, search_pairs), and not tier 1.
   * Both leave out rows with an excluded item as a word or anywhere inside one. An item without
   * words Postgres indexes (all of it punctuation to its parser) matches nothing as a word.
   */
  function planTiers(groups: ResolvedItem[][], excluded: ResolvedItem[]): { tiers: Tier[]; exclusions: Condition[] } {
    const groupWords = (group: ResolvedItem[]) => {
      const words = group.flatMap((item) => (item.words ? [item.words] : []));
      return words.length ? tsJoin(words, "|") : null;
    };
    const allWords = (list: ResolvedItem[][]) => {
      const words = list.map(groupWords);
      return words.every((query): query is string => query !== null) ? tsJoin(words, "&") : null;
    };
    const excludedWordList = excluded.flatMap((item) => (item.words ? [item.words] : []));
    const wordsExcluded = excludedWordList.length ? tsJoin(excludedWordList, "|") : null;
    const excludedInside = excluded.flatMap((item) => (item.inside ? [item.inside] : []));
    const insideExcluded = excludedInside.length ? notCondition(anyCondition(excludedInside)) : null;
    const exclusions = [...(wordsExcluded ? [notCondition(wordsMatch(wordsExcluded))] : []), ...(insideExcluded ? [insideExcluded] : [])];
    if (groups.length === 0) return { tiers: [], exclusions };

    const tiers: Tier[] = [];
    const wordsPositive = allWords(groups);
    if (wordsPositive) {
      tiers.push({
        conditions: [wordsMatch(wordsExcluded ? `(${wordsPositive}) & !(${wordsExcluded})` : wordsPositive), ...(insideExcluded ? [insideExcluded] : [])],
      });
    }
    const inside: Condition[] = [];
    const wordsOnly: ResolvedItem[][] = [];
    for (const group of groups) {
      if (group.some((item) => item.inside === null)) wordsOnly.push(group);
      else inside.push(anyCondition(group.map((item) => item.inside!)));
    }
    const wordsOnlyQuery = wordsOnly.length ? allWords(wordsOnly) : null;
    if (inside.length && (wordsOnly.length === 0 || wordsOnlyQuery)) {
      const notExcludedWords = wordsExcluded ? notCondition(wordsMatch(wordsExcluded)) : null;
      tiers.push({
        conditions: [
          ...inside,
          ...(wordsOnlyQuery ? [wordsMatch(wordsOnlyQuery)] : []),
          ...(insideExcluded ? [insideExcluded] : []),
          ...(!wordsPositive && notExcludedWords ? [notExcludedWords] : []),
        ],
        // Not tier 1: no whole-word match, and no excluded word (tier 1 left those out).
        ...(wordsPositive && {
          notBefore: {
            any: notCondition(wordsMatch(wordsExcluded ? tsJoin([wordsPositive, wordsExcluded], "|") : wordsPositive)),
            known: notExcludedWords,
          },
        }),
      });
    }
    return { tiers, exclusions };
  }

  async function searchText(run: Run, query: CachedSearchQuery, text: string): Promise<CachedSearchResult> {
    const parsed: ParsedSearch = parseSearch(text);
    if (parsed.groups.length === 0 && parsed.excluded.length === 0) {
      return { items: [], hasMore: false, count: 0, countIsLimit: false, reading: { nothingToSearch: true, notes: parsed.notes } };
    }
    const resolved = await resolveItems(run, [...parsed.groups.flat(), ...parsed.excluded]);
    let at = 0;
    const groups = parsed.groups.map((group) => group.map(() => resolved[at++]));
    const excluded = parsed.excluded.map(() => resolved[at++]);
    const { tiers, exclusions } = planTiers(groups, excluded);
    const notes = [...parsed.notes, ...shortItemNotes([...parsed.groups.flat(), ...parsed.excluded], [])];
    const reading = { nothingToSearch: false, notes };
    if (parsed.groups.length === 0) return { ...(await listAll(run, query, exclusions.map((exclusion) => exclusion("scan")))), reading };
    if (tiers.length === 0) return { items: [], hasMore: false, count: 0, countIsLimit: false, reading };
    const positive = groups.flat();
    const plan: SnippetPlan = {
      needles: [...new Set(positive.map((item) => item.folded))].slice(0, SNIPPET_SCAN_ITEMS),
      fallback: [...new Set(positive.filter((item) => item.item.phrase).flatMap((item) => item.folded.split(" ")))].slice(0, SNIPPET_SCAN_ITEMS),
      short: positive.filter((item) => item.inside === null).map((item) => ({ folded: item.folded, phrase: item.item.phrase })),
      highlight: positive.filter((item) => item.inside !== null).map((item) => item.item.text),
    };
    return { ...(await searchTiers(run, tiers, query, plan)), reading };
  }

  /** Deletes these snapshot rows (with their search columns); how many there were. */
  async function deleteRows(ids: readonly string[]): Promise<number> {
    const result = await db.execute(sql`DELETE FROM interactions WHERE id = ANY(${sql.param([...ids])}::text[])`);
    return result.rowCount ?? 0;
  }

  return {
    async find(id) {
      const [row] = await db.select(storedColumns).from(interactions).where(eq(interactions.id, id));
      return row;
    },

    async save(id, interaction, rawJson, fetchedAt, projectSlug) {
      return db.transaction(async (tx): Promise<StoredInteraction | null> => {
        // Serialised with forget and with note writes (the same lock): a fetch that started before
        // a forget never undoes it, and the notes read here are the ones committed.
        await tx.execute(lockInteraction(id));
        const [forgotten] = await tx.select({ id: forgottenInteractions.id }).from(forgottenInteractions).where(eq(forgottenInteractions.id, id));
        if (forgotten) return null;
        // The team's notes stay with the interaction across refreshes, and in its search text.
        const indexed = snapshotValues(interaction, rawJson, fetchedAt, projectSlug, await noteBodiesOf(tx, id));
        const [row] = await tx
          .insert(interactions)
          .values({ id, ...indexed })
          .onConflictDoUpdate({ target: interactions.id, set: indexed })
          .returning(storedColumns);
        return row;
      });
    },

    async forget(id, at, by, projectSlug) {
      return db.transaction(async (tx): Promise<ForgetOutcome | null> => {
        await tx.execute(lockInteraction(id));
        // Open links first: the guard trigger refuses to delete a snapshot an unrevoked link points to.
        const links = await tx
          .select({ id: shareLinks.id, revokedAt: shareLinks.revokedAt })
          .from(shareLinks)
          .where(eq(shareLinks.interactionId, id))
          .orderBy(shareLinks.createdAt, shareLinks.id)
          .for("update");
        const open = links.filter((link) => link.revokedAt === null).map((link) => link.id);
        const revoked = open.length
          ? await tx
              .update(shareLinks)
              .set({ revokedAt: at })
              .where(and(inArray(shareLinks.id, open), isNull(shareLinks.revokedAt)))
              .returning({ id: shareLinks.id })
          : [];
        const revokedIds = new Set(revoked.map((link) => link.id));
        const snapshot = ((await tx.execute(sql`DELETE FROM interactions WHERE id = ${id}`)).rowCount ?? 0) > 0;
        // Labels go with the snapshot: a forgotten interaction keeps nothing the team said about it.
        await tx.execute(sql`DELETE FROM interaction_labels WHERE interaction_id = ${id}`);
        // Notes are the team's words about the interaction: forgetting it removes them with the snapshot.
        const notesRemoved = (await tx.execute(sql`DELETE FROM notes WHERE interaction_id = ${id}`)).rowCount ?? 0;
        // Pages name ids as JSON strings, in whatever case Nebuly wrote them; ids here are lower case.
        const listPages = (await tx.execute(sql`DELETE FROM list_cache WHERE strpos(lower(response_json), ${`"${id}"`}) > 0`)).rowCount ?? 0;
        if (!snapshot && notesRemoved === 0 && links.length === 0 && listPages === 0) {
          const [marked] = await tx.select({ id: forgottenInteractions.id }).from(forgottenInteractions).where(eq(forgottenInteractions.id, id));
          // Nothing was stored about it: an id nobody cached is not remembered.
          if (!marked) return null;
        }
        await tx
          .insert(forgottenInteractions)
          .values({ id, forgottenAt: at, forgottenBy: by, projectSlug })
          .onConflictDoUpdate({ target: forgottenInteractions.id, set: { forgottenAt: at, forgottenBy: by, projectSlug } });
        return { snapshot, listPages, revokedLinks: open.filter((link) => revokedIds.has(link)), hadLinks: links.length > 0 };
      });
    },

    async forgotten(id) {
      const [row] = await db.select().from(forgottenInteractions).where(eq(forgottenInteractions.id, id));
      return row;
    },

    async unforget(id) {
      await db.delete(forgottenInteractions).where(eq(forgottenInteractions.id, id));
    },

    async unusedSince(cutoff, limit) {
      const found = await rows<{ id: string }>(sql`
        SELECT i.id FROM interactions AS i
        WHERE i.fetched_at < ${cutoff} AND (i.last_viewed_at IS NULL OR i.last_viewed_at < ${cutoff})
          AND NOT EXISTS (SELECT 1 FROM share_links AS l WHERE l.interaction_id = i.id AND l.revoked_at IS NULL)
          AND NOT EXISTS (SELECT 1 FROM interaction_labels AS il WHERE il.interaction_id = i.id)
          AND NOT EXISTS (SELECT 1 FROM notes AS n WHERE n.interaction_id = i.id)
        ORDER BY i.fetched_at LIMIT ${limit}`);
      return found.map((row) => row.id);
    },

    async deleteSnapshots(ids) {
      // One statement is one transaction: if the guard refuses one row, none is deleted (as on SQLite).
      return ids.length ? deleteRows(ids) : 0;
    },

    async deleteListPagesBefore(cutoff, limit) {
      const result = await db.execute(sql`DELETE FROM list_cache WHERE key IN (SELECT key FROM list_cache WHERE fetched_at < ${cutoff} LIMIT ${limit})`);
      return result.rowCount ?? 0;
    },

    async recordView(id, at) {
      await db.update(interactions).set({ lastViewedAt: at }).where(eq(interactions.id, id));
    },

    async recentlyViewed(limit, projects) {
      const viewed = perProject(
        projects,
        (project) => sql`SELECT i.id, i.last_viewed_at FROM interactions AS i ${whereOf([...project, sql`i.last_viewed_at IS NOT NULL`])}
          ORDER BY i.last_viewed_at DESC NULLS LAST, i.id LIMIT ${limit}`,
      );
      if (!viewed) return [];
      const page = await rows<{ id: string }>(sql`SELECT m.id FROM (${viewed}) AS m ORDER BY m.last_viewed_at DESC NULLS LAST, m.id LIMIT ${limit}`);
      return (await listRows(rows, page.map((row) => row.id), null)).map((row) => toItem(row, null));
    },

    async search(query) {
      const text = query.text?.trim();
      // Anything typed is bounded (withinSearchBudget); a plain list is an index walk.
      return text ? withinSearchBudget((run) => searchText(run, query, text)) : listAll(rows, query, []);
    },

    async facets(projects) {
      const distinct = async (column: "topic" | "sentiment" | "feedback_type") => {
        const name = sql.identifier(column);
        // COLLATE "C": code point order, as SQLite's BINARY, whatever the database's collation.
        const values = perProject(
          projects,
          (project) => sql`SELECT DISTINCT i.${name} COLLATE "C" AS value FROM interactions AS i ${whereOf([...project, sql`i.${name} IS NOT NULL`])} ORDER BY 1 LIMIT 200`,
        );
        if (!values) return [];
        const found = await rows<{ value: string }>(sql`SELECT DISTINCT u.value FROM (${values}) AS u ORDER BY 1 LIMIT 200`);
        return found.map((row) => row.value);
      };
      return { topics: await distinct("topic"), sentiments: await distinct("sentiment"), feedbackTypes: await distinct("feedback_type") };
    },

    async listedIn(id) {
      const pages = await rows<{ key: string }>(sql`SELECT key FROM list_cache WHERE strpos(lower(response_json), ${`"${id}"`}) > 0 LIMIT 20`);
      const slugs = pages.flatMap(({ key }) => {
        // "slug:{…}"; pages cached before projects existed have no prefix and tell nothing.
        const slug = /^([a-z0-9-]{1,40}):\{/.exec(key)?.[1];
        return slug ? [slug] : [];
      });
      return [...new Set(slugs)];
    },

    async hasRowsOutside(slugs) {
      const [row] = await rows<{ found: boolean }>(
        sql`SELECT EXISTS (SELECT 1 FROM interactions AS i WHERE NOT (i.project_slug = ANY(${sql.param([...slugs])}::text[]))) AS found`,
      );
      return row.found;
    },

    async findList(key) {
      const [row] = await db.select().from(listCache).where(eq(listCache.key, storedListKey(key)));
      return row && { ...row, key };
    },

    async saveList(key, responseJson, fetchedAt) {
      const stored = storedListKey(key);
      await db
        .insert(listCache)
        .values({ key: stored, responseJson, fetchedAt })
        .onConflictDoUpdate({ target: listCache.key, set: { responseJson, fetchedAt } });
    },
  };
}
