import "server-only";
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { drizzle as drizzleSqlite, type BetterSQLite3Database } from "drizzle-orm/better-sqlite3";
import { drizzle as drizzlePostgres, type NodePgDatabase } from "drizzle-orm/node-postgres";
import { Pool } from "pg";
import { env } from "@/lib/env";
import { migrateDatabase } from "./migrate";
import { migratePostgres } from "./migrate-postgres";
import * as schema from "./schema";
import * as postgresSchema from "./schema.postgres";
import { databaseTarget } from "./url";
import { onPoolFullCheck } from "./availability";

export type SqliteDb = BetterSQLite3Database<typeof schema> & { $client: Database.Database };
export type PostgresDb = NodePgDatabase<typeof postgresSchema> & { $client: Pool };

/**
 * The store the app runs on, chosen once from DATABASE_URL. Each aggregate's repository has an
 * implementation per dialect behind one async interface; services never see which.
 */
export type Store = { dialect: "sqlite"; db: SqliteDb } | { dialect: "postgres"; db: PostgresDb };
export type Dialect = Store["dialect"];

const APP_DIR = Symbol.for("interaction-inspector.app-dir");

/**
 * The migrations this release ships for `dialect`. server.mjs names the folder it runs from (the
 * standalone server carries its own copy of drizzle/, and is started from wherever the data
 * lives); scripts and tests run from the project root.
 */
export function migrationsFolder(dialect: Dialect = "sqlite"): string {
  const appDir = (globalThis as Record<symbol, unknown>)[APP_DIR];
  return path.join(typeof appDir === "string" ? appDir : process.cwd(), "drizzle", dialect);
}

/** Opens (creating if needed) a SQLite database file and brings its schema up to date. */
export function openDatabase(filename: string, migrations: string = migrationsFolder("sqlite")): SqliteDb {
  if (filename !== ":memory:") restrictToOwner(filename);
  const sqlite = new Database(filename);
  // First, so that a second process opening the same file waits for the lock instead of failing.
  sqlite.pragma("busy_timeout = 5000");
  // WAL keeps readers unblocked during a write, and a killed process loses only uncommitted work.
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("synchronous = NORMAL");
  sqlite.pragma("foreign_keys = ON");
  migrateDatabase(sqlite, migrations);
  return drizzleSqlite(sqlite, { schema });
}

/**
 * How long a request waits for a Postgres connection (a free one from the pool, or a new one)
 * before it is told the store is unavailable. A stopped Postgres refuses at once; this bounds a
 * silent network, and leaves a busy pool time to hand a connection on under a burst.
 */
const CONNECT_TIMEOUT_MS = 10_000;
/**
 * The longest any one statement may run (a request's searches take milliseconds): whatever input
 * reaches the database, no statement holds a connection and a core for longer. Migrations lift it
 * for their own statements; db:copy and db:prune open their store unbounded.
 */
export const STATEMENT_TIMEOUT_MS = 5_000;

/**
 * A pool of connections to Postgres. Nothing is opened until the first query. A connection that
 * dies while idle (Postgres restarted) is an 'error' event on the pool: without a listener it would
 * end the process, with one the pool drops it and the next query connects afresh.
 */
export function postgresPool(url: string, max: number, onIdleError: (error: Error) => void = () => undefined, options: { unbounded?: boolean } = {}): Pool {
  const bounds = options.unbounded ? {} : { statement_timeout: STATEMENT_TIMEOUT_MS, query_timeout: STATEMENT_TIMEOUT_MS + 1_000 };
  const pool = new Pool({
    connectionString: url,
    max,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    idleTimeoutMillis: 30_000,
    // statement_timeout, and the same bound kept by this side (query_timeout): when the network to
    // Postgres goes silent, the server never sees the statement, and without it a query (and its
    // pooled connection) would wait for ever.
    ...bounds,
    keepAlive: true,
  });
  pool.on("error", onIdleError);
  return pool;
}

export function postgresDb(pool: Pool): PostgresDb {
  return drizzlePostgres(pool, { schema: postgresSchema });
}

/** Opens the store DATABASE_URL-style `databaseUrl` names and brings its schema up to date. */
export async function openStore(databaseUrl: string, options: { poolMax?: number; onIdleError?: (error: Error) => void; unbounded?: boolean } = {}): Promise<Store> {
  const target = databaseTarget(databaseUrl);
  if (target.dialect === "sqlite") return { dialect: "sqlite", db: openDatabase(target.file) };
  // unbounded: for commands (db:copy, db:prune) whose statements may run long on a large store.
  const pool = postgresPool(target.url, options.poolMax ?? 10, options.onIdleError, { unbounded: options.unbounded });
  try {
    await migratePostgres(pool, migrationsFolder("postgres"));
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw error;
  }
  return { dialect: "postgres", db: postgresDb(pool) };
}

/** Closes a store: SQLite folds its write-ahead log into the file first, so the file alone is a complete copy. */
export async function closeStore(store: Store): Promise<void> {
  if (store.dialect === "sqlite") {
    store.db.$client.pragma("wal_checkpoint(TRUNCATE)");
    store.db.$client.close();
  } else {
    await store.db.$client.end();
  }
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

const holder = globalThis as typeof globalThis & { __inspectorStore?: Store; __inspectorStoreReady?: Promise<Store>; __inspectorDbClosed?: boolean };

/**
 * Opens the app's store and applies migrations; the server awaits it once at start (lib/startup.ts)
 * before serving, so getStore() never hands out an unmigrated store.
 */
export function prepareStore(onIdleError?: (error: Error) => void): Promise<Store> {
  holder.__inspectorStoreReady ??= openStore(env().DATABASE_URL, { poolMax: env().DATABASE_POOL_MAX, onIdleError }).then(
    (store) => {
      if (store.dialect === "postgres") {
        const pool = store.db.$client;
        onPoolFullCheck(() => pool.totalCount >= env().DATABASE_POOL_MAX && pool.idleCount === 0);
      }
      return (holder.__inspectorStore = store);
    },
    (error: unknown) => {
      holder.__inspectorStoreReady = undefined;
      throw error;
    },
  );
  return holder.__inspectorStoreReady;
}

/** The app's one store. Kept on globalThis so every route bundle shares it. */
export function getStore(): Store {
  // After closeDb a late task (a background refresh finishing) must not reopen the file and leave a log behind.
  if (holder.__inspectorDbClosed) throw new Error("the database is closed: the server is shutting down");
  if (holder.__inspectorStore) return holder.__inspectorStore;
  const target = databaseTarget(env().DATABASE_URL);
  // SQLite opens (and migrates) synchronously, so scripts and tests may use it without prepareStore.
  if (target.dialect === "sqlite") return (holder.__inspectorStore = { dialect: "sqlite", db: openDatabase(target.file) });
  throw new Error("the Postgres store is used before prepareStore() finished");
}

/**
 * The last step before the process exits: closes the store (for SQLite, after moving the
 * write-ahead log into the database file). Safe to call when it was never opened.
 */
export async function closeDb(): Promise<void> {
  const store = holder.__inspectorStore;
  holder.__inspectorDbClosed = true;
  if (!store) return;
  holder.__inspectorStore = undefined;
  await closeStore(store);
}
