import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";

export interface BackupResult {
  file: string;
  bytes: number;
  pages: number;
  /** PRAGMA integrity_check of the copy: "ok" or what it found. */
  integrity: string;
}

/** All remaining pages in one step (see backupDatabase). */
const ALL_PAGES = 0x7fffffff;

/**
 * An online backup of a live database with SQLite's backup API, while other processes keep
 * reading and writing it. The pages are copied in one step, inside one read transaction: in WAL
 * mode writers are not blocked meanwhile, and the copy is exactly the database as of that step's
 * start (a copy made in small steps would restart every time another connection wrote, and under
 * steady traffic might never finish). The copy is written beside the target and renamed into
 * place only once complete and checked, readable by its owner only, and never over an existing file.
 */
export async function backupDatabase(sourceFile: string, targetFile: string): Promise<BackupResult> {
  const target = path.resolve(targetFile);
  if (fs.existsSync(target)) throw new Error(`${targetFile} already exists: choose a new file name (a backup never overwrites).`);
  if (!fs.existsSync(path.dirname(target))) throw new Error(`The folder ${path.dirname(targetFile)} does not exist.`);
  if (!fs.existsSync(sourceFile)) throw new Error(`There is no database at ${sourceFile}.`);
  const partial = `${target}.partial-${process.pid}`;
  const source = new Database(sourceFile, { fileMustExist: true });
  try {
    source.pragma("busy_timeout = 5000");
    fs.closeSync(fs.openSync(partial, "w", 0o600));
    const progress = await source.backup(partial, { progress: () => ALL_PAGES });
    const copy = new Database(partial);
    let integrity: string;
    try {
      // The copy stands alone: no -wal file to travel with it.
      copy.pragma("journal_mode = DELETE");
      integrity = (copy.pragma("integrity_check") as { integrity_check: string }[]).map((row) => row.integrity_check).join("; ");
    } finally {
      copy.close();
    }
    if (integrity !== "ok") throw new Error(`The copy failed its integrity check (${integrity}); nothing was written to ${targetFile}.`);
    fs.renameSync(partial, target);
    return { file: target, bytes: fs.statSync(target).size, pages: progress.totalPages, integrity };
  } finally {
    source.close();
    fs.rmSync(partial, { force: true });
  }
}
