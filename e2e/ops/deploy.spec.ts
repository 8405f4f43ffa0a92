import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { randomUUID } from "node:crypto";
import { spawnSync } from "node:child_process";
import Database from "better-sqlite3";
import { expect, test } from "@playwright/test";
import pg from "pg";
import {
  E2E_STORE,
  NEBULY_TEST_KEY,
  STANDALONE_DIR,
  startApp,
  startAppExpectingFailure,
  tempDatabaseUrl,
  tempPostgresUrl,
  tempSqliteUrl,
  type AppServer,
} from "../support/app-server";
import { isPostgresUrl, queryDatabase, recordNewerMigration, shippedMigrations, sqliteFile, tableNames } from "../support/database";
import { FakeNebuly } from "../support/fake-nebuly";

const DEMO_ID = "0b6f3c1e-8a2d-4f57-9c1e-2d7a4b9e6f01";

test.describe("the assembled standalone server (what the Docker image runs)", () => {
  test("is laid out from a clean build: our server.mjs, browser assets, migrations, and no Next server.js or source", () => {
    for (const file of [
      "server.mjs",
      "lib/ops/access-log.mjs",
      ".next/required-server-files.json",
      ".next/static",
      "drizzle/sqlite/meta/_journal.json",
      "drizzle/postgres/meta/_journal.json",
      "node_modules/better-sqlite3",
      "node_modules/pg",
    ]) {
      expect(fs.existsSync(path.join(STANDALONE_DIR, file)), file).toBe(true);
    }
    // Next's own server.js would serve the app without the peer mark; env files belong to the operator.
    for (const file of ["server.js", "next.config.mjs", ".env", ".env.production", "app", "lib/env.ts", "lib/ops/metrics.ts"]) {
      expect(fs.existsSync(path.join(STANDALONE_DIR, file)), file).toBe(false);
    }
    expect(fs.readFileSync(path.join(STANDALONE_DIR, "server.mjs"), "utf8")).toBe(fs.readFileSync(path.resolve(STANDALONE_DIR, "../../server.mjs"), "utf8"));
  });

  test("carries db:prune and db:backup as `node db.mjs`, for an image that has no npm", () => {
    // About SQLite's file and its online backup: a SQLite database whatever the run's store.
    const databaseUrl = tempSqliteUrl("standalone-db-commands");
    const backup = path.join(os.tmpdir(), `inspector-backup-${randomUUID()}.db`);
    const run = (...args: string[]) =>
      spawnSync(process.execPath, ["db.mjs", ...args], { cwd: STANDALONE_DIR, encoding: "utf8", env: { ...process.env, DATABASE_URL: databaseUrl } });
    const pruned = run("prune");
    expect(pruned.status, pruned.stderr).toBe(0);
    expect(pruned.stdout).toContain("Removed:");
    const backedUp = run("backup", backup);
    expect(backedUp.status, backedUp.stderr).toBe(0);
    expect(backedUp.stdout).toContain("integrity ok");
    const copy = new Database(backup, { readonly: true });
    try {
      expect(copy.pragma("integrity_check", { simple: true })).toBe("ok");
      expect(copy.prepare("select count(*) as n from __drizzle_migrations").get()).toEqual({ n: shippedMigrations(databaseUrl).length });
    } finally {
      copy.close();
      fs.rmSync(backup, { force: true });
    }
  });

  test("`node db.mjs prune` works on Postgres; `backup` refuses it, pointing to pg_dump, and writes no file", async () => {
    test.skip(E2E_STORE !== "postgres", "needs the run's Postgres server (E2E_STORE=postgres)");
    const databaseUrl = tempPostgresUrl();
    const backup = path.join(os.tmpdir(), `inspector-backup-${randomUUID()}.db`);
    const run = (...args: string[]) =>
      spawnSync(process.execPath, ["db.mjs", ...args], { cwd: STANDALONE_DIR, encoding: "utf8", env: { ...process.env, DATABASE_URL: databaseUrl } });
    const pruned = run("prune");
    expect(pruned.status, pruned.stderr).toBe(0);
    expect(pruned.stdout).toContain("Removed:");
    // It migrated the empty database, as the app would at start; and it names no password.
    expect(await queryDatabase(databaseUrl, 'SELECT CAST(created_at AS bigint) AS at FROM "__drizzle_migrations" ORDER BY created_at')).toEqual(
      shippedMigrations(databaseUrl).map((at) => ({ at })),
    );
    expect(pruned.stdout + pruned.stderr).not.toContain(new URL(databaseUrl).password);
    const backedUp = run("backup", backup);
    expect(backedUp.status).toBe(2);
    expect(backedUp.stderr).toContain("pg_dump");
    expect(fs.existsSync(backup)).toBe(false);
  });

  test("carries the Nebuly key nowhere, though the build ran with it set", () => {
    // The whole folder the image copies: server bundles, traced node_modules, assets.
    const files = fs.readdirSync(STANDALONE_DIR, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile());
    expect(files.length).toBeGreaterThan(100);
    for (const file of files) {
      const full = path.join(file.parentPath, file.name);
      expect(fs.readFileSync(full).includes(NEBULY_TEST_KEY), full).toBe(false);
    }
  });

  test("serves the home page with its assets, an interaction page and the API", async ({ page, request }) => {
    const app = await startApp({ DATABASE_URL: tempDatabaseUrl("standalone") });
    try {
      // It is the standalone copy that answers, not the project root.
      expect(app.output()).toContain(`"appDir":"${STANDALONE_DIR}"`);

      const home = await page.goto(app.url);
      expect(home?.status()).toBe(200);
      await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
      // Styles come from .next/static, which next build leaves out of the standalone folder.
      const stylesheets = await page.locator('link[rel="stylesheet"]').evaluateAll((links) => links.map((link) => (link as HTMLLinkElement).href));
      expect(stylesheets.length).toBeGreaterThan(0);
      for (const href of stylesheets) expect((await request.get(href)).status(), href).toBe(200);

      const interaction = await page.goto(`${app.url}/interactions/${DEMO_ID}`);
      expect(interaction?.status()).toBe(200);
      await expect(page.locator("main")).toContainText("charged twice");

      const api = await request.get(`${app.url}/api/interactions/${DEMO_ID}`);
      expect(api.status()).toBe(200);
      expect((await api.json()).id).toBe(DEMO_ID);

      const ready = await request.get(`${app.url}/api/ready`);
      expect(ready.status()).toBe(200);
      expect(await ready.json()).toEqual({ status: "ready" });
    } finally {
      await app.stop();
    }
  });
});

