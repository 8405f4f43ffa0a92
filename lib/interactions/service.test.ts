import { beforeEach, describe, expect, it } from "vitest";
import { openDatabase } from "@/db/client";
import { AppError } from "@/lib/errors";
import type { NebulyClient } from "@/lib/nebuly/client";
import { interactionSchema } from "@/lib/nebuly/schemas";
import { createInteractionRepository, type InteractionRepository } from "./repository";
import { createInteractionService } from "./service";

const ID = "0b6f3c1e-8a2d-4f57-9c1e-2d7a4b9e6f01";
const TTL = 60_000;

function fakeClient() {
  const state = {
    calls: 0,
    topic: "Billing",
    fail: undefined as AppError | undefined,
    gate: undefined as Promise<void> | undefined,
  };
  const client: NebulyClient = {
    async getInteraction(id) {
      state.calls++;
      await state.gate;
      if (state.fail) throw state.fail;
      const rawJson = JSON.stringify({ id, topic: state.topic, user: "ana", timestamp: "2026-11-20T10:00:00" });
      return { interaction: interactionSchema.parse(JSON.parse(rawJson)), rawJson };
    },
    async listInteractions() {
      throw new Error("not used");
    },
  };
  return { client, state };
}

describe("interaction service", () => {
  let clock: number;
  let repository: InteractionRepository;
  let upstream: ReturnType<typeof fakeClient>;
  let background: AppError[];

  const service = () =>
    createInteractionService({
      repository,
      client: upstream.client,
      ttlMs: TTL,
      now: () => clock,
      onBackgroundError: (_id, error) => background.push(error),
    });

  beforeEach(() => {
    clock = Date.parse("2026-11-26T10:00:00Z");
    repository = createInteractionRepository(openDatabase(":memory:"));
    upstream = fakeClient();
    background = [];
  });

  it("fetches once (MISS), then answers from the cache (HIT) while fresh", async () => {
    const inspector = service();
    expect((await inspector.get(ID)).cache).toBe("MISS");
    clock += TTL - 1;
    const second = await inspector.get(ID);
    expect(second.cache).toBe("HIT");
    expect(second.interaction.topic).toBe("Billing");
    expect(upstream.state.calls).toBe(1);
  });

  it("stores the filterable fields as columns", async () => {
    await service().get(ID);
    expect(repository.find(ID)).toMatchObject({
      user: "ana",
      topic: "Billing",
      timestamp: new Date("2026-11-20T10:00:00Z"),
    });
  });

  it("serves an expired copy as STALE and refreshes it in the background", async () => {
    const inspector = service();
    await inspector.get(ID);
    clock += TTL;
    upstream.state.topic = "Refunds";
    const stale = await inspector.get(ID);
    expect(stale).toMatchObject({ cache: "STALE", staleReason: "expired" });
    expect(stale.interaction.topic).toBe("Billing");
    await new Promise((resolve) => setTimeout(resolve, 0));
    const fresh = await inspector.get(ID);
    expect(fresh.cache).toBe("HIT");
    expect(fresh.interaction.topic).toBe("Refunds");
  });

  it("refetches on refresh even when the copy is fresh", async () => {
    const inspector = service();
    await inspector.get(ID);
    upstream.state.topic = "Refunds";
    const refreshed = await inspector.get(ID, { refresh: true });
    expect(refreshed.cache).toBe("MISS");
    expect(refreshed.interaction.topic).toBe("Refunds");
    expect(upstream.state.calls).toBe(2);
  });

  it("serves the cached copy as STALE when upstream fails, and keeps the row", async () => {
    const inspector = service();
    await inspector.get(ID);
    upstream.state.fail = new AppError("upstream_error", "down");
    const result = await inspector.get(ID, { refresh: true });
    expect(result).toMatchObject({ cache: "STALE", staleReason: "upstream_failed", upstreamError: { code: "upstream_error" } });
    expect(repository.find(ID)?.topic).toBe("Billing");
  });

  it("serves the snapshot even after upstream forgets the interaction (404)", async () => {
    const inspector = service();
    await inspector.get(ID);
    upstream.state.fail = new AppError("not_found", "gone");
    expect((await inspector.get(ID, { refresh: true })).cache).toBe("STALE");
  });

  it("raises the upstream error when nothing is cached", async () => {
    upstream.state.fail = new AppError("upstream_timeout", "slow");
    await expect(service().get(ID)).rejects.toMatchObject({ code: "upstream_timeout" });
  });

  it("reports a failed background refresh without affecting the response", async () => {
    const inspector = service();
    await inspector.get(ID);
    clock += TTL;
    upstream.state.fail = new AppError("upstream_error", "down");
    expect((await inspector.get(ID)).cache).toBe("STALE");
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(background.map((error) => error.code)).toEqual(["upstream_error"]);
  });

  it("makes one upstream call for concurrent cold requests", async () => {
    let release!: () => void;
    upstream.state.gate = new Promise((resolve) => (release = resolve));
    const inspector = service();
    const pending = Array.from({ length: 10 }, () => inspector.get(ID));
    release();
    const results = await Promise.all(pending);
    expect(upstream.state.calls).toBe(1);
    expect(results.every((result) => result.cache === "MISS")).toBe(true);
  });

  describe("forget", () => {
    const searchIds = (text: string) => repository.search({ text, sort: "time", limit: 10, offset: 0 }).items.map((item) => item.id);

    it("deletes the snapshot, its search entry and its Recently viewed place, and then answers without asking Nebuly", async () => {
      const inspector = service();
      await inspector.get(ID);
      repository.recordView(ID, new Date(clock));
      expect(repository.recentlyViewed(5).map((item) => item.id)).toEqual([ID]);
      expect(inspector.forget(ID, "ana")).toEqual({ snapshot: true, listPages: 0 });
      expect(repository.find(ID)).toBeUndefined();
      expect(repository.recentlyViewed(5)).toEqual([]);
      expect(repository.forgotten(ID)).toMatchObject({ forgottenBy: "ana", forgottenAt: new Date(clock) });
      await expect(inspector.get(ID)).rejects.toMatchObject({ code: "interaction_forgotten", status: 410 });
      await expect(inspector.get(ID, { refresh: true })).rejects.toMatchObject({ code: "interaction_forgotten" });
      expect(upstream.state.calls).toBe(1);
    });

    it("removes the full-text documents, so a search no longer finds it", async () => {
      const rawJson = JSON.stringify({ id: ID, user_query: "zebracorn refund", timestamp: "2026-11-20T10:00:00" });
      repository.save(ID, interactionSchema.parse(JSON.parse(rawJson)), rawJson, new Date(clock));
      expect(searchIds("zebracorn")).toEqual([ID]);
      expect(searchIds("bracor")).toEqual([ID]);
      service().forget(ID, null);
      expect(searchIds("zebracorn")).toEqual([]);
      expect(searchIds("bracor")).toEqual([]);
    });

    it("deletes cached list pages that list it, and only those", () => {
      repository.saveList("with", JSON.stringify({ data: [{ id: ID.toUpperCase() }] }), new Date(clock));
      repository.saveList("without", JSON.stringify({ data: [{ id: "0b6f3c1e-8a2d-4f57-9c1e-2d7a4b9e6f02" }] }), new Date(clock));
      expect(service().forget(ID, null)).toEqual({ snapshot: false, listPages: 1 });
      expect(repository.findList("with")).toBeUndefined();
      expect(repository.findList("without")).toBeDefined();
    });

    it("is not undone by a fetch that started before it: the fetch stores nothing and says the interaction was forgotten", async () => {
      let release!: () => void;
      upstream.state.gate = new Promise((resolve) => (release = resolve));
      const inspector = service();
      const inFlight = inspector.get(ID);
      await tick();
      expect(upstream.state.calls).toBe(1);
      inspector.forget(ID, "ana");
      release();
      await expect(inFlight).rejects.toMatchObject({ code: "interaction_forgotten" });
      expect(repository.find(ID)).toBeUndefined();
    });

    it("is not undone by a background refresh that started before it", async () => {
      const inspector = service();
      await inspector.get(ID);
      clock += TTL;
      let release!: () => void;
      upstream.state.gate = new Promise((resolve) => (release = resolve));
      expect((await inspector.get(ID)).cache).toBe("STALE");
      inspector.forget(ID, null);
      release();
      await tick();
      expect(repository.find(ID)).toBeUndefined();
      expect(background.map((error) => error.code)).toEqual(["interaction_forgotten"]);
    });

    it("fetches again only when asked explicitly, and then caches as before", async () => {
      const inspector = service();
      await inspector.get(ID);
      inspector.forget(ID, null);
      upstream.state.topic = "Refunds";
      const again = await inspector.fetchAgain(ID);
      expect(again).toMatchObject({ cache: "MISS", interaction: { topic: "Refunds" } });
      expect(upstream.state.calls).toBe(2);
      expect(repository.forgotten(ID)).toBeUndefined();
      expect((await inspector.get(ID)).cache).toBe("HIT");
    });
  });

  it("reports each lookup's cache result and each join of a call in flight (for the metrics)", async () => {
    const results: string[] = [];
    let joins = 0;
    let release!: () => void;
    upstream.state.gate = new Promise((resolve) => (release = resolve));
    const inspector = createInteractionService({
      repository,
      client: upstream.client,
      ttlMs: TTL,
      now: () => clock,
      onCacheResult: (result) => results.push(result),
      onFlightJoin: () => joins++,
    });
    const pending = Array.from({ length: 3 }, () => inspector.get(ID));
    release();
    await Promise.all(pending);
    expect(joins).toBe(2);
    await inspector.get(ID);
    clock += TTL;
    await inspector.get(ID);
    expect(results).toEqual(["MISS", "MISS", "MISS", "HIT", "STALE"]);
  });
});

