import { randomBytes } from "node:crypto";
import { afterAll, inject } from "vitest";
import { Client } from "pg";
import { closeStore, openDatabase, openStore, type Dialect, type Store } from "@/db/client";
import { TEMPLATE_DATABASE } from "./template";

/**
 * The stores a repository test runs against: SQLite in memory, and a fresh database on the test
 * Postgres server (test/global-setup.ts). `describe.each(testStores())` runs one suite on both, so
 * the two implementations are held to the same behaviour.
 */
export function testStores(): Dialect[] {
  return inject("postgresAdminUrl") ? ["sqlite", "postgres"] : ["sqlite"];
}

const openedStores: { store: Store }[] = [];

async function adminQuery(sql: string): Promise<void> {
  const client = new Client({ connectionString: inject("postgresAdminUrl") });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/**
 * A database URL on the test server for a new database at the schema's head, with no rows (a copy
 * of the migrated template), dropped after the file's tests.
 */
export async function newPostgresDatabase(): Promise<string> {
  const name = `inspector_test_${randomBytes(6).toString("hex")}`;
  // A copy of the migrated template (test/global-setup.ts): a file copy, far quicker than migrating.
  await adminQuery(`CREATE DATABASE ${name} TEMPLATE ${TEMPLATE_DATABASE}`);
  const url = new URL(inject("postgresAdminUrl"));
  url.pathname = `/${name}`;
  createdDatabases.push(url.toString());
  return url.toString();
}

const createdDatabases: string[] = [];

async function dropDatabase(url: string) {
  const name = new URL(url).pathname.slice(1);
  await adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
}

/**
 * A fresh, migrated store of `dialect`, closed (and for Postgres dropped) after the file's tests.
 * SQLite: in memory. Postgres: a new database; `DATABASE_POOL_MAX`-like pool of 4.
 */
export async function openTestStore(dialect: Dialect): Promise<Store> {
  if (dialect === "sqlite") {
    const store: Store = { dialect: "sqlite", db: openDatabase(":memory:") };
    openedStores.push({ store });
    return store;
  }
  const store = await openStore(await newPostgresDatabase(), { poolMax: 4 });
  openedStores.push({ store });
  return store;
}

afterAll(async () => {
  // Stores first: a database is dropped once nothing of this file holds it open (FORCE ends the rest).
  await Promise.all(openedStores.splice(0).map(({ store }) => closeStore(store).catch(() => undefined)));
  await Promise.all(createdDatabases.splice(0).map((url) => dropDatabase(url).catch(() => undefined)));
}, 60_000);
