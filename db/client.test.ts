import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { drizzle } from "drizzle-orm/better-sqlite3";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import { describe, expect, it } from "vitest";
import { createInteractionRepository } from "@/lib/interactions/repository";
import { interactionSchema } from "@/lib/nebuly/schemas";
import { openDatabase } from "./client";

const ID = "0b6f3c1e-8a2d-4f57-9c1e-2d7a4b9e6f01";

/** A copy of the committed migrations cut after the first `count`: the schema of an older release. */
function migrationsUpTo(count: number): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "inspector-migrations-"));
  fs.cpSync(path.join(process.cwd(), "drizzle"), dir, { recursive: true });
  const journalPath = path.join(dir, "meta/_journal.json");
  const journal = JSON.parse(fs.readFileSync(journalPath, "utf8"));
  journal.entries = journal.entries.slice(0, count);
  fs.writeFileSync(journalPath, JSON.stringify(journal));
  return dir;
}
const firstReleaseMigrations = () => migrationsUpTo(1);

describe("openDatabase", () => {
  it("creates a fresh database in WAL mode with the full schema", () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "inspector-db-")), "nested/fresh.db");
    const db = openDatabase(file);
    expect(db.$client.pragma("journal_mode", { simple: true })).toBe("wal");
    const tables = db.$client.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[];
    expect(tables.map((table) => table.name)).toEqual(expect.arrayContaining(["interactions", "list_cache", "interactions_fts"]));
  });

  it("upgrades a first-release database, keeping its rows and indexing them for search", () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "inspector-db-")), "old.db");
    const old = new Database(file);
    migrate(drizzle(old), { migrationsFolder: firstReleaseMigrations() });
    const body = { id: ID, topic: "Billing", conversation: [{ input: "charged twice", output: "refund started" }] };
    old.prepare("INSERT INTO interactions (id, raw_json, fetched_at, topic) VALUES (?, ?, ?, ?)").run(ID, JSON.stringify(body), Date.now(), "Billing");
    old.close();

    const repository = createInteractionRepository(openDatabase(file));
    expect(repository.find(ID)?.topic).toBe("Billing");
    const found = () => repository.search({ text: "refund", sort: "time", limit: 5, offset: 0 }).items.map((item) => item.id);
    expect(found()).toEqual([ID]);

    // Re-fetching updates the migrated document instead of adding a second one.
    const updated = { ...body, conversation: [{ input: "charged twice", output: "credit issued" }] };
    repository.save(ID, interactionSchema.parse(updated), JSON.stringify(updated), new Date(), "default");
    expect(found()).toEqual([]);
    expect(repository.search({ text: "credit", sort: "time", limit: 5, offset: 0 }).items).toHaveLength(1);
  });

  it("upgrades a database indexed by words only: every row searchable inside words, newest first", () => {
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
    const repository = createInteractionRepository(db);
    const found = (text: string) => repository.search({ text, sort: "time", limit: 10, offset: 0 }).items.map((item) => item.id.slice(-1));
    expect(found("增值税")).toEqual(["4", "3", "1"]);
    expect(found("开具")).toEqual(["3", "1"]);
    expect(found("fundable")).toEqual(["3"]);
    expect(found("marker")).toEqual(["2"]);
    const forged = repository.search({ text: "marker", sort: "time", limit: 1, offset: 0 }).items[0].snippet;
    expect(forged?.filter((part) => part.match).map((part) => part.text)).toEqual(["marker"]);
    expect(() => db.$client.exec("INSERT INTO interactions_trigram (interactions_trigram) VALUES ('integrity-check')")).not.toThrow();

    // Saving after the upgrade keeps both indexes in step and in time order.
    const later = { id: "00000000-0000-4000-8000-000000000005", timestamp: "2026-04-01T00:00:00Z", output: "开具增值税 later" };
    repository.save(later.id, interactionSchema.parse(later), JSON.stringify(later), new Date(), "default");
    expect(found("增值税")).toEqual(["4", "3", "5", "1"]);
    expect(() => db.$client.exec("INSERT INTO interactions_trigram (interactions_trigram) VALUES ('integrity-check')")).not.toThrow();
  });
});
