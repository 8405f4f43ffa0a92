import { beforeEach } from "vitest";
import type { Dialect, Store } from "@/db/client";
import { openTestStore } from "./stores";

/**
 * An empty, migrated store of `dialect` for each test of the suite it is called in (call it in a
 * `describe`, read the store inside tests). SQLite: a new database in memory each time. Postgres:
 * one database for the suite (test/stores.ts), every table emptied before each test; a new
 * database per test would cost a CREATE DATABASE and a pool each.
 *
 * On Postgres a test must not leave work running against the store (a background refresh, a
 * write it did not await): it would land in the next test's data.
 */
export function storeForEachTest(dialect: Dialect): () => Store {
  let shared: Store | undefined;
  let current: Store | undefined;
  beforeEach(async () => {
    current = undefined;
    if (dialect === "sqlite") {
      current = await openTestStore("sqlite");
      return;
    }
    shared ??= await openTestStore("postgres");
    await emptyPostgres(shared);
    current = shared;
  });
  return () => {
    if (!current) throw new Error("storeForEachTest: the store is read outside a test");
    return current;
  };
}

/**
 * Deletes every row but the migration history. DELETE, share links first (a trigger keeps a
 * snapshot an unrevoked link points to): on tables this small it takes milliseconds, where
 * TRUNCATE takes a few hundred (it swaps files). TRUNCATE remains the fallback.
 */
async function emptyPostgres(store: Store): Promise<void> {
  if (store.dialect !== "postgres") return;
  const { rows } = await store.db.$client.query<{ name: string }>(
    "SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' AND tablename <> '__drizzle_migrations' ORDER BY tablename <> 'share_links', tablename",
  );
  if (rows.length === 0) return;
  const client = await store.db.$client.connect();
  try {
    await client.query(`BEGIN; ${rows.map((row) => `DELETE FROM "${row.name}";`).join(" ")} COMMIT;`);
  } catch {
    await client.query("ROLLBACK").catch(() => undefined);
    await client.query(`TRUNCATE ${rows.map((row) => `"${row.name}"`).join(", ")} RESTART IDENTITY CASCADE`);
  } finally {
    client.release();
  }
}
