import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { migrationsFolder, type Dialect } from "@/db/client";

/** The migrations this release ships for `dialect` (drizzle/sqlite or drizzle/postgres). */
export const shippedMigrations = (dialect: Dialect) => migrationsFolder(dialect);

interface JournalEntry {
  idx: number;
  when: number;
  tag: string;
}

/** The shipped journal of `dialect`: one entry per migration, `when` being its drizzle folderMillis. */
export function shippedJournal(dialect: Dialect): { entries: JournalEntry[] } {
  return JSON.parse(fs.readFileSync(path.join(shippedMigrations(dialect), "meta/_journal.json"), "utf8")) as { entries: JournalEntry[] };
}

/** The newest shipped migration of `dialect`. */
export const shippedHead = (dialect: Dialect) => Math.max(...shippedJournal(dialect).entries.map((entry) => entry.when));

/**
 * A copy of `dialect`'s shipped migrations cut after the first `count`, plus an optional extra
 * migration `extra` (SQL, newer than every shipped one): an older, a newer or a broken release.
 */
export function migrationsCopy(dialect: Dialect, count: number, extra?: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "inspector-migrations-"));
  fs.cpSync(shippedMigrations(dialect), dir, { recursive: true });
  const edited = shippedJournal(dialect);
  edited.entries = edited.entries.slice(0, count);
  if (extra !== undefined) {
    edited.entries.push({ ...edited.entries[0]!, idx: count, when: shippedHead(dialect) + 1, tag: "9999_extra" });
    fs.writeFileSync(path.join(dir, "9999_extra.sql"), extra);
  }
  fs.writeFileSync(path.join(dir, "meta/_journal.json"), JSON.stringify(edited));
  return dir;
}
