/**
 * `npm run db:prune` and `npm run db:backup -- <file>`, run by scripts/db.mjs against the database
 * DATABASE_URL names (from the environment or .env.local, validated by lib/env.ts like the app).
 * Both are safe while the app is serving: SQLite's WAL lets them read and write beside it, and
 * Postgres is Postgres. `npm run db:copy -- --from file:… --to postgres://…` moves a SQLite store
 * into an empty Postgres database (README: Scaling out).
 */
import fs from "node:fs";
import { getTableName, is } from "drizzle-orm";
import { PgTable } from "drizzle-orm/pg-core";
import pg from "pg";
import * as postgresSchema from "@/db/schema.postgres";
import { storeErrorForLog } from "@/db/availability";
import { closeStore, openStore } from "@/db/client";
import { databaseTarget, databaseUrlProblem, describeDatabase } from "@/db/url";
import { copySqliteToPostgres, CopyRefused } from "@/lib/ops/copy-store";
import { env, EnvError } from "@/lib/env";
import { backupDatabase } from "@/lib/ops/backup";
import { createRetentionJob, describeRetention } from "@/lib/ops/retention";

async function prune(): Promise<void> {
  const { CACHE_RETENTION_DAYS, DATABASE_URL } = env();
  const store = await openStore(DATABASE_URL, { poolMax: 2, unbounded: true });
  try {
    const report = await createRetentionJob({ store, retentionDays: CACHE_RETENTION_DAYS }).runOnce();
    console.log(`Pruned ${describeDatabase(DATABASE_URL)} (CACHE_RETENTION_DAYS=${CACHE_RETENTION_DAYS}). Removed:\n${describeRetention(report, CACHE_RETENTION_DAYS).replace(/^/gm, "  ")}`);
  } finally {
    await closeStore(store);
  }
}

async function backup(target: string | undefined): Promise<void> {
  if (!target) {
    console.error("Name the backup file: npm run db:backup -- backups/inspector-2026-11-30.db");
    process.exitCode = 2;
    return;
  }
  const database = databaseTarget(env().DATABASE_URL);
  if (database.dialect === "postgres") {
    console.error("db:backup copies a SQLite file. For Postgres use its own tools: pg_dump --format=custom --file=inspector.dump \"$DATABASE_URL\" (README: Scaling out).");
    process.exitCode = 2;
    return;
  }
  const source = database.file;
  const result = await backupDatabase(source, target);
  console.log(`Backed up ${source} to ${result.file}: ${result.pages} pages, ${(result.bytes / 1_048_576).toFixed(1)} MB, integrity ${result.integrity}.`);
}

/** `db:copy -- --from file:… --to postgres://…`: a SQLite store into an empty Postgres database. */
async function copy(args: string[]): Promise<void> {
  const option = (name: string) => {
    const at = args.indexOf(name);
    return at >= 0 ? args[at + 1] : undefined;
  };
  const fromUrl = option("--from");
  const toUrl = option("--to");
  const usage = "npm run db:copy -- --from file:./data/inspector.db --to postgres://user:password@host:5432/inspector";
  if (!fromUrl || !toUrl) {
    console.error(`Name both stores: ${usage}`);
    process.exitCode = 2;
    return;
  }
  for (const [name, url] of [["--from", fromUrl], ["--to", toUrl]] as const) {
    const problem = databaseUrlProblem(url);
    if (problem) {
      console.error(`${name} ${problem}. ${usage}`);
      process.exitCode = 2;
      return;
    }
  }
  const from = databaseTarget(fromUrl);
  const to = databaseTarget(toUrl);
  if (from.dialect !== "sqlite" || to.dialect !== "postgres") {
    console.error(`db:copy moves a SQLite store (--from file:…) into Postgres (--to postgres://…). ${usage}`);
    process.exitCode = 2;
    return;
  }
  if (!fs.existsSync(from.file)) {
    console.error(`--from: there is no SQLite file at ${from.file}.`);
    process.exitCode = 2;
    return;
  }
  // Before anything is created there: a database holding another application's tables is not
  // the inspector's to fill (the emptiness check after migrating sees only the inspector's tables).
  const foreign = await foreignTables(toUrl);
  if (foreign.length > 0) {
    console.error(`db:copy refused: the target database holds tables of something else (${foreign.slice(0, 5).join(", ")}): copy into a new, empty database made for the inspector.`);
    process.exitCode = 1;
    return;
  }
  const source = await openStore(fromUrl);
  const target = await openStore(toUrl, { poolMax: 2, unbounded: true });
  try {
    if (source.dialect !== "sqlite" || target.dialect !== "postgres") throw new Error("unreachable: dialects checked above");
    const report = await copySqliteToPostgres(source.db, target.db);
    console.log(
      `Copied ${from.file} into ${describeDatabase(toUrl)}:\n` +
        Object.entries(report)
          .map(([table, n]) => `  ${table}: ${n.toLocaleString("en-US")}`)
          .join("\n") +
        "\nPoint DATABASE_URL at the Postgres database and start the inspector.",
    );
  } catch (error) {
    if (error instanceof CopyRefused) {
      console.error(`db:copy refused: ${error.message}.`);
      process.exitCode = 1;
      return;
    }
    throw error;
  } finally {
    await closeStore(source);
    await closeStore(target);
  }
}

/** Tables in the target's public schema that are not the inspector's own. */
async function foreignTables(url: string): Promise<string[]> {
  const ours = new Set([...Object.values(postgresSchema).filter((value) => is(value, PgTable)).map((table) => getTableName(table as PgTable)), "__drizzle_migrations"]);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ name: string }>("SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name");
    return rows.map((row) => row.name).filter((name) => !ours.has(name));
  } finally {
    await client.end();
  }
}

const [command, ...args] = process.argv.slice(2);
try {
  if (command === "prune") await prune();
  else if (command === "backup") await backup(args[0]);
  else if (command === "copy") await copy(args);
  else {
    console.error(`Unknown command ${JSON.stringify(command)}: use prune, backup or copy.`);
    process.exitCode = 2;
  }
} catch (error) {
  // A failed query's own error, never Drizzle's text, which quotes the rows it was writing.
  const cause = storeErrorForLog(error);
  console.error(error instanceof EnvError ? `${error.message}\nSee .env.example for every setting.` : `db:${command} failed: ${cause.code ? `${cause.code} ` : ""}${cause.message}`);
  process.exitCode = 1;
}