test("reads .env.local from the folder it is started in (the operator's, not the build's)", async () => {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), "inspector-cwd-"));
  fs.writeFileSync(path.join(folder, ".env.local"), "SHUTDOWN_GRACE_SECONDS=forever\n");
  const result = await startAppExpectingFailure({ DATABASE_URL: tempDatabaseUrl("cwd") }, folder);
  expect({ code: result.code, signal: result.signal }, result.output).toEqual({ code: 1, signal: null });
  expect(result.output).toMatch(/SHUTDOWN_GRACE_SECONDS: /);
});

test.describe("readiness", () => {
  test("fails with a reason when another release has migrated the database further, and liveness stays up", async ({ request }) => {
    // On the run's store: a newer release migrating the shared file, or the shared Postgres database.
    const databaseUrl = tempDatabaseUrl("ahead");
    const app = await startApp({ DATABASE_URL: databaseUrl });
    try {
      expect((await request.get(`${app.url}/api/ready`)).status()).toBe(200);
      // What a newer release starting on the same database (a rolling upgrade) leaves behind.
      await recordNewerMigration(databaseUrl);
      const ready = await request.get(`${app.url}/api/ready`);
      expect(ready.status()).toBe(503);
      expect(await ready.json()).toEqual({ status: "not-ready", reason: "the database was migrated by a newer release" });
      expect((await request.get(`${app.url}/api/health`)).status()).toBe(200);
    } finally {
      await app.stop();
    }
  });

  test("fails when the SQLite file does not take a write", async ({ request }) => {
    test.setTimeout(30_000);
    // About SQLite's write lock: a SQLite file whatever the run's store.
    const databaseUrl = tempSqliteUrl("locked");
    const app = await startApp({ DATABASE_URL: databaseUrl });
    const holder = new Database(sqliteFile(databaseUrl));
    try {
      // Another process holds the write lock past the app's busy timeout (5 s).
      holder.exec("BEGIN IMMEDIATE");
      const ready = await request.get(`${app.url}/api/ready`, { timeout: 15_000 });
      expect(ready.status()).toBe(503);
      expect(await ready.json()).toEqual({ status: "not-ready", reason: "the database does not take a write" });
      // Liveness writes nothing, so it does not wait for the lock.
      expect((await request.get(`${app.url}/api/health`, { timeout: 2_000 })).status()).toBe(200);
      holder.exec("ROLLBACK");
      expect((await request.get(`${app.url}/api/ready`)).status()).toBe(200);
    } finally {
      if (holder.inTransaction) holder.exec("ROLLBACK");
      holder.close();
      await app.stop();
    }
  });

  test("fails when Postgres does not take a write (a lock held elsewhere), and liveness stays up", async ({ request }) => {
    test.skip(E2E_STORE !== "postgres", "needs the run's Postgres server (E2E_STORE=postgres)");
    test.setTimeout(30_000);
    const databaseUrl = tempPostgresUrl();
    const app = await startApp({ DATABASE_URL: databaseUrl });
    const holder = new pg.Client({ connectionString: databaseUrl });
    await holder.connect();
    try {
      expect((await request.get(`${app.url}/api/ready`)).status()).toBe(200);
      // Another session holds the table the probe writes to (a long migration, a stuck job), past the
      // second for which a successful probe write is reused.
      await holder.query("BEGIN");
      await holder.query("LOCK TABLE app_settings IN ACCESS EXCLUSIVE MODE");
      await new Promise((resolve) => setTimeout(resolve, 1_100));
      const started = Date.now();
      const ready = await request.get(`${app.url}/api/ready`, { timeout: 15_000 });
      expect(ready.status()).toBe(503);
      expect(await ready.json()).toEqual({ status: "not-ready", reason: "the database does not take a write" });
      expect(Date.now() - started).toBeLessThan(10_000);
      expect((await request.get(`${app.url}/api/health`, { timeout: 2_000 })).status()).toBe(200);
      await holder.query("ROLLBACK");
      await expect.poll(async () => (await request.get(`${app.url}/api/ready`)).status(), { timeout: 5_000 }).toBe(200);
    } finally {
      await holder.end();
      await app.stop();
    }
  });
});

