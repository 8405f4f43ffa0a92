import { afterAll, describe, expect, inject, it } from "vitest";
import { closeStore, openStore, type Store } from "@/db/client";
import { newPostgresDatabase } from "@/test/stores";
import { deleteRateWindowsBefore, postgresCounter } from "./rate-limit.postgres";

/** Two replicas: two processes' pools on one Postgres database. */
describe.skipIf(!inject("postgresAdminUrl"))("a window counter shared by replicas on Postgres", () => {
  const stores: Store[] = [];
  const replicas = async () => {
    const url = await newPostgresDatabase();
    const pair = [await openStore(url, { poolMax: 4 }), await openStore(url, { poolMax: 4 })] as const;
    stores.push(...pair);
    return pair.map((store) => (store.dialect === "postgres" ? store.db : null!));
  };
  afterAll(async () => {
    await Promise.all(stores.map((store) => closeStore(store)));
  });

  it("counts hits on either replica into one window: a client cannot double its budget", async () => {
    const [a, b] = await replicas();
    let now = Date.parse("2026-11-30T10:00:00Z");
    const onA = postgresCounter(a!, "budget", 5, 60_000, () => now);
    const onB = postgresCounter(b!, "budget", 5, 60_000, () => now);
    for (const counter of [onA, onB, onA, onB, onA]) expect((await counter.hit("203.0.113.9")).ok).toBe(true);
    expect(await onB.hit("203.0.113.9")).toEqual({ ok: false, retryAfterSeconds: 60 });
    expect(await onA.blocked("203.0.113.9")).toEqual({ blocked: true, retryAfterSeconds: 60 });
    // Another client's window is its own.
    expect((await onB.hit("198.51.100.1")).ok).toBe(true);
    // The window ends for both replicas at once.
    now += 60_000;
    expect((await onB.hit("203.0.113.9")).ok).toBe(true);
    expect(await onA.blocked("203.0.113.9")).toEqual({ blocked: false, retryAfterSeconds: 60 });
  });

  it("loses no hit when both replicas count at the same moment", async () => {
    const [a, b] = await replicas();
    const counters = [postgresCounter(a!, "budget", 1_000, 60_000), postgresCounter(b!, "budget", 1_000, 60_000)];
    await Promise.all(Array.from({ length: 60 }, (_, i) => counters[i % 2]!.hit("203.0.113.9")));
    const limited = [postgresCounter(a!, "budget", 60, 60_000), postgresCounter(b!, "budget", 61, 60_000)];
    expect((await limited[0]!.blocked("203.0.113.9")).blocked).toBe(true);
    expect((await limited[1]!.blocked("203.0.113.9")).blocked).toBe(false);
  });

  it("keeps limits apart by scope, and retention removes ended windows only", async () => {
    const [a] = await replicas();
    let now = Date.parse("2026-11-30T10:00:00Z");
    const budget = postgresCounter(a!, "budget", 1, 60_000, () => now);
    const login = postgresCounter(a!, "login-client", 1, 60_000, () => now);
    expect((await budget.hit("203.0.113.9")).ok).toBe(true);
    expect((await login.hit("203.0.113.9")).ok).toBe(true);
    now += 30_000;
    expect((await login.hit("198.51.100.1")).ok).toBe(true);
    expect(await deleteRateWindowsBefore(a!, new Date(now - 1), 100)).toBe(2);
    expect((await login.blocked("198.51.100.1")).blocked).toBe(true);
  });
});
