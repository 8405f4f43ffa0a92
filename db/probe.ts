import fs from "node:fs";
import { sql } from "drizzle-orm";
import { migrationsFolder, type Store } from "./client";
import { schemaState, type SchemaState } from "./migrate";
import { postgresSchemaState } from "./migrate-postgres";

/*
 * What operations ask of the store itself (health, readiness, metrics), for either dialect.
 * Services use repositories; these are the few questions about the store as a whole.
 */

/** A read that needs a working connection. */
export async function pingStore(store: Store): Promise<void> {
  if (store.dialect === "sqlite") store.db.$client.prepare("select 1").get();
  else await store.db.execute(sql`select 1`);
}

/** A real write of one row: a full disk, a read-only volume, a lock held elsewhere or a lost server fail it. */
export async function writeProbe(store: Store, at: Date): Promise<void> {
  const statement = sql`INSERT INTO app_settings (key, value) VALUES ('ready_probe_at', ${at.toISOString()}) ON CONFLICT (key) DO UPDATE SET value = excluded.value`;
  if (store.dialect === "sqlite") store.db.run(statement);
  else await store.db.execute(statement);
}

export async function storeSchemaState(store: Store): Promise<SchemaState> {
  if (store.dialect === "sqlite") return schemaState(store.db.$client, migrationsFolder("sqlite"));
  return postgresSchemaState(store.db.$client, migrationsFolder("postgres"));
}

export async function snapshotCount(store: Store): Promise<number> {
  if (store.dialect === "sqlite") return (store.db.$client.prepare("select count(*) as count from interactions").get() as { count: number }).count;
  const result = await store.db.execute<{ count: string }>(sql`select count(*) as count from interactions`);
  return Number(result.rows[0]?.count ?? 0);
}

/** The database's size on disk: SQLite's file and write-ahead log, or Postgres's database. */
export async function storeBytes(store: Store): Promise<number> {
  if (store.dialect === "postgres") {
    const result = await store.db.execute<{ bytes: string }>(sql`select pg_database_size(current_database()) as bytes`);
    return Number(result.rows[0]?.bytes ?? 0);
  }
  const file = store.db.$client.name;
  if (file === ":memory:" || file === "") return 0;
  let total = 0;
  for (const candidate of [file, `${file}-wal`]) {
    try {
      total += fs.statSync(/*turbopackIgnore: true*/ candidate).size;
    } catch {
      // no write-ahead log right now
    }
  }
  return total;
}
