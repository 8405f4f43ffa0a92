import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { openDatabase, type Db } from "@/db/client";

// recordAudit is what the access code calls; exercise it through the app's own connection holder.
const holder = globalThis as typeof globalThis & { __inspectorDb?: Db };
let db: Db;

beforeAll(() => {
  db = openDatabase(":memory:");
  holder.__inspectorDb = db;
  vi.useFakeTimers();
  vi.stubEnv("LOG_LEVEL", "silent");
});

afterAll(() => {
  vi.useRealTimers();
  vi.unstubAllEnvs();
  delete holder.__inspectorDb;
});

describe("recordAudit", () => {
  it("stamps events with the current time, lists them, and never throws", async () => {
    const { listAuditEvents, parseAuditQuery, recordAudit } = await import("./index");
    vi.setSystemTime(new Date("2026-11-26T09:00:00Z"));
    recordAudit({ action: "sign_in", actor: "ana", client: "10.0.0.1", detail: { via: "password" } });
    const { events } = listAuditEvents(parseAuditQuery(new URLSearchParams()), {});
    expect(events).toMatchObject([{ at: "2026-11-26T09:00:00.000Z", action: "sign_in", actor: "ana", client: "10.0.0.1", target: null, detail: { via: "password" } }]);

    db.$client.close();
    expect(() => recordAudit({ action: "sign_out", actor: "ana", client: null })).not.toThrow();
  });
});