test.describe("stopping", () => {
  let nebuly: FakeNebuly;

  test.beforeAll(async () => {
    nebuly = await new FakeNebuly(NEBULY_TEST_KEY).start();
  });

  test.afterAll(async () => {
    await nebuly?.stop();
  });

  test("SIGTERM: readiness fails at once, a slow request in flight still gets its 200, then exit 0 with a sound database", async ({ request }) => {
    const databaseUrl = tempDatabaseUrl("sigterm");
    const slowId = randomUUID();
    nebuly.script(slowId, [{ body: { id: slowId, topic: "slow upstream" }, delayMs: 2_500 }]);
    const app = await startApp({
      NEBULY_API_KEY: NEBULY_TEST_KEY,
      NEBULY_API_URL: nebuly.url,
      DATABASE_URL: databaseUrl,
      UPSTREAM_TIMEOUT_MS: "5000",
      SHUTDOWN_GRACE_SECONDS: "6",
      SHUTDOWN_DRAIN_SECONDS: "1",
    });
    let stopped = false;
    try {
      const slow = request.get(`${app.url}/api/interactions/${slowId}`, { timeout: 15_000 });
      await expect.poll(() => nebuly.callsFor(slowId).length).toBe(1);

      const signalledAt = Date.now();
      process.kill(app.pid, "SIGTERM");
      await expect.poll(async () => (await request.get(`${app.url}/api/ready`)).status(), { timeout: 900 }).toBe(503);
      expect(await (await request.get(`${app.url}/api/ready`)).json()).toEqual({ status: "not-ready", reason: "shutting down" });

      const response = await slow;
      expect(response.status()).toBe(200);
      expect((await response.json()).topic).toBe("slow upstream");

      const { code, signal } = await app.exited;
      stopped = true;
      expect({ code, signal }, app.output()).toEqual({ code: 0, signal: null });
      expect(Date.now() - signalledAt).toBeLessThan(6_000);
      // After the drain window the port is closed: new connections are refused.
      await expect(request.get(`${app.url}/api/health`, { timeout: 2_000 })).rejects.toThrow();

      if (isPostgresUrl(databaseUrl)) {
        // The pool was ended after the last write: the row is there for the next replica.
        expect(await queryDatabase(databaseUrl, "SELECT topic FROM interactions WHERE id = ?", [slowId])).toEqual([{ topic: "slow upstream" }]);
      } else {
        const db = new Database(sqliteFile(databaseUrl), { readonly: true });
        try {
          expect(db.pragma("integrity_check", { simple: true })).toBe("ok");
          // Checkpointed and closed: the write-ahead log was folded into the file.
          expect(db.prepare("SELECT topic FROM interactions WHERE id = ?").get(slowId)).toEqual({ topic: "slow upstream" });
        } finally {
          db.close();
        }
      }
      expect(app.output()).toContain("stopped: database checkpointed and closed");
    } finally {
      if (!stopped) await app.stop("SIGKILL");
    }
  });

  test("a request that outlasts SHUTDOWN_GRACE_SECONDS is cut off, and the process still exits 0 in time", async ({ request }) => {
    const hangingId = randomUUID();
    nebuly.script(hangingId, [{ body: { id: hangingId }, delayMs: 20_000 }]);
    const app = await startApp({
      NEBULY_API_KEY: NEBULY_TEST_KEY,
      NEBULY_API_URL: nebuly.url,
      DATABASE_URL: tempDatabaseUrl("grace"),
      UPSTREAM_TIMEOUT_MS: "30000",
      SHUTDOWN_GRACE_SECONDS: "2",
      SHUTDOWN_DRAIN_SECONDS: "0",
    });
    let stopped = false;
    try {
      const hanging = request.get(`${app.url}/api/interactions/${hangingId}`, { timeout: 15_000 }).catch((error: Error) => error);
      await expect.poll(() => nebuly.callsFor(hangingId).length).toBe(1);
      const signalledAt = Date.now();
      process.kill(app.pid, "SIGTERM");
      const { code } = await app.exited;
      stopped = true;
      const elapsed = Date.now() - signalledAt;
      expect(code, app.output()).toBe(0);
      expect(elapsed).toBeGreaterThanOrEqual(1_900);
      expect(elapsed).toBeLessThan(4_000);
      // The client sees its connection closed, not a response.
      expect((await hanging) instanceof Error).toBe(true);
      expect(app.output()).toContain("requests still running after SHUTDOWN_GRACE_SECONDS");
    } finally {
      if (!stopped) await app.stop("SIGKILL");
    }
  });
});

