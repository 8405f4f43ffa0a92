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

/** A copy of the committed migrations cut after the first one: the schema of the first release. */
function firstReleaseMigrations(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "inspector-migrations-"));
  fs.cpSync(path.join(process.cwd(), "drizzle"), dir, { recursive: true });
  const journalPath = path.join(dir, "meta/_journal.json");
  const journal = JSON.parse(fs.readFileSync(journalPath, "utf8"));
  journal.entries = journal.entries.slice(0, 1);
  fs.writeFileSync(journalPath, JSON.stringify(journal));
  return dir;
}

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
    repository.save(ID, interactionSchema.parse(updated), JSON.stringify(updated), new Date());
    expect(found()).toEqual([]);
    expect(repository.search({ text: "credit", sort: "time", limit: 5, offset: 0 }).items).toHaveLength(1);
  });
});
