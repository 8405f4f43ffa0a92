import "server-only";
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { drizzle, type BetterSQLite3Database } from "drizzle-orm/better-sqlite3";
import { env } from "@/lib/env";
import { migrateDatabase } from "./migrate";
import * as schema from "./schema";

export type Db = BetterSQLite3Database<typeof schema> & { $client: Database.Database };

const APP_DIR = Symbol.for("interaction-inspector.app-dir");

/**
 * The migrations this release ships. server.mjs names the folder it runs from (the standalone
 * server carries its own copy of drizzle/, and is started from wherever the data lives); scripts
 * and tests run from the project root.
 */
export function migrationsFolder(): string {
  const appDir = (globalThis as Record<symbol, unknown>)[APP_DIR];
  return path.join(typeof appDir === "string" ? appDir : process.cwd(), "drizzle");
}

/** Opens (creating if needed) a database file and brings its schema up to date. */
export function openDatabase(filename: string, migrations: string = migrationsFolder()): Db {
  if (filename !== ":memory:") restrictToOwner(filename);
  const sqlite = new Database(filename);
  // First, so that a second process opening the same file waits for the lock instead of failing.
  sqlite.pragma("busy_timeout = 5000");
  // WAL keeps readers unblocked during a write, and a killed process loses only uncommitted work.
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("synchronous = NORMAL");
  sqlite.pragma("foreign_keys = ON");
  migrateDatabase(sqlite, migrations);
  return drizzle(sqlite, { schema });
}

/**
 * The database holds chat logs and the generated session secret: readable by the owner only.
 * A folder we create is 0700; the file is created 0600 before SQLite opens it (SQLite gives its
 * -wal and -shm files the same mode), and an existing file is narrowed to 0600.
 */
function restrictToOwner(filename: string) {
  const file = path.resolve(filename);
  const folder = path.dirname(file);
  if (!fs.existsSync(/*turbopackIgnore: true*/ folder)) fs.mkdirSync(/*turbopackIgnore: true*/ folder, { recursive: true, mode: 0o700 });
  fs.closeSync(fs.openSync(/*turbopackIgnore: true*/ file, "a", 0o600));
  for (const candidate of [file, `${file}-wal`, `${file}-shm`]) {
    if (fs.existsSync(/*turbopackIgnore: true*/ candidate)) fs.chmodSync(/*turbopackIgnore: true*/ candidate, 0o600);
  }
}

export function databasePath(databaseUrl: string): string {
  return databaseUrl.replace(/^file:/, "");
}

const holder = globalThis as typeof globalThis & { __inspectorDb?: Db; __inspectorDbClosed?: boolean };

/** The app's one connection. Kept on globalThis so every route bundle shares it. */
export function getDb(): Db {
  // After closeDb a late task (a background refresh finishing) must not reopen the file and leave a log behind.
  if (holder.__inspectorDbClosed) throw new Error("the database is closed: the server is shutting down");
  holder.__inspectorDb ??= openDatabase(databasePath(env().DATABASE_URL));
  return holder.__inspectorDb;
}

/**
 * The last step before the process exits: moves the write-ahead log into the database file (so the
 * file alone is a complete copy) and closes the connection. Safe to call when it was never opened.
 */
export function closeDb(): void {
  const db = holder.__inspectorDb;
  holder.__inspectorDbClosed = true;
  if (!db) return;
  holder.__inspectorDb = undefined;
  db.$client.pragma("wal_checkpoint(TRUNCATE)");
  db.$client.close();
}
