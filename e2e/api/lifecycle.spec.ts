import fs from "node:fs";
import path from "node:path";
import { randomUUID } from "node:crypto";
import { expect, test } from "@playwright/test";
import {
  E2E_STORE,
  NEBULY_TEST_KEY,
  startApp,
  startAppExpectingFailure,
  tempDatabaseUrl,
  tempPostgresUrl,
  tempSqliteUrl,
} from "../support/app-server";
import { FakeNebuly } from "../support/fake-nebuly";

test.describe("process lifecycle", () => {
  let nebuly: FakeNebuly;

  test.beforeAll(async () => {
    nebuly = await new FakeNebuly(NEBULY_TEST_KEY).start();
  });

  test.afterAll(async () => {
    await nebuly?.stop();
  });

  test("the cache survives a crash and a restart, with Nebuly down", async ({ request }) => {
    const databaseUrl = tempDatabaseUrl("restart");
    const env = { NEBULY_API_KEY: NEBULY_TEST_KEY, NEBULY_API_URL: nebuly.url, DATABASE_URL: databaseUrl };
    const ids = Array.from({ length: 40 }, () => randomUUID());
    for (const id of ids) nebuly.serveInteraction(id, { topic: `topic ${id}` });

    const first = await startApp(env);
    // Writes still in flight when the process is killed must not corrupt what was committed.
    const answered: string[] = [];
    try {
      const inFlight = ids.map(async (id) => {
        // Requests cut off by the kill fail: only those answered count below.
        const response = await request.get(`${first.url}/api/interactions/${id}`).catch(() => undefined);
        if (response?.status() === 200) answered.push(id);
      });
      // A cold server on a busy 2-core machine can take more than the default 5 s for its first ten answers.
      await expect.poll(() => answered.length, { timeout: 30_000 }).toBeGreaterThanOrEqual(10);
      await first.stop("SIGKILL");
      await Promise.all(inFlight);
    } finally {
      await first.stop("SIGKILL");
    }

    for (const id of ids) nebuly.script(id, [{ status: 500 }]);
    const second = await startApp(env);
    try {
      const health = await request.get(`${second.url}/api/health`);
      expect(await health.json()).toEqual({ status: "ok", mode: "live", db: "ok" });
      for (const id of answered) {
        const response = await request.get(`${second.url}/api/interactions/${id}`);
        expect(response.status()).toBe(200);
        expect(response.headers()["x-cache"]).toBe("HIT");
        expect((await response.json()).topic).toBe(`topic ${id}`);
      }
    } finally {
      await second.stop();
    }
  });

  test("creates the database folder when it is missing", async ({ request }) => {
    // About SQLite's file: a SQLite database whatever the run's store.
    const databaseUrl = tempSqliteUrl("folder").replace(/inspector\.db$/, "nested/deeper/inspector.db");
    const app = await startApp({ DATABASE_URL: databaseUrl });
    try {
      expect((await request.get(`${app.url}/api/health`)).status()).toBe(200);
      expect(fs.existsSync(databaseUrl.replace(/^file:/, ""))).toBe(true);
    } finally {
      await app.stop();
    }
  });

  for (const [name, value] of [
    ["UPSTREAM_TIMEOUT_MS", "fast"],
    ["NEBULY_API_URL", "not-a-url"],
    ["CACHE_TTL_SECONDS", "-5"],
    ["SHUTDOWN_GRACE_SECONDS", "0"],
  ]) {
    test(`refuses to start with ${name}=${value}, naming the variable`, async () => {
      const result = await startAppExpectingFailure({ [name]: value, DATABASE_URL: tempDatabaseUrl("bad") });
      // lib/startup.ts exits with 1 by itself. A server that kept running (killed by the launcher's
      // timeout: code null, SIGKILL) or crashed some other way has not refused the configuration.
      expect({ code: result.code, signal: result.signal }, result.output).toEqual({ code: 1, signal: null });
      expect(result.output).toMatch(new RegExp(`${name}: `));
      expect(result.output).not.toMatch(/"msg":"listening on /);
    });
  }

  test("refuses to start at once when Postgres refuses its password, printing neither the password nor the URL", async () => {
    test.skip(E2E_STORE !== "postgres", "needs the run's Postgres server (E2E_STORE=postgres)");
    const url = new URL(tempPostgresUrl());
    url.password = "not-the-password-9c41e";
    const started = Date.now();
    const result = await startAppExpectingFailure({ DATABASE_URL: url.toString() });
    expect({ code: result.code, signal: result.signal }, result.output).toEqual({ code: 1, signal: null });
    // A refused password is no reason to wait for the database to come up (that wait is 30 s).
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(result.output).toContain("cannot open the database");
    expect(result.output).not.toContain("not-the-password-9c41e");
    expect(result.output).not.toContain(url.toString());
  });

  test("the key is in no built browser asset", async () => {
    const staticDir = path.resolve(import.meta.dirname, "../../.next/static");
    const files = fs.readdirSync(staticDir, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile());
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) {
      const content = fs.readFileSync(path.join(file.parentPath, file.name), "utf8");
      expect(content, file.name).not.toContain(NEBULY_TEST_KEY);
    }
  });
});
