import { sql, type AnyColumn, type SQL } from "drizzle-orm";
import { TITLE_JSON_PATHS, TITLE_MAX } from "@/lib/nebuly/title";

/*
 * Reading stored bodies (raw_json, text) as JSON on Postgres. A body is kept exactly as Nebuly
 * sent it, and jsonb refuses some valid JSON: a \u0000 escape or a lone surrogate escape ("\ud800")
 * in any string, a number past numeric's range (1e400000). Casting such a body would fail the whole
 * query, and one hostile interaction would break every list it appears in; here such a body reads
 * as NULL instead. (SQLite's json_extract reads those bodies.) pg_input_is_valid needs Postgres 16
 * or later; it parses each body once more, which lists (a page, a few hundred suggestions) afford.
 */
const READABLE = (rawJson: AnyColumn) => sql`pg_input_is_valid(${rawJson}, 'jsonb')`;

/**
 * `read(json)` evaluated on the body as jsonb, or NULL for a body jsonb refuses. The body is parsed
 * once however often `read` refers to it (OFFSET 0 keeps the planner from copying the cast into
 * each reference).
 */
export function readPostgresJson<T>(rawJson: AnyColumn, read: (json: SQL) => SQL<T>): SQL<T | null> {
  const json = sql`raw_json_body.value`;
  // Refused by jsonb but free of \u escapes (a number past numeric's range): json, which keeps the
  // text and reads it as it goes, reads it as SQLite does. `read` uses operators both types have.
  return sql<T | null>`(CASE WHEN ${READABLE(rawJson)} THEN (SELECT ${read(json)} FROM (SELECT ${rawJson}::jsonb AS value OFFSET 0) AS raw_json_body)
    WHEN strpos(${rawJson}, '\\u') = 0 THEN (SELECT ${read(json)} FROM (SELECT ${rawJson}::json AS value OFFSET 0) AS raw_json_body) END)`;
}

/**
 * A SQLite-style JSON path of TITLE_JSON_PATHS ("$.key", "[0]") as a Postgres operator chain on
 * `json`, the last step as text: `-> 'key'`, and `-> 0` for an index (which, like SQLite's [0],
 * reads arrays only: an object's key "0" is not element 0).
 */
function textAt(json: SQL, path: string): SQL<string | null> {
  const steps: string[] = [];
  const step = /\.([A-Za-z_][A-Za-z0-9_]*)|\[(\d+)\]/y;
  if (!path.startsWith("$")) throw new Error(`unsupported JSON path: ${path}`);
  step.lastIndex = 1;
  while (step.lastIndex < path.length) {
    const match = step.exec(path);
    if (!match) throw new Error(`unsupported JSON path: ${path}`);
    // Keys and indexes are checked by the pattern: no quote can reach the SQL text.
    steps.push(match[1] !== undefined ? `'${match[1]}'` : match[2]);
  }
  const last = steps.pop();
  if (last === undefined) throw new Error(`unsupported JSON path: ${path}`);
  return sql<string | null>`(${json}${sql.raw(steps.map((key) => ` -> ${key}`).join(""))} ->> ${sql.raw(last)})`;
}

/**
 * The interaction's title in Postgres SQL, from the one definition in lib/nebuly/title.ts, as
 * titleSql (lib/interactions/repository.sqlite.ts) builds it for SQLite: the first of
 * TITLE_JSON_PATHS that is not blank (spaces trimmed), cut to TITLE_MAX characters.
 */
export function postgresTitleSql(rawJson: AnyColumn): SQL<string | null> {
  return readPostgresJson(rawJson, (json) => {
    const candidates = TITLE_JSON_PATHS.map((path) => sql`nullif(trim(${textAt(json, path)}), '')`);
    return sql<string | null>`substr(coalesce(${sql.join(candidates, sql`, `)}), 1, ${sql.raw(String(TITLE_MAX))})`;
  });
}
