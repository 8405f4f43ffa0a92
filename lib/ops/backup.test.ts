import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openDatabase } from "@/db/client";
import { backupDatabase } from "./backup";

/**
 * Another process writing as fast as it can, as the app does under load: each insert its own
 * transaction, the largest committed id printed after each commit.
 */
const WRITER = `
const Database = require("better-sqlite3");
const db = new Database(process.argv[1]);
db.pragma("journal_mode = WAL");
db.pragma("busy_timeout = 5000");
const insert = db.prepare("INSERT INTO app_settings (key, value) VALUES (?, ?)");
let n = 0;
const stopAt = Date.now() + 2500;
while (Date.now() < stopAt) {
  n++;
  insert.run("burst-" + String(n).padStart(8, "0"), "x".repeat(2000));
  if (n % 50 === 0) process.stdout.write(n + "\\n");
}
`;

describe("backupDatabase", () => {
  let folder: string;
  let source: string;

  beforeEach(() => {
    folder = fs.mkdtempSync(path.join(os.tmpdir(), "inspector-backup-"));
    source = path.join(folder, "inspector.db");
    openDatabase(source).$client.close();
  });

  afterEach(() => fs.rmSync(folder, { recursive: true, force: true }));

  it("copies a database under a burst of writes: the copy is intact and holds every row committed before it began", async () => {
    const writer = spawn(process.execPath, ["-e", WRITER, source], { cwd: process.cwd(), stdio: ["ignore", "pipe", "inherit"] });
    let committed = 0;
    const enough = new Promise<void>((resolve) =>
      writer.stdout.on("data", (chunk: Buffer) => {
        committed = Math.max(committed, ...chunk.toString().trim().split("\n").map(Number));
        if (committed >= 2_000) resolve();
      }),
    );
    const exited = new Promise((resolve) => writer.on("exit", resolve));
    await enough;
    const committedBefore = committed;
    const result = await backupDatabase(source, path.join(folder, "backup.db"));
    await exited;

    expect(result.integrity).toBe("ok");
    const copy = new Database(result.file, { readonly: true });
    expect(copy.pragma("integrity_check", { simple: true })).toBe("ok");
    const keys = new Set(copy.prepare<[], { key: string }>("SELECT key FROM app_settings WHERE key LIKE 'burst-%'").pluck().all() as unknown as string[]);
    const missing = Array.from({ length: committedBefore }, (_, i) => `burst-${String(i + 1).padStart(8, "0")}`).filter((key) => !keys.has(key));
    expect(missing).toEqual([]);
    // The writer went on while the copy was taken: the source ends with more than the copy began with.
    const total = new Database(source, { readonly: true }).prepare("SELECT count(*) FROM app_settings WHERE key LIKE 'burst-%'").pluck().get() as number;
    expect(total).toBeGreaterThan(committedBefore);
    // The schema came along: the copy opens as an inspector database.
    expect(copy.prepare("SELECT count(*) FROM __drizzle_migrations").pluck().get()).toBeGreaterThan(0);
    expect(fs.statSync(result.file).mode & 0o777).toBe(0o600);
    copy.close();
    expect(fs.readdirSync(folder).filter((name) => name.includes(".partial-"))).toEqual([]);
  }, 20_000);

  it("never overwrites an existing file, and says why", async () => {
    const existing = path.join(folder, "exists.db");
    fs.writeFileSync(existing, "keep me");
    await expect(backupDatabase(source, existing)).rejects.toThrow(/already exists/);
    expect(fs.readFileSync(existing, "utf8")).toBe("keep me");
    await expect(backupDatabase(source, path.join(folder, "no-such-folder", "b.db"))).rejects.toThrow(/does not exist/);
    await expect(backupDatabase(path.join(folder, "missing.db"), path.join(folder, "b.db"))).rejects.toThrow(/no database/);
  });
});
