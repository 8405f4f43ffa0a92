import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { drizzle } from "drizzle-orm/better-sqlite3";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import { describe, expect, inject, it } from "vitest";
import { migrationsCopy, shippedJournal } from "@/test/migrations";
import { freePort } from "@/test/postgres-server";
import { newPostgresDatabase } from "@/test/stores";
import { createInteractionRepository } from "@/lib/interactions/repository";
import { interactionSchema } from "@/lib/nebuly/schemas";
import { isStoreUnreachable } from "./availability";
import { closeStore, migrationsFolder, openDatabase, openStore, type Store } from "./client";

const ID = "0b6f3c1e-8a2d-4f57-9c1e-2d7a4b9e6f01";

/** A copy of the committed migrations cut after the first `count`: the schema of an older release. */
const migrationsUpTo = (count: number) => migrationsCopy("sqlite", count);
const firstReleaseMigrations = () => migrationsUpTo(1);
const sqliteStore = (file: string): Store => ({ dialect: "sqlite", db: openDatabase(file) });

describe("openDatabase", () => {
  it("creates a fresh database in WAL mode with the full schema", () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "inspector-db-")), "nested/fresh.db");
    const db = openDatabase(file);
    expect(db.$client.pragma("journal_mode", { simple: true })).toBe("wal");
    const tables = db.$client.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[];
    expect(tables.map((table) => table.name)).toEqual(expect.arrayContaining(["interactions", "list_cache", "interactions_fts"]));
  });

  it("upgrades a first-release database, keeping its rows and indexing them for search", async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "inspector-db-")), "old.db");
    const old = new Database(file);
    migrate(drizzle(old), { migrationsFolder: firstReleaseMigrations() });
    const body = { id: ID, topic: "Billing", conversation: [{ input: "charged twice", output: "refund started" }] };
    old.prepare("INSERT INTO interactions (id, raw_json, fetched_at, topic) VALUES (?, ?, ?, ?)").run(ID, JSON.stringify(body), Date.now(), "Billing");
    old.close();

    const repository = createInteractionRepository(sqliteStore(file));
    expect((await repository.find(ID))?.topic).toBe("Billing");
    const found = async () => (await repository.search({ text: "refund", sort: "time", limit: 5, offset: 0 })).items.map((item) => item.id);
    expect(await found()).toEqual([ID]);

    // Re-fetching updates the migrated document instead of adding a second one.
    const updated = { ...body, conversation: [{ input: "charged twice", output: "credit issued" }] };
    await repository.save(ID, interactionSchema.parse(updated), JSON.stringify(updated), new Date(), "default");
    expect(await found()).toEqual([]);
    expect((await repository.search({ text: "credit", sort: "time", limit: 5, offset: 0 })).items).toHaveLength(1);
  });

  it("upgrades a database indexed by words only: every row searchable inside words, newest first", async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "inspector-db-")), "words-only.db");
    const old = new Database(file);
    migrate(drizzle(old), { migrationsFolder: migrationsUpTo(5) });
    // Rows as the previous release saved them: documents numbered in the order they were cached.
    const rows = [
      { id: "00000000-0000-4000-8000-000000000001", timestamp: Date.parse("2026-03-01T00:00:00Z"), text: "可以开具增值税专用发票吗？" },
      { id: "00000000-0000-4000-8000-000000000002", timestamp: null, text: "増値税 undated, and a forged \u0002marker\u0003" },
      { id: "00000000-0000-4000-8000-000000000003", timestamp: Date.parse("2026-05-01T00:00:00Z"), text: "请开具增值税发票\nnonrefundable" },
      { id: "00000000-0000-4000-8000-000000000004", timestamp: Date.parse("2026-05-01T00:00:00Z"), text: "同时 增值税" },
    ];
    for (const row of rows) {
      const ftsRowid = Number(old.prepare("INSERT INTO interactions_fts (body) VALUES (?)").run(row.text).lastInsertRowid);
      old.prepare("INSERT INTO interactions (id, raw_json, fetched_at, timestamp, fts_rowid) VALUES (?, ?, ?, ?, ?)").run(row.id, JSON.stringify({ id: row.id, output: row.text }), Date.now(), row.timestamp, ftsRowid);
    }
    old.close();

    const db = openDatabase(file);
    const repository = createInteractionRepository({ dialect: "sqlite", db });
    const found = async (text: string) => (await repository.search({ text, sort: "time", limit: 10, offset: 0 })).items.map((item) => item.id.slice(-1));
    expect(await found("增值税")).toEqual(["4", "3", "1"]);
    expect(await found("开具")).toEqual(["3", "1"]);
    expect(await found("fundable")).toEqual(["3"]);
    expect(await found("marker")).toEqual(["2"]);
    const forged = (await repository.search({ text: "marker", sort: "time", limit: 1, offset: 0 })).items[0].snippet;
    expect(forged?.filter((part) => part.match).map((part) => part.text)).toEqual(["marker"]);
    expect(() => db.$client.exec("INSERT INTO interactions_trigram (interactions_trigram) VALUES ('integrity-check')")).not.toThrow();

    // Saving after the upgrade keeps both indexes in step and in time order.
    const later = { id: "00000000-0000-4000-8000-000000000005", timestamp: "2026-04-01T00:00:00Z", output: "开具增值税 later" };
    await repository.save(later.id, interactionSchema.parse(later), JSON.stringify(later), new Date(), "default");
    expect(await found("增值税")).toEqual(["4", "3", "5", "1"]);
    expect(() => db.$client.exec("INSERT INTO interactions_trigram (interactions_trigram) VALUES ('integrity-check')")).not.toThrow();
  });
});

