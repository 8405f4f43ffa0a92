import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { closeStore, type Store } from "@/db/client";
import { openTestStore, testStores } from "@/test/stores";

// recordAudit is what the access code calls; exercise it through the app's own store holder.
const holder = globalThis as typeof globalThis & { __inspectorStore?: Store; __inspectorAuditLog?: unknown };

beforeAll(() => {
  vi.stubEnv("LOG_LEVEL", "silent");
});

afterAll(() => {
  vi.unstubAllEnvs();
  delete holder.__inspectorStore;
  delete holder.__inspectorAuditLog;
});

describe.each(testStores())("recordAudit on %s", (dialect) => {
  let store: Store;

  beforeAll(async () => {
    store = await openTestStore(dialect);
    holder.__inspectorStore = store;
    delete holder.__inspectorAuditLog;
    // Only the clock: the Postgres driver keeps its own timers.
    vi.useFakeTimers({ toFake: ["Date"] });
  });

  afterAll(() => {
    vi.useRealTimers();
  });

  it("stamps events with the current time, lists them, and never throws", async () => {
    const { listAuditEvents, parseAuditQuery, recordAudit } = await import("./index");
    const { logger } = await import("@/lib/logger");
    vi.setSystemTime(new Date("2026-11-26T09:00:00Z"));
    await recordAudit({ action: "sign_in", actor: "ana", client: "10.0.0.1", detail: { via: "password" } });
    const { events } = await listAuditEvents(parseAuditQuery(new URLSearchParams()), {});
    expect(events).toMatchObject([{ at: "2026-11-26T09:00:00.000Z", action: "sign_in", actor: "ana", client: "10.0.0.1", target: null, detail: { via: "password" } }]);

    // The store goes away: the event is lost and logged, the caller goes on.
    const logged = vi.spyOn(logger(), "error");
    await closeStore(store);
    await expect(recordAudit({ action: "sign_out", actor: "ana", client: null })).resolves.toBeUndefined();
    expect(logged).toHaveBeenCalledWith(expect.objectContaining({ action: "sign_out" }), "could not write an audit event");
    logged.mockRestore();
  });
});
