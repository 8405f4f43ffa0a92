import type Database from "better-sqlite3";
import { readMigrationFiles } from "drizzle-orm/migrator";

/**
 * Drizzle's own bookkeeping table and format, so databases migrated by earlier releases (which
 * used drizzle's `migrate`) keep their history.
 */
const MIGRATIONS_TABLE = "__drizzle_migrations";

/** The database was migrated by a newer release than this one (a downgrade). */
export class SchemaAheadError extends Error {
  constructor(readonly databaseHead: number, readonly codeHead: number) {
    super(
      `the database was migrated by a newer release (schema ${new Date(databaseHead).toISOString()}, this release knows up to ${new Date(codeHead).toISOString()}): ` +
        "run that release, or restore the backup taken before the upgrade",
    );
    this.name = "SchemaAheadError";
  }
}

export interface SchemaState {
  /** The newest migration this release ships (its drizzle folderMillis), 0 with none. */
  codeHead: number;
  /** The newest migration recorded in the database, 0 with none. */
  databaseHead: number;
}

const codeHeads = new Map<string, number>();

/** The newest migration `migrationsFolder` holds (its drizzle folderMillis), read once per folder; either dialect. */
export function codeHead(migrationsFolder: string): number {
  let head = codeHeads.get(migrationsFolder);
  if (head === undefined) {
    head = readMigrationFiles({ migrationsFolder }).reduce((newest, migration) => Math.max(newest, migration.folderMillis), 0);
    codeHeads.set(migrationsFolder, head);
  }
  return head;
}

function databaseHead(sqlite: Database.Database): number {
  const table = sqlite.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(MIGRATIONS_TABLE);
  if (!table) return 0;
  const row = sqlite.prepare(`SELECT max(CAST(created_at AS INTEGER)) AS head FROM "${MIGRATIONS_TABLE}"`).get() as { head: number | null };
  return row.head ?? 0;
}

/** Where the database's schema stands against this release's migrations. */
export function schemaState(sqlite: Database.Database, migrationsFolder: string): SchemaState {
  return { codeHead: codeHead(migrationsFolder), databaseHead: databaseHead(sqlite) };
}

/**
 * Applies the pending migrations, all in one IMMEDIATE transaction. Drizzle's `migrate` reads the
 * last applied migration before it takes the write lock, so two processes starting together on a
 * fresh file both try to create every table and one fails; here the second one waits for the
 * lock (busy_timeout), then finds nothing left to do. Returns how many migrations it applied.
 */
export function migrateDatabase(sqlite: Database.Database, migrationsFolder: string): number {
  const migrations = readMigrationFiles({ migrationsFolder });
  const head = codeHead(migrationsFolder);
  sqlite.exec("BEGIN IMMEDIATE");
  try {
    sqlite.exec(`CREATE TABLE IF NOT EXISTS "${MIGRATIONS_TABLE}" (id SERIAL PRIMARY KEY, hash text NOT NULL, created_at numeric)`);
    const applied = databaseHead(sqlite);
    if (applied > head) throw new SchemaAheadError(applied, head);
    const record = sqlite.prepare(`INSERT INTO "${MIGRATIONS_TABLE}" ("hash", "created_at") VALUES (?, ?)`);
    let count = 0;
    for (const migration of migrations) {
      if (migration.folderMillis <= applied) continue;
      for (const statement of migration.sql) {
        if (statement.trim()) sqlite.exec(statement);
      }
      record.run(migration.hash, migration.folderMillis);
      count += 1;
    }
    sqlite.exec("COMMIT");
    return count;
  } catch (error) {
    if (sqlite.inTransaction) sqlite.exec("ROLLBACK");
    throw error;
  }
}
