import { beforeEach, describe, expect, it, vi } from "vitest";

// The probe's database and migration state, counted and switched by each test.
const state = { writes: 0, failWrite: false, databaseHead: 8 };
vi.mock("@/db/client", () => ({
  getDb: () => ({
    $client: {
      prepare: () => ({
        run: () => {
          if (state.failWrite) throw new Error("SQLITE_FULL");
          state.writes += 1;
        },
      }),
    },
  }),
  migrationsFolder: () => "drizzle",
}));
vi.mock("@/db/migrate", () => ({ schemaState: () => ({ codeHead: 8, databaseHead: state.databaseHead }) }));
vi.mock("./lifecycle", () => ({ isShuttingDown: () => false }));

const at = (ms: number) => new Date(Date.UTC(2026, 10, 30) + ms);

describe("readinessCheck", () => {
  beforeEach(() => {
    vi.resetModules();
    state.writes = 0;
    state.failWrite = false;
    state.databaseHead = 8;
  });

  it("writes at most once a second however many probes arrive (the route is public)", async () => {
    const { readinessCheck } = await import("./readiness");
    for (let ms = 0; ms < 1_000; ms += 10) expect(readinessCheck(at(ms))).toEqual({ status: "ready" });
    expect(state.writes).toBe(1);
    expect(readinessCheck(at(1_000))).toEqual({ status: "ready" });
    expect(state.writes).toBe(2);
  });

  it("never reuses a failure: the first probe after the fault cleared is ready", async () => {
    const { readinessCheck } = await import("./readiness");
    state.failWrite = true;
    expect(readinessCheck(at(0))).toEqual({ status: "not-ready", reason: "the database does not take a write" });
    state.failWrite = false;
    expect(readinessCheck(at(10))).toEqual({ status: "ready" });
  });

  it("checks again at once when a fault follows a reused answer's second", async () => {
    const { readinessCheck } = await import("./readiness");
    expect(readinessCheck(at(0))).toEqual({ status: "ready" });
    state.failWrite = true;
    expect(readinessCheck(at(1_000))).toMatchObject({ status: "not-ready" });
  });

  it("compares migrations on every probe, even within the second a write is reused", async () => {
    const { readinessCheck } = await import("./readiness");
    expect(readinessCheck(at(0))).toEqual({ status: "ready" });
    state.databaseHead = 9;
    expect(readinessCheck(at(10))).toEqual({ status: "not-ready", reason: "the database was migrated by a newer release" });
    expect(state.writes).toBe(1);
  });
});
