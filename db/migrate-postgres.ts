import type { Pool, PoolClient, QueryConfig } from "pg";
import { readMigrationFiles } from "drizzle-orm/migrator";
import { codeHead, SchemaAheadError, type SchemaState } from "./migrate";

/** The same bookkeeping table as on SQLite (drizzle's name and format), in the public schema. */
const MIGRATIONS_TABLE = "__drizzle_migrations";

/**
 * The advisory lock replicas take to migrate: a fixed 64-bit key ("inspect" in ASCII), so a
 * second replica starting at the same moment waits, then finds nothing left to do.
 */
export const MIGRATION_LOCK_KEY = "29676314640606068";
const MIGRATION_STATEMENT_MS = 86_400_000;
/** A statement with pg's per-query read timeout (which its types do not declare) set to a day. */
const unbounded = (text: string) => ({ text, query_timeout: MIGRATION_STATEMENT_MS }) as QueryConfig;

async function databaseHead(client: Pool | PoolClient): Promise<number> {
  const table = await client.query<{ exists: boolean }>("SELECT to_regclass($1) IS NOT NULL AS exists", [`public.${MIGRATIONS_TABLE}`]);
  if (!table.rows[0]?.exists) return 0;
  const row = await client.query<{ head: string | null }>(`SELECT max(created_at) AS head FROM "${MIGRATIONS_TABLE}"`);
  return Number(row.rows[0]?.head ?? 0);
}


export async function postgresSchemaState(pool: Pool, migrationsFolder: string): Promise<SchemaState> {
  return { codeHead: codeHead(migrationsFolder), databaseHead: await databaseHead(pool) };
}

/**
 * Applies the pending migrations in one transaction holding a transaction-level advisory lock:
 * replicas starting together queue on the lock, and each after the first finds the work done.
 * DDL is transactional in Postgres, so a failed migration leaves the schema as it was.
 * Returns how many migrations it applied.
 */
export async function migratePostgres(pool: Pool, migrationsFolder: string): Promise<number> {
  const migrations = readMigrationFiles({ migrationsFolder });
  const head = codeHead(migrationsFolder);
  const client = await pool.connect();
  try {
    await requireSupportedVersion(client);
    await client.query("BEGIN");
    // A migration may rebuild an index over every row: not bound by the pool's statement timeout.
    await client.query("SET LOCAL statement_timeout = 0");
    // Waiting for another replica's migrations is not bound by this side's query timeout either.
    await client.query(unbounded(`SELECT pg_advisory_xact_lock(${MIGRATION_LOCK_KEY})`));
    await client.query(`CREATE TABLE IF NOT EXISTS "${MIGRATIONS_TABLE}" (id SERIAL PRIMARY KEY, hash text NOT NULL, created_at bigint)`);
    const applied = await databaseHead(client);
    if (applied > head) throw new SchemaAheadError(applied, head);
    let count = 0;
    for (const migration of migrations) {
      if (migration.folderMillis <= applied) continue;
      for (const statement of migration.sql) {
        // This side's query timeout lifted too (a day): an index over every row may take a while.
        if (statement.trim()) await client.query(unbounded(statement));
      }
      await client.query(`INSERT INTO "${MIGRATIONS_TABLE}" ("hash", "created_at") VALUES ($1, $2)`, [migration.hash, migration.folderMillis]);
      count += 1;
    }
    await client.query("COMMIT");
    return count;
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

/** The oldest Postgres the store runs on: pg_input_is_valid (reading hostile bodies) is new in 16. */
const OLDEST_SUPPORTED = 160_000;

export class UnsupportedPostgresError extends Error {
  constructor(readonly version: string) {
    super(`the database is Postgres ${version}; the inspector needs Postgres 16 or newer`);
    this.name = "UnsupportedPostgresError";
  }
}

async function requireSupportedVersion(client: PoolClient): Promise<void> {
  const { rows } = await client.query<{ num: string; version: string }>("SELECT current_setting('server_version_num') AS num, current_setting('server_version') AS version");
  if (Number(rows[0]?.num) < OLDEST_SUPPORTED) throw new UnsupportedPostgresError(rows[0]?.version ?? "unknown");
}
