import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import { STANDALONE_DIR } from "./app-server";

/**
 * Reading and writing an app's database from a test, on either store: better-sqlite3 on a
 * `file:` URL, pg on a `postgres://` one. One SQL text serves both: write `?` placeholders (they
 * become `$1`, `$2`… for Postgres) and SQL both dialects take.
 *
 * Values are given and returned as SQLite holds them, so a test reads the same on both stores:
 * - a Date parameter is bound as integer milliseconds on SQLite (its timestamps) and as a
 *   timestamptz on Postgres; a timestamp column comes back as milliseconds from both;
 * - a bigint (count(*), created_at of __drizzle_migrations) comes back as a number.
 */
export type Row = Record<string, unknown>;

export const isPostgresUrl = (databaseUrl: string) => /^postgres(ql)?:\/\//i.test(databaseUrl);

/** The file a `file:` URL names. */
export const sqliteFile = (databaseUrl: string) => databaseUrl.replace(/^file:/, "");

const INT8 = 20;
const TIMESTAMP = 1114;
const TIMESTAMPTZ = 1184;

function postgresTypes() {
  return {
    getTypeParser(oid: number, format?: "text" | "binary") {
      if (oid === INT8) return (value: string) => Number(value);
      if (oid === TIMESTAMPTZ || oid === TIMESTAMP) {
        const parseDate = pg.types.getTypeParser(oid, "text");
        return (value: string) => (parseDate(value) as Date).getTime();
      }
      return pg.types.getTypeParser(oid, format as "text");
    },
  };
}

/** `?` placeholders (outside quotes) as Postgres's `$1`, `$2`… */
function numberedPlaceholders(sql: string): string {
  let index = 0;
  let quote: string | null = null;
  let out = "";
  for (const char of sql) {
    if (quote) {
      if (char === quote) quote = null;
    } else if (char === "'" || char === '"') {
      quote = char;
    } else if (char === "?") {
      out += `$${++index}`;
      continue;
    }
    out += char;
  }
  return out;
}

/** Runs one statement on the database `databaseUrl` names; the rows it returns (none for a write). */
export async function queryDatabase<T extends Row = Row>(databaseUrl: string, sql: string, params: unknown[] = []): Promise<T[]> {
  if (isPostgresUrl(databaseUrl)) {
    const client = new pg.Client({ connectionString: databaseUrl, types: postgresTypes() });
    await client.connect();
    try {
      return (await client.query(numberedPlaceholders(sql), params)).rows as T[];
    } finally {
      await client.end();
    }
  }
  const db = new Database(sqliteFile(databaseUrl));
  try {
    db.pragma("busy_timeout = 5000");
    const statement = db.prepare(sql);
    const bound = params.map((param) => (param instanceof Date ? param.getTime() : typeof param === "boolean" ? Number(param) : param));
    if (!statement.reader) {
      statement.run(...bound);
      return [];
    }
    return statement.all(...bound) as T[];
  } finally {
    db.close();
  }
}

/** Migrations the release ships for the store `databaseUrl` names: their `created_at` (folder millis), oldest first. */
export function shippedMigrations(databaseUrl: string): number[] {
  const dialect = isPostgresUrl(databaseUrl) ? "postgres" : "sqlite";
  const journal = JSON.parse(fs.readFileSync(path.join(STANDALONE_DIR, "drizzle", dialect, "meta/_journal.json"), "utf8")) as { entries: { when: number }[] };
  return journal.entries.map((entry) => entry.when);
}

/** What a newer release migrating the same database (a rolling upgrade) leaves behind: one more migration, past this release's head. */
export async function recordNewerMigration(databaseUrl: string): Promise<void> {
  await queryDatabase(databaseUrl, 'INSERT INTO "__drizzle_migrations" (hash, created_at) VALUES (?, ?)', ["from-a-newer-release", Math.max(...shippedMigrations(databaseUrl)) + 1000]);
}

/** The tables the database holds (bookkeeping and search tables included). */
export async function tableNames(databaseUrl: string): Promise<string[]> {
  const sql = isPostgresUrl(databaseUrl)
    ? "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'"
    : "SELECT name FROM sqlite_master WHERE type = 'table'";
  return (await queryDatabase<{ name: string }>(databaseUrl, sql)).map((row) => row.name);
}
