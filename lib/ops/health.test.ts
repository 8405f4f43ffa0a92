import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { noteStoreBack, noteStoreLost, storeLastSeenLost } from "@/db/availability";
import { postgresDb, postgresPool, type Store } from "@/db/client";
import { freePort } from "@/test/postgres-server";
import { openTestStore, testStores } from "@/test/stores";

/** Liveness over the app's own store holder, on each store and with the store failing in each way. */
const holder = globalThis as typeof globalThis & { __inspectorStore?: Store; __inspectorDbClosed?: boolean };

beforeAll(() => {
  vi.stubEnv("NEBULY_API_KEY", "");
  vi.stubEnv("LOG_LEVEL", "silent");
});

afterEach(() => {
  delete holder.__inspectorStore;
  delete holder.__inspectorDbClosed;
  noteStoreBack();
});

afterAll(() => {
  vi.unstubAllEnvs();
});

describe.each(testStores())("healthCheck on %s", (dialect) => {
  it("is ok when the store answers a read, and says the store is back", async () => {
    const { healthCheck } = await import("./health");
    holder.__inspectorStore = await openTestStore(dialect);
    noteStoreLost();
    expect(await healthCheck()).toEqual({ status: "ok", mode: "demo", db: "ok" });
    expect(storeLastSeenLost()).toBe(false);
  });
});

describe("healthCheck when the store fails", () => {
  it("fails liveness when this process's own SQLite file cannot be read", async () => {
    const { healthCheck } = await import("./health");
    const store = await openTestStore("sqlite");
    if (store.dialect !== "sqlite") throw new Error("expected SQLite");
    holder.__inspectorStore = store;
    store.db.$client.close();
    expect(await healthCheck()).toEqual({ status: "error", mode: "demo", db: "error" });
  });

  it("keeps liveness when a shared Postgres cannot be reached (restarting this process would not help), and notes the loss", async () => {
    const { healthCheck } = await import("./health");
    const pool = postgresPool(`postgres://inspector:pw@127.0.0.1:${await freePort()}/inspector`, 1);
    holder.__inspectorStore = { dialect: "postgres", db: postgresDb(pool) };
    try {
      expect(await healthCheck()).toEqual({ status: "ok", mode: "demo", db: "unreachable" });
      expect(storeLastSeenLost()).toBe(true);
    } finally {
      await pool.end();
    }
  });

  it("answers, rather than throws, once the store is closed for shutdown", async () => {
    const { healthCheck } = await import("./health");
    holder.__inspectorDbClosed = true;
    expect(await healthCheck()).toEqual({ status: "error", mode: "demo", db: "error" });
  });
});