test.describe("upgrades", () => {
  test("two processes starting together on one fresh database migrate it once; both become ready", async ({ request }) => {
    // On the run's store: SQLite's write lock, or Postgres's advisory lock, serialises the two.
    const databaseUrl = tempDatabaseUrl("twin");
    const apps: AppServer[] = [];
    try {
      const started = await Promise.allSettled([startApp({ DATABASE_URL: databaseUrl }), startApp({ DATABASE_URL: databaseUrl })]);
      for (const result of started) if (result.status === "fulfilled") apps.push(result.value);
      expect(started.map((result) => result.status), started.map((result) => (result.status === "rejected" ? String(result.reason) : "")).join("\n")).toEqual(["fulfilled", "fulfilled"]);
      for (const app of apps) {
        const ready = await request.get(`${app.url}/api/ready`);
        expect(ready.status(), app.output()).toBe(200);
      }
      const integer = isPostgresUrl(databaseUrl) ? "bigint" : "INTEGER";
      const recorded = await queryDatabase<{ at: number }>(databaseUrl, `SELECT CAST(created_at AS ${integer}) AS at FROM "__drizzle_migrations" ORDER BY created_at`);
      expect(recorded.map((row) => row.at)).toEqual(shippedMigrations(databaseUrl));
      const tables = ["interactions", "list_cache", "app_settings", "share_links", "sessions", "audit_events"];
      expect(await tableNames(databaseUrl)).toEqual(expect.arrayContaining(isPostgresUrl(databaseUrl) ? [...tables, "rate_windows", "fetch_leases"] : [...tables, "interactions_fts"]));
      if (!isPostgresUrl(databaseUrl)) {
        const db = new Database(sqliteFile(databaseUrl), { readonly: true });
        try {
          expect(db.pragma("integrity_check", { simple: true })).toBe("ok");
        } finally {
          db.close();
        }
      }
    } finally {
      await Promise.all(apps.map((app) => app.stop()));
    }
  });

  test("refuses to start on a database a newer release migrated (a downgrade), saying what to do", async () => {
    const databaseUrl = tempDatabaseUrl("downgrade");
    const first = await startApp({ DATABASE_URL: databaseUrl });
    await first.stop();
    await recordNewerMigration(databaseUrl);
    const result = await startAppExpectingFailure({ DATABASE_URL: databaseUrl });
    expect({ code: result.code, signal: result.signal }, result.output).toEqual({ code: 1, signal: null });
    expect(result.output).toContain("the database was migrated by a newer release");
    expect(result.output).toContain("restore the backup taken before the upgrade");
  });
});
