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
  if (filename !== ":memory:") fs.mkdirSync(path.dirname(path.resolve(filename)), { recursive: true });
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

export function databasePath(databaseUrl: string): string {
  return databaseUrl.replace(/^file:/, "");
}

const holder = globalThis as typeof globalThis & { __inspectorDb?: Db };

/** The app's one connection. Kept on globalThis so every route bundle shares it. */
export function getDb(): Db {
  holder.__inspectorDb ??= openDatabase(databasePath(env().DATABASE_URL));
  return holder.__inspectorDb;
}