describe("openStore", () => {
  it("opens a SQLite file for a file: URL and a bare path, and closeStore folds the write-ahead log into the file", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "inspector-db-"));
    for (const [url, file] of [
      [`file:${dir}/a.db`, `${dir}/a.db`],
      [`${dir}/b.db`, `${dir}/b.db`],
    ]) {
      const store = await openStore(url);
      expect(store.dialect).toBe("sqlite");
      if (store.dialect !== "sqlite") continue;
      expect(store.db.$client.name).toBe(file);
      store.db.$client.prepare("INSERT INTO app_settings (key, value) VALUES ('k', 'v')").run();
      await closeStore(store);
      expect(store.db.$client.open).toBe(false);
      expect(fs.existsSync(`${file}-wal`) ? fs.statSync(`${file}-wal`).size : 0).toBe(0);
      const copy = new Database(file, { readonly: true });
      expect(copy.prepare("SELECT value FROM app_settings WHERE key = 'k'").get()).toEqual({ value: "v" });
      copy.close();
    }
    expect(fs.existsSync(path.join(process.cwd(), "postgres:"))).toBe(false);
  });

  it("names each dialect's migrations folder", () => {
    expect(migrationsFolder("sqlite")).toBe(path.join(process.cwd(), "drizzle", "sqlite"));
    expect(migrationsFolder("postgres")).toBe(path.join(process.cwd(), "drizzle", "postgres"));
    expect(migrationsFolder()).toBe(migrationsFolder("sqlite"));
  });

  it("fails with the connection error, one that answers 503, when Postgres cannot be reached", async () => {
    const port = await freePort();
    const failure = await openStore(`postgres://inspector:secret@127.0.0.1:${port}/inspector`, { poolMax: 1 }).then(
      () => null,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(Error);
    expect(isStoreUnreachable(failure)).toBe(true);
  });

  it.skipIf(!inject("postgresAdminUrl"))("opens a Postgres URL as a migrated pool of DATABASE_POOL_MAX connections, and closeStore ends the pool", async () => {
    const store = await openStore(await newPostgresDatabase(), { poolMax: 3 });
    expect(store.dialect).toBe("postgres");
    if (store.dialect !== "postgres") return;
    expect(store.db.$client.options.max).toBe(3);
    const tables = await store.db.$client.query<{ name: string }>("SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public'");
    expect(tables.rows.map((row) => row.name)).toEqual(expect.arrayContaining(["interactions", "list_cache", "share_links", "sessions", "audit_events", "__drizzle_migrations"]));
    const applied = await store.db.$client.query<{ n: string }>('SELECT count(*) AS n FROM "__drizzle_migrations"');
    expect(Number(applied.rows[0]!.n)).toBe(shippedJournal("postgres").entries.length);
    await closeStore(store);
    expect(store.db.$client.ended).toBe(true);
  });
});