/** A service over an in-memory cache, with a clock the test moves by hand. */
function harness(options: { failureMemoMs?: number } = {}) {
  const time = { now: 0 };
  const upstream = fakeClient();
  const inspector = createInteractionService({
    repository: createInteractionRepository(openDatabase(":memory:")),
    client: upstream.client,
    ttlMs: TTL,
    now: () => time.now,
    ...options,
  });
  return { time, upstream, inspector };
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

describe("failure memo", () => {
  it("answers a repeat request for a failed uncached id from memory, briefly", async () => {
    const { upstream, inspector } = harness({ failureMemoMs: 2_000 });
    upstream.state.fail = new AppError("upstream_timeout", "slow");
    await expect(inspector.get(ID)).rejects.toMatchObject({ code: "upstream_timeout" });
    await expect(inspector.get(ID)).rejects.toMatchObject({ code: "upstream_timeout" });
    expect(upstream.state.calls).toBe(1);

    upstream.state.fail = undefined;
    expect((await inspector.get(ID, { refresh: true })).cache).toBe("MISS");
    expect(upstream.state.calls).toBe(2);
  });

  it("forgets the failure after the memo window", async () => {
    const { time, upstream, inspector } = harness({ failureMemoMs: 2_000 });
    upstream.state.fail = new AppError("not_found", "nope");
    await expect(inspector.get(ID)).rejects.toMatchObject({ code: "not_found" });
    time.now += 2_000;
    upstream.state.fail = undefined;
    expect((await inspector.get(ID)).cache).toBe("MISS");
  });
});

describe("failure memo defaults and bounds", () => {
  it("remembers a failure for 2 s when not told otherwise", async () => {
    const { time, upstream, inspector } = harness();
    upstream.state.fail = new AppError("upstream_timeout", "slow");
    await expect(inspector.get(ID)).rejects.toMatchObject({ code: "upstream_timeout" });
    time.now += 1_999;
    await expect(inspector.get(ID)).rejects.toMatchObject({ code: "upstream_timeout" });
    expect(upstream.state.calls).toBe(1);
    time.now += 1;
    upstream.state.fail = undefined;
    expect((await inspector.get(ID)).cache).toBe("MISS");
    expect(upstream.state.calls).toBe(2);
  });

  it("keeps at most 1,000 failures, forgetting the oldest first", async () => {
    const { upstream, inspector } = harness();
    upstream.state.fail = new AppError("not_found", "nope");
    const ids = Array.from({ length: 1_001 }, (_, index) => `0b6f3c1e-8a2d-4f57-9c1e-${index.toString(16).padStart(12, "0")}`);
    for (const id of ids.slice(0, 1_000)) await expect(inspector.get(id)).rejects.toMatchObject({ code: "not_found" });
    await expect(inspector.get(ids[0])).rejects.toMatchObject({ code: "not_found" });
    expect(upstream.state.calls).toBe(1_000);
    await expect(inspector.get(ids[1_000])).rejects.toMatchObject({ code: "not_found" });
    // The 1,001st failure pushed out the first: asking for it again reaches Nebuly.
    await expect(inspector.get(ids[0])).rejects.toMatchObject({ code: "not_found" });
    expect(upstream.state.calls).toBe(1_002);
    await expect(inspector.get(ids[2])).rejects.toMatchObject({ code: "not_found" });
    expect(upstream.state.calls).toBe(1_002);
  });

  it("forgets a failure once a fetch succeeds, so a later stale copy is not blamed on it", async () => {
    const { time, upstream, inspector } = harness();
    upstream.state.fail = new AppError("upstream_timeout", "slow");
    await expect(inspector.get(ID)).rejects.toMatchObject({ code: "upstream_timeout" });
    // Fetched in the same millisecond as the failure.
    upstream.state.fail = undefined;
    expect((await inspector.get(ID, { refresh: true })).cache).toBe("MISS");
    time.now += TTL;
    expect(await inspector.get(ID)).toMatchObject({ cache: "STALE", staleReason: "expired" });
  });
});

describe("stale copies after a failed refresh", () => {
  it("reports upstream_failed once a background refresh has failed", async () => {
    const { time, upstream, inspector } = harness();
    await inspector.get(ID);
    time.now += TTL;
    upstream.state.fail = new AppError("upstream_error", "Nebuly answered with an error (HTTP 500).");
    expect(await inspector.get(ID)).toMatchObject({ cache: "STALE", staleReason: "expired" });
    await tick();
    expect(await inspector.get(ID)).toMatchObject({
      cache: "STALE",
      staleReason: "upstream_failed",
      upstreamError: { code: "upstream_error" },
    });
    upstream.state.fail = undefined;
    await tick();
    await inspector.get(ID);
    await tick();
    expect((await inspector.get(ID)).cache).toBe("HIT");
  });
});
