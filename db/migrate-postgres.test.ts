import type { Pool } from "pg";
import { afterAll, describe, expect, inject, it } from "vitest";
import { migrationsCopy, shippedHead, shippedJournal, shippedMigrations } from "@/test/migrations";
import { newPostgresDatabase } from "@/test/stores";
import { postgresPool } from "./client";
import { SchemaAheadError } from "./migrate";
import { migratePostgres, postgresSchemaState } from "./migrate-postgres";

const SHIPPED = shippedMigrations("postgres");
const COUNT = shippedJournal("postgres").entries.length;
const HEAD = shippedHead("postgres");

describe.skipIf(!inject("postgresAdminUrl"))("migratePostgres", () => {
  const pools: Pool[] = [];
  afterAll(async () => {
    await Promise.all(pools.splice(0).map((pool) => pool.end()));
  });

  function poolOn(url: string): Pool {
    const pool = postgresPool(url, 2);
    pools.push(pool);
    return pool;
  }

  /** A new database with nothing in it: no tables, no extension, no migration history. */
  async function emptyDatabase(): Promise<string> {
    const url = await newPostgresDatabase();
    const pool = postgresPool(url, 1);
    try {
      await pool.query("DROP SCHEMA public CASCADE; CREATE SCHEMA public");
    } finally {
      await pool.end();
    }
    return url;
  }

  const tableNames = async (pool: Pool) =>
    (await pool.query<{ name: string }>("SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")).rows.map((row) => row.name);

  const history = async (pool: Pool) =>
    (await pool.query<{ hash: string; created_at: string }>('SELECT hash, created_at FROM "__drizzle_migrations" ORDER BY id')).rows.map((row) => ({
      hash: row.hash,
      at: Number(row.created_at),
    }));

  it("brings an empty database to head once; a second run finds nothing to do", async () => {
    const pool = poolOn(await emptyDatabase());
    expect(await tableNames(pool)).toEqual([]);
    expect(await postgresSchemaState(pool, SHIPPED)).toEqual({ codeHead: HEAD, databaseHead: 0 });

    expect(await migratePostgres(pool, SHIPPED)).toBe(COUNT);
    expect(await postgresSchemaState(pool, SHIPPED)).toEqual({ codeHead: HEAD, databaseHead: HEAD });
    expect(await tableNames(pool)).toEqual(expect.arrayContaining(["interactions", "list_cache", "share_links", "sessions", "audit_events", "app_settings"]));
    const extensions = await pool.query<{ extname: string }>("SELECT extname FROM pg_extension");
    expect(extensions.rows.map((row) => row.extname)).toContain("pg_trgm");

    expect(await migratePostgres(pool, SHIPPED)).toBe(0);
    expect((await history(pool)).map((row) => row.at)).toEqual(shippedJournal("postgres").entries.map((entry) => entry.when));
  });

  it("applies each migration exactly once when replicas start together, each on its own pool", async () => {
    const url = await emptyDatabase();
    const replicas = [poolOn(url), poolOn(url), poolOn(url)];
    const applied = await Promise.all(replicas.map((pool) => migratePostgres(pool, SHIPPED)));
    expect(applied.sort()).toEqual([0, 0, COUNT]);
    const rows = await history(replicas[0]!);
    expect(rows).toHaveLength(COUNT);
    expect(new Set(rows.map((row) => row.hash)).size).toBe(COUNT);
    expect(await postgresSchemaState(replicas[1]!, SHIPPED)).toEqual({ codeHead: HEAD, databaseHead: HEAD });
    // Every connection went back to its pool, holding no lock.
    for (const pool of replicas) expect(pool.idleCount).toBe(pool.totalCount);
    const locks = await replicas[2]!.query<{ n: string }>("SELECT count(*) AS n FROM pg_locks JOIN pg_database ON pg_database.oid = pg_locks.database WHERE locktype = 'advisory' AND datname = current_database()");
    expect(Number(locks.rows[0]!.n)).toBe(0);
  });

  it("continues the history an older release left", async () => {
    const pool = poolOn(await emptyDatabase());
    expect(await migratePostgres(pool, migrationsCopy("postgres", 1))).toBe(1);
    expect((await postgresSchemaState(pool, SHIPPED)).databaseHead).toBe(shippedJournal("postgres").entries[0]!.when);
    expect(await migratePostgres(pool, SHIPPED)).toBe(COUNT - 1);
    expect(await postgresSchemaState(pool, SHIPPED)).toEqual({ codeHead: HEAD, databaseHead: HEAD });
    expect(await history(pool)).toHaveLength(COUNT);
  });

  it("refuses a database a newer release migrated, changing nothing", async () => {
    const pool = poolOn(await emptyDatabase());
    expect(await migratePostgres(pool, migrationsCopy("postgres", COUNT, "CREATE TABLE from_the_future (id integer);"))).toBe(COUNT + 1);
    const before = await tableNames(pool);
    expect(before).toContain("from_the_future");

    const refusal = await migratePostgres(pool, SHIPPED).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(SchemaAheadError);
    expect((refusal as SchemaAheadError).databaseHead).toBe(HEAD + 1);
    expect((refusal as SchemaAheadError).codeHead).toBe(HEAD);
    expect(String(refusal)).toMatch(/migrated by a newer release.*restore the backup taken before the upgrade/);
    // The lock went with the rolled-back transaction: asking again answers the same, at once.
    await expect(migratePostgres(pool, SHIPPED)).rejects.toThrow(SchemaAheadError);
    expect(await tableNames(pool)).toEqual(before);
    expect(await history(pool)).toHaveLength(COUNT + 1);
    expect(pool.idleCount).toBe(pool.totalCount);
  });

  it("applies all pending migrations or none: a failing one leaves the database as it was", async () => {
    const pool = poolOn(await emptyDatabase());
    await migratePostgres(pool, migrationsCopy("postgres", 1));
    const before = await tableNames(pool);
    const broken = migrationsCopy("postgres", COUNT, "CREATE TABLE half_done (id integer);\n--> statement-breakpoint\nTHIS IS NOT SQL;");
    await expect(migratePostgres(pool, broken)).rejects.toThrow(/syntax error/);
    expect(await tableNames(pool)).toEqual(before);
    expect(await tableNames(pool)).not.toContain("half_done");
    expect((await postgresSchemaState(pool, SHIPPED)).databaseHead).toBe(shippedJournal("postgres").entries[0]!.when);
    // The next start, with sound migrations, goes on from there.
    expect(await migratePostgres(pool, SHIPPED)).toBe(COUNT - 1);
  });
});
