import "server-only";
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { drizzle, type BetterSQLite3Database } from "drizzle-orm/better-sqlite3";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import { env } from "@/lib/env";
import * as schema from "./schema";

export type Db = BetterSQLite3Database<typeof schema> & { $client: Database.Database };

const migrationsFolder = path.join(process.cwd(), "drizzle");

/** Opens (creating if needed) a database file and brings its schema up to date. */
export function openDatabase(filename: string): Db {
  if (filename !== ":memory:") restrictToOwner(filename);
  const sqlite = new Database(filename);
  // WAL keeps readers unblocked during a write, and a killed process loses only uncommitted work.
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("synchronous = NORMAL");
  sqlite.pragma("busy_timeout = 5000");
  sqlite.pragma("foreign_keys = ON");
  const db = drizzle(sqlite, { schema });
  migrate(db, { migrationsFolder });
  return db;
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

const holder = globalThis as typeof globalThis & { __inspectorDb?: Db };

/** The app's one connection. Kept on globalThis so every route bundle shares it. */
export function getDb(): Db {
  holder.__inspectorDb ??= openDatabase(databasePath(env().DATABASE_URL));
  return holder.__inspectorDb;
}
