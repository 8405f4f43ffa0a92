import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { drizzle } from "drizzle-orm/better-sqlite3";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import { describe, expect, it } from "vitest";
import { migrationsCopy, shippedHead, shippedJournal, shippedMigrations } from "@/test/migrations";
import { migrateDatabase, SchemaAheadError, schemaState } from "./migrate";

const SHIPPED = shippedMigrations("sqlite");
const journal = () => shippedJournal("sqlite");
const HEAD = shippedHead("sqlite");

function tempFile(): string {
  return path.join(fs.mkdtempSync(path.join(os.tmpdir(), "inspector-migrate-")), "test.db");
}

/** The shipped migrations cut after `count`, plus an optional extra migration `sql`: an older or a broken release. */
const migrationsFolder = (count: number, extra?: string) => migrationsCopy("sqlite", count, extra);

const tableNames = (sqlite: Database.Database) =>
  (sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[]).map((row) => row.name);

describe("migrateDatabase", () => {
  it("brings a fresh file to head once; a second run finds nothing to do", () => {
    const sqlite = new Database(tempFile());
    expect(migrateDatabase(sqlite, SHIPPED)).toBe(journal().entries.length);
    expect(schemaState(sqlite, SHIPPED)).toEqual({ codeHead: HEAD, databaseHead: HEAD });
    expect(tableNames(sqlite)).toEqual(expect.arrayContaining(["interactions", "sessions", "share_links"]));
    expect(migrateDatabase(sqlite, SHIPPED)).toBe(0);
    expect((sqlite.prepare('SELECT count(*) AS n FROM "__drizzle_migrations"').get() as { n: number }).n).toBe(journal().entries.length);
  });

  it("continues the history a database migrated by drizzle's own migrate (earlier releases) left", () => {
    const file = tempFile();
    const old = new Database(file);
    migrate(drizzle(old), { migrationsFolder: migrationsFolder(3) });
    old.close();
    const sqlite = new Database(file);
    expect(schemaState(sqlite, SHIPPED).databaseHead).toBeLessThan(HEAD);
    expect(migrateDatabase(sqlite, SHIPPED)).toBe(journal().entries.length - 3);
    expect(schemaState(sqlite, SHIPPED)).toEqual({ codeHead: HEAD, databaseHead: HEAD });
  });

  it("refuses a database a newer release migrated, changing nothing", () => {
    const file = tempFile();
    const newer = new Database(file);
    migrateDatabase(newer, migrationsFolder(journal().entries.length, "CREATE TABLE from_the_future (id integer);"));
    newer.close();
    const sqlite = new Database(file);
    const before = tableNames(sqlite);
    expect(() => migrateDatabase(sqlite, SHIPPED)).toThrow(SchemaAheadError);
    expect(() => migrateDatabase(sqlite, SHIPPED)).toThrow(/migrated by a newer release.*restore the backup taken before the upgrade/);
    expect(sqlite.inTransaction).toBe(false);
    expect(tableNames(sqlite)).toEqual(before);
  });

  it("applies all pending migrations or none: a failing one leaves the database as it was", () => {
    const file = tempFile();
    const sqlite = new Database(file);
    migrateDatabase(sqlite, migrationsFolder(2));
    const before = tableNames(sqlite);
    const broken = migrationsFolder(journal().entries.length, "CREATE TABLE half_done (id integer);\n--> statement-breakpoint\nTHIS IS NOT SQL;");
    expect(() => migrateDatabase(sqlite, broken)).toThrow();
    expect(sqlite.inTransaction).toBe(false);
    expect(tableNames(sqlite)).toEqual(before);
    expect(schemaState(sqlite, SHIPPED).databaseHead).toBe(journal().entries[1].when);
  });
});
