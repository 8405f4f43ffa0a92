/**
 * `npm run db:prune` and `npm run db:backup -- <file>`, run by scripts/db.mjs against the database
 * DATABASE_URL names (from the environment or .env.local, validated by lib/env.ts like the app).
 * Both are safe while the app is serving: SQLite's WAL lets them read and write beside it.
 */
import { databasePath, openDatabase } from "@/db/client";
import { env, EnvError } from "@/lib/env";
import { backupDatabase } from "@/lib/ops/backup";
import { createRetentionJob, describeRetention } from "@/lib/ops/retention";

async function prune(): Promise<void> {
  const { CACHE_RETENTION_DAYS, DATABASE_URL } = env();
  const db = openDatabase(databasePath(DATABASE_URL));
  try {
    const report = await createRetentionJob({ db, retentionDays: CACHE_RETENTION_DAYS }).runOnce();
    console.log(`Pruned ${databasePath(DATABASE_URL)} (CACHE_RETENTION_DAYS=${CACHE_RETENTION_DAYS}). Removed:\n${describeRetention(report, CACHE_RETENTION_DAYS).replace(/^/gm, "  ")}`);
  } finally {
    db.$client.close();
  }
}

async function backup(target: string | undefined): Promise<void> {
  if (!target) {
    console.error("Name the backup file: npm run db:backup -- backups/inspector-2026-11-30.db");
    process.exitCode = 2;
    return;
  }
  const source = databasePath(env().DATABASE_URL);
  const result = await backupDatabase(source, target);
  console.log(`Backed up ${source} to ${result.file}: ${result.pages} pages, ${(result.bytes / 1_048_576).toFixed(1)} MB, integrity ${result.integrity}.`);
}

const [command, ...args] = process.argv.slice(2);
try {
  if (command === "prune") await prune();
  else if (command === "backup") await backup(args[0]);
  else {
    console.error(`Unknown command ${JSON.stringify(command)}: use prune or backup.`);
    process.exitCode = 2;
  }
} catch (error) {
  console.error(error instanceof EnvError ? `${error.message}\nSee .env.example for every setting.` : `db:${command} failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
}
