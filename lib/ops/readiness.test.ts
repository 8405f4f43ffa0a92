import { beforeEach, describe, expect, it, vi } from "vitest";

// The probe's store and migration state, counted and switched by each test. A write takes
// `writeMs` (0: settles at once, as on SQLite; more: a round trip to Postgres).
const state = { writes: 0, failWrite: false, databaseHead: 8, writeMs: 0, failSchema: false };
vi.mock("@/db/client", () => ({ getStore: () => ({ dialect: "postgres", db: {} }) }));
vi.mock("@/db/probe", () => ({
  writeProbe: async () => {
    if (state.writeMs > 0) await new Promise((resolve) => setTimeout(resolve, state.writeMs));
    if (state.failWrite) throw Object.assign(new Error("database or disk is full"), { code: "SQLITE_FULL" });
    state.writes += 1;
  },
  storeSchemaState: async () => {
    if (state.failSchema) throw new Error("Connection terminated unexpectedly");
    return { codeHead: 8, databaseHead: state.databaseHead };
  },
}));
vi.mock("./lifecycle", () => ({ isShuttingDown: () => false }));
const logged: { level: string; msg: string }[] = [];
vi.mock("@/lib/logger", () => ({
  logger: () => ({
    error: (_fields: unknown, msg: string) => logged.push({ level: "error", msg }),
    warn: (_fields: unknown, msg: string) => logged.push({ level: "warn", msg }),
    info: (_fields: unknown, msg: string) => logged.push({ level: "info", msg }),
  }),
}));

const at = (ms: number) => new Date(Date.UTC(2026, 10, 30) + ms);

describe("readinessCheck", () => {
  beforeEach(() => {
    vi.resetModules();
    state.writes = 0;
    state.failWrite = false;
    state.databaseHead = 8;
    state.writeMs = 0;
    state.failSchema = false;
    logged.length = 0;
  });

  it("logs one error when probes start failing and one line when ready again, not a line per probe", async () => {
    const { readinessCheck } = await import("./readiness");
    state.failWrite = true;
    for (let ms = 0; ms < 30_000; ms += 5_000) expect((await readinessCheck(at(ms))).status).toBe("not-ready");
    expect(logged).toEqual([{ level: "error", msg: "readiness: the database does not take a write" }]);
    state.failWrite = false;
    expect(await readinessCheck(at(30_000))).toEqual({ status: "ready" });
    expect(await readinessCheck(at(35_000))).toEqual({ status: "ready" });
    expect(logged.map((line) => line.msg)).toEqual(["readiness: the database does not take a write", "readiness: ready again"]);
  });

  it("writes at most once a second however many probes arrive (the route is public)", async () => {
    const { readinessCheck } = await import("./readiness");
    for (let ms = 0; ms < 1_000; ms += 10) expect(await readinessCheck(at(ms))).toEqual({ status: "ready" });
    expect(state.writes).toBe(1);
    expect(await readinessCheck(at(1_000))).toEqual({ status: "ready" });
    expect(state.writes).toBe(2);
  });

  it("makes one write for a flood of probes arriving while the write is on its way", async () => {
    const { readinessCheck } = await import("./readiness");
    state.writeMs = 20;
    const answers = await Promise.all(Array.from({ length: 50 }, (_, index) => readinessCheck(at(index))));
    expect(answers.every((answer) => answer.status === "ready")).toBe(true);
    expect(state.writes).toBe(1);
  });

  it("never reuses a failure: the first probe after the fault cleared is ready", async () => {
    const { readinessCheck } = await import("./readiness");
    state.failWrite = true;
    expect(await readinessCheck(at(0))).toEqual({ status: "not-ready", reason: "the database does not take a write" });
    state.failWrite = false;
    expect(await readinessCheck(at(10))).toEqual({ status: "ready" });
    expect(state.writes).toBe(1);
  });

  it("does not reuse a write that failed while probes waited for it", async () => {
    const { readinessCheck } = await import("./readiness");
    state.writeMs = 20;
    state.failWrite = true;
    const answers = await Promise.all([readinessCheck(at(0)), readinessCheck(at(5))]);
    expect(answers).toEqual([
      { status: "not-ready", reason: "the database does not take a write" },
      { status: "not-ready", reason: "the database does not take a write" },
    ]);
    state.failWrite = false;
    expect(await readinessCheck(at(10))).toEqual({ status: "ready" });
  });

  it("checks again at once when a fault follows a reused answer's second", async () => {
    const { readinessCheck } = await import("./readiness");
    expect(await readinessCheck(at(0))).toEqual({ status: "ready" });
    state.failWrite = true;
    expect(await readinessCheck(at(1_000))).toMatchObject({ status: "not-ready" });
  });

  it("compares migrations on every probe, even within the second a write is reused", async () => {
    const { readinessCheck } = await import("./readiness");
    expect(await readinessCheck(at(0))).toEqual({ status: "ready" });
    state.databaseHead = 9;
    expect(await readinessCheck(at(10))).toEqual({ status: "not-ready", reason: "the database was migrated by a newer release" });
    state.databaseHead = 7;
    expect(await readinessCheck(at(20))).toEqual({ status: "not-ready", reason: "database migrations are not at head" });
    state.failSchema = true;
    expect(await readinessCheck(at(30))).toEqual({ status: "not-ready", reason: "cannot read the migration state" });
    expect(state.writes).toBe(1);
  });
});
