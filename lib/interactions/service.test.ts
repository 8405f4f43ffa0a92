import { beforeEach, describe, expect, it } from "vitest";
import { openDatabase } from "@/db/client";
import { AppError } from "@/lib/errors";
import type { NebulyClient } from "@/lib/nebuly/client";
import { interactionSchema } from "@/lib/nebuly/schemas";
import { createInteractionRepository, type InteractionRepository } from "./repository";
import { createInteractionService } from "./service";

const ID = "0b6f3c1e-8a2d-4f57-9c1e-2d7a4b9e6f01";
const TTL = 60_000;
/** A viewer of the one project NEBULY_API_KEY configures. */
const SCOPE = { projects: [{ slug: "default", name: "Default project" }] };

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
      clientFor: (slug) => (slug === "default" ? upstream.client : undefined),
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
    expect((await inspector.get(ID, SCOPE)).cache).toBe("MISS");
    clock += TTL - 1;
    const second = await inspector.get(ID, SCOPE);
    expect(second.cache).toBe("HIT");
    expect(second.interaction.topic).toBe("Billing");
    expect(upstream.state.calls).toBe(1);
  });

  it("stores the filterable fields as columns", async () => {
    await service().get(ID, SCOPE);
    expect(repository.find(ID)).toMatchObject({
      user: "ana",
      topic: "Billing",
      timestamp: new Date("2026-11-20T10:00:00Z"),
    });
  });

  it("serves an expired copy as STALE and refreshes it in the background", async () => {
    const inspector = service();
    await inspector.get(ID, SCOPE);
    clock += TTL;
    upstream.state.topic = "Refunds";
    const stale = await inspector.get(ID, SCOPE);
    expect(stale).toMatchObject({ cache: "STALE", staleReason: "expired" });
    expect(stale.interaction.topic).toBe("Billing");
    await new Promise((resolve) => setTimeout(resolve, 0));
    const fresh = await inspector.get(ID, SCOPE);
    expect(fresh.cache).toBe("HIT");
    expect(fresh.interaction.topic).toBe("Refunds");
  });

  it("refetches on refresh even when the copy is fresh", async () => {
    const inspector = service();
    await inspector.get(ID, SCOPE);
    upstream.state.topic = "Refunds";
    const refreshed = await inspector.get(ID, { refresh: true, ...SCOPE });
    expect(refreshed.cache).toBe("MISS");
    expect(refreshed.interaction.topic).toBe("Refunds");
    expect(upstream.state.calls).toBe(2);
  });

  it("serves the cached copy as STALE when upstream fails, and keeps the row", async () => {
    const inspector = service();
    await inspector.get(ID, SCOPE);
    upstream.state.fail = new AppError("upstream_error", "down");
    const result = await inspector.get(ID, { refresh: true, ...SCOPE });
    expect(result).toMatchObject({ cache: "STALE", staleReason: "upstream_failed", upstreamError: { code: "upstream_error" } });
    expect(repository.find(ID)?.topic).toBe("Billing");
  });

  it("serves the snapshot even after upstream forgets the interaction (404)", async () => {
    const inspector = service();
    await inspector.get(ID, SCOPE);
    upstream.state.fail = new AppError("not_found", "gone");
    expect((await inspector.get(ID, { refresh: true, ...SCOPE })).cache).toBe("STALE");
  });

  it("raises the upstream error when nothing is cached", async () => {
    upstream.state.fail = new AppError("upstream_timeout", "slow");
    await expect(service().get(ID, SCOPE)).rejects.toMatchObject({ code: "upstream_timeout" });
  });

  it("reports a failed background refresh without affecting the response", async () => {
    const inspector = service();
    await inspector.get(ID, SCOPE);
    clock += TTL;
    upstream.state.fail = new AppError("upstream_error", "down");
    expect((await inspector.get(ID, SCOPE)).cache).toBe("STALE");
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(background.map((error) => error.code)).toEqual(["upstream_error"]);
  });

  it("makes one upstream call for concurrent cold requests", async () => {
    let release!: () => void;
    upstream.state.gate = new Promise((resolve) => (release = resolve));
    const inspector = service();
    const pending = Array.from({ length: 10 }, () => inspector.get(ID, SCOPE));
    release();
    const results = await Promise.all(pending);
    expect(upstream.state.calls).toBe(1);
    expect(results.every((result) => result.cache === "MISS")).toBe(true);
  });

  describe("forget", () => {
    const searchIds = (text: string) => repository.search({ text, sort: "time", limit: 10, offset: 0 }).items.map((item) => item.id);

    it("deletes the snapshot, its search entry and its Recently viewed place, and then answers without asking Nebuly", async () => {
      const inspector = service();
      await inspector.get(ID, SCOPE);
      repository.recordView(ID, new Date(clock));
      expect(repository.recentlyViewed(5).map((item) => item.id)).toEqual([ID]);
      expect(inspector.forget(ID, "ana")).toEqual({ snapshot: true, listPages: 0 });
      expect(repository.find(ID)).toBeUndefined();
      expect(repository.recentlyViewed(5)).toEqual([]);
      expect(repository.forgotten(ID)).toMatchObject({ forgottenBy: "ana", forgottenAt: new Date(clock) });
      await expect(inspector.get(ID, SCOPE)).rejects.toMatchObject({ code: "interaction_forgotten", status: 410 });
      await expect(inspector.get(ID, { refresh: true, ...SCOPE })).rejects.toMatchObject({ code: "interaction_forgotten" });
      expect(upstream.state.calls).toBe(1);
    });

    it("removes the full-text documents, so a search no longer finds it", async () => {
      const rawJson = JSON.stringify({ id: ID, user_query: "zebracorn refund", timestamp: "2026-11-20T10:00:00" });
      repository.save(ID, interactionSchema.parse(JSON.parse(rawJson)), rawJson, new Date(clock), "default");
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
      const inFlight = inspector.get(ID, SCOPE);
      await tick();
      expect(upstream.state.calls).toBe(1);
      inspector.forget(ID, "ana");
      release();
      await expect(inFlight).rejects.toMatchObject({ code: "interaction_forgotten" });
      expect(repository.find(ID)).toBeUndefined();
    });

    it("is not undone by a background refresh that started before it", async () => {
      const inspector = service();
      await inspector.get(ID, SCOPE);
      clock += TTL;
      let release!: () => void;
      upstream.state.gate = new Promise((resolve) => (release = resolve));
      expect((await inspector.get(ID, SCOPE)).cache).toBe("STALE");
      inspector.forget(ID, null);
      release();
      await tick();
      expect(repository.find(ID)).toBeUndefined();
      expect(background.map((error) => error.code)).toEqual(["interaction_forgotten"]);
    });

    it("fetches again only when asked explicitly, and then caches as before", async () => {
      const inspector = service();
      await inspector.get(ID, SCOPE);
      inspector.forget(ID, null);
      upstream.state.topic = "Refunds";
      const again = await inspector.fetchAgain(ID, SCOPE);
      expect(again).toMatchObject({ cache: "MISS", interaction: { topic: "Refunds" } });
      expect(upstream.state.calls).toBe(2);
      expect(repository.forgotten(ID)).toBeUndefined();
      expect((await inspector.get(ID, SCOPE)).cache).toBe("HIT");
    });
  });

  it("reports each lookup's cache result and each join of a call in flight (for the metrics)", async () => {
    const results: string[] = [];
    let joins = 0;
    let release!: () => void;
    upstream.state.gate = new Promise((resolve) => (release = resolve));
    const inspector = createInteractionService({
      repository,
      clientFor: (slug) => (slug === "default" ? upstream.client : undefined),
      ttlMs: TTL,
      now: () => clock,
      onCacheResult: (result) => results.push(result),
      onFlightJoin: () => joins++,
    });
    const pending = Array.from({ length: 3 }, () => inspector.get(ID, SCOPE));
    release();
    await Promise.all(pending);
    expect(joins).toBe(2);
    await inspector.get(ID, SCOPE);
    clock += TTL;
    await inspector.get(ID, SCOPE);
    expect(results).toEqual(["MISS", "MISS", "MISS", "HIT", "STALE"]);
  });
});

/** A service over an in-memory cache, with a clock the test moves by hand. */
function harness(options: { failureMemoMs?: number } = {}) {
  const time = { now: 0 };
  const upstream = fakeClient();
  const inspector = createInteractionService({
    repository: createInteractionRepository(openDatabase(":memory:")),
    clientFor: (slug) => (slug === "default" ? upstream.client : undefined),
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
    await expect(inspector.get(ID, SCOPE)).rejects.toMatchObject({ code: "upstream_timeout" });
    await expect(inspector.get(ID, SCOPE)).rejects.toMatchObject({ code: "upstream_timeout" });
    expect(upstream.state.calls).toBe(1);

    upstream.state.fail = undefined;
    expect((await inspector.get(ID, { refresh: true, ...SCOPE })).cache).toBe("MISS");
    expect(upstream.state.calls).toBe(2);
  });

  it("forgets the failure after the memo window", async () => {
    const { time, upstream, inspector } = harness({ failureMemoMs: 2_000 });
    upstream.state.fail = new AppError("not_found", "nope");
    await expect(inspector.get(ID, SCOPE)).rejects.toMatchObject({ code: "not_found" });
    time.now += 2_000;
    upstream.state.fail = undefined;
    expect((await inspector.get(ID, SCOPE)).cache).toBe("MISS");
  });
});

describe("failure memo defaults and bounds", () => {
  it("remembers a failure for 2 s when not told otherwise", async () => {
    const { time, upstream, inspector } = harness();
    upstream.state.fail = new AppError("upstream_timeout", "slow");
    await expect(inspector.get(ID, SCOPE)).rejects.toMatchObject({ code: "upstream_timeout" });
    time.now += 1_999;
    await expect(inspector.get(ID, SCOPE)).rejects.toMatchObject({ code: "upstream_timeout" });
    expect(upstream.state.calls).toBe(1);
    time.now += 1;
    upstream.state.fail = undefined;
    expect((await inspector.get(ID, SCOPE)).cache).toBe("MISS");
    expect(upstream.state.calls).toBe(2);
  });

  it("keeps at most 1,000 failures, forgetting the oldest first", async () => {
    const { upstream, inspector } = harness();
    upstream.state.fail = new AppError("not_found", "nope");
    const ids = Array.from({ length: 1_001 }, (_, index) => `0b6f3c1e-8a2d-4f57-9c1e-${index.toString(16).padStart(12, "0")}`);
    for (const id of ids.slice(0, 1_000)) await expect(inspector.get(id, SCOPE)).rejects.toMatchObject({ code: "not_found" });
    await expect(inspector.get(ids[0], SCOPE)).rejects.toMatchObject({ code: "not_found" });
    expect(upstream.state.calls).toBe(1_000);
    await expect(inspector.get(ids[1_000], SCOPE)).rejects.toMatchObject({ code: "not_found" });
    // The 1,001st failure pushed out the first: asking for it again reaches Nebuly.
    await expect(inspector.get(ids[0], SCOPE)).rejects.toMatchObject({ code: "not_found" });
    expect(upstream.state.calls).toBe(1_002);
    await expect(inspector.get(ids[2], SCOPE)).rejects.toMatchObject({ code: "not_found" });
    expect(upstream.state.calls).toBe(1_002);
  });

  it("forgets a failure once a fetch succeeds, so a later stale copy is not blamed on it", async () => {
    const { time, upstream, inspector } = harness();
    upstream.state.fail = new AppError("upstream_timeout", "slow");
    await expect(inspector.get(ID, SCOPE)).rejects.toMatchObject({ code: "upstream_timeout" });
    // Fetched in the same millisecond as the failure.
    upstream.state.fail = undefined;
    expect((await inspector.get(ID, { refresh: true, ...SCOPE })).cache).toBe("MISS");
    time.now += TTL;
    expect(await inspector.get(ID, SCOPE)).toMatchObject({ cache: "STALE", staleReason: "expired" });
  });
});

describe("stale copies after a failed refresh", () => {
  it("reports upstream_failed once a background refresh has failed", async () => {
    const { time, upstream, inspector } = harness();
    await inspector.get(ID, SCOPE);
    time.now += TTL;
    upstream.state.fail = new AppError("upstream_error", "Nebuly answered with an error (HTTP 500).");
    expect(await inspector.get(ID, SCOPE)).toMatchObject({ cache: "STALE", staleReason: "expired" });
    await tick();
    expect(await inspector.get(ID, SCOPE)).toMatchObject({
      cache: "STALE",
      staleReason: "upstream_failed",
      upstreamError: { code: "upstream_error" },
    });
    upstream.state.fail = undefined;
    await tick();
    await inspector.get(ID, SCOPE);
    await tick();
    expect((await inspector.get(ID, SCOPE)).cache).toBe("HIT");
  });
});

describe("several projects", () => {
  const A = { slug: "support", name: "Support bot" };
  const B = { slug: "sales", name: "Sales assistant" };
  const BOTH = { projects: [A, B] };
  const ONLY_A = { projects: [A] };
  const ONLY_B = { projects: [B] };

  /** A project's upstream: it has the ids it is given, and 404s the rest. */
  function projectClient(has: string[], projectId: string) {
    const state = { calls: 0, signals: [] as AbortSignal[], gate: undefined as Promise<void> | undefined, topic: "Billing" };
    const client: NebulyClient = {
      async getInteraction(id, options) {
        state.calls++;
        if (options?.signal) state.signals.push(options.signal);
        await state.gate;
        if (!has.includes(id)) throw new AppError("not_found", `Interaction ${id} was not found in Nebuly.`);
        const rawJson = JSON.stringify({ id, topic: state.topic, project_id: projectId, timestamp: "2026-11-20T10:00:00" });
        return { interaction: interactionSchema.parse(JSON.parse(rawJson)), rawJson };
      },
      async listInteractions() {
        throw new Error("not used");
      },
    };
    return { client, state };
  }

  function twoProjects(options: { aHas?: string[]; bHas?: string[] } = {}) {
    const time = { now: Date.parse("2026-11-26T10:00:00Z") };
    const repository = createInteractionRepository(openDatabase(":memory:"));
    const upstreams = { [A.slug]: projectClient(options.aHas ?? [], "nebuly-project-a"), [B.slug]: projectClient(options.bHas ?? [ID], "nebuly-project-b") };
    const inspector = createInteractionService({
      repository,
      clientFor: (slug) => upstreams[slug]?.client,
      ttlMs: TTL,
      now: () => time.now,
    });
    return { time, repository, a: upstreams[A.slug]!.state, b: upstreams[B.slug]!.state, inspector };
  }

  it("finds an unknown id in the project that has it, and records that project", async () => {
    const { repository, inspector } = twoProjects();
    const snapshot = await inspector.get(ID, BOTH);
    expect(snapshot).toMatchObject({ projectSlug: "sales", cache: "MISS", interaction: { project_id: "nebuly-project-b" } });
    expect(repository.find(ID)).toMatchObject({ projectSlug: "sales", projectId: "nebuly-project-b" });
    expect(inspector.holding(ID)).toEqual({ kind: "snapshot", projectSlug: "sales" });
  });

  it("answers not found only when every project says so", async () => {
    const { a, b, inspector } = twoProjects({ bHas: [] });
    await expect(inspector.get(ID, BOTH)).rejects.toMatchObject({ code: "not_found", status: 404 });
    expect([a.calls, b.calls]).toEqual([1, 1]);
  });

  it("does not serve another project's cached copy: it asks the viewer's own projects, and never the other key", async () => {
    const { a, b, inspector } = twoProjects();
    await inspector.get(ID, ONLY_B);
    expect(b.calls).toBe(1);
    await expect(inspector.get(ID, ONLY_A)).rejects.toMatchObject({ code: "not_found" });
    expect(a.calls).toBe(1);
    expect(b.calls).toBe(1);
    // The viewer of B still gets the cached copy.
    expect((await inspector.get(ID, ONLY_B)).cache).toBe("HIT");
  });

  it("never reaches a project out of scope, even for a fresh id", async () => {
    const { b, inspector } = twoProjects();
    await expect(inspector.get(ID, ONLY_A)).rejects.toMatchObject({ code: "not_found" });
    expect(b.calls).toBe(0);
  });

  it("makes one fan-out for 50 concurrent first requests of one id", async () => {
    const { a, b, inspector } = twoProjects();
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    a.gate = gate;
    b.gate = gate;
    const pending = Array.from({ length: 50 }, () => inspector.get(ID, BOTH));
    release();
    const results = await Promise.all(pending);
    expect([a.calls, b.calls]).toEqual([1, 1]);
    expect(results.every((result) => result.projectSlug === "sales")).toBe(true);
  });

  it("aborts the slower project's call once one has answered", async () => {
    const { a, b, inspector } = twoProjects();
    a.gate = new Promise(() => undefined);
    await inspector.get(ID, BOTH);
    expect(b.signals[0]!.aborted).toBe(false);
    expect(a.signals[0]!.aborted).toBe(true);
  });

  it("refreshes a cached copy with its own project's key only", async () => {
    const { a, b, inspector } = twoProjects();
    await inspector.get(ID, BOTH);
    expect([a.calls, b.calls]).toEqual([1, 1]);
    b.topic = "Refunds";
    const refreshed = await inspector.get(ID, { refresh: true, ...BOTH });
    expect(refreshed).toMatchObject({ cache: "MISS", projectSlug: "sales", interaction: { topic: "Refunds" } });
    expect([a.calls, b.calls]).toEqual([1, 2]);
  });

  it("hides another project's forget: the viewer of A gets not found, the viewer of B is told it was forgotten", async () => {
    const { a, inspector } = twoProjects();
    await inspector.get(ID, ONLY_B);
    inspector.forget(ID, "ana");
    expect(inspector.holding(ID)).toEqual({ kind: "forgotten", projectSlug: "sales" });
    await expect(inspector.get(ID, ONLY_B)).rejects.toMatchObject({ code: "interaction_forgotten", status: 410 });
    const forA = await inspector.get(ID, ONLY_A).catch((error: unknown) => error);
    expect(forA).toMatchObject({ code: "not_found", status: 404 });
    expect((forA as AppError).message).not.toMatch(/forgot/i);
    expect(a.calls).toBe(1);
  });

  it("does not let a viewer of A lift B's forget by fetching again", async () => {
    const { repository, b, inspector } = twoProjects();
    await inspector.get(ID, ONLY_B);
    inspector.forget(ID, null);
    await expect(inspector.fetchAgain(ID, ONLY_A)).rejects.toMatchObject({ code: "not_found" });
    expect(repository.forgotten(ID)).toMatchObject({ projectSlug: "sales" });
    expect(b.calls).toBe(1);
    await expect(inspector.get(ID, ONLY_B)).rejects.toMatchObject({ code: "interaction_forgotten" });
    // A viewer of B may.
    expect(await inspector.fetchAgain(ID, ONLY_B)).toMatchObject({ cache: "MISS", projectSlug: "sales" });
    expect(repository.forgotten(ID)).toBeUndefined();
  });

  it("keeps a forget of an id seen only in a project's list pages to that project's viewers", async () => {
    const { repository, inspector } = twoProjects();
    repository.saveList(`sales:{"q":1}`, JSON.stringify({ total: 1, offset: 0, limit: 25, data: [{ id: ID }] }), new Date());
    expect(inspector.holding(ID)).toEqual({ kind: "listed", projectSlug: "sales" });
    inspector.forget(ID, "bob");
    expect(repository.forgotten(ID)).toMatchObject({ projectSlug: "sales" });
    await expect(inspector.get(ID, ONLY_A)).rejects.toMatchObject({ code: "not_found" });
    await expect(inspector.fetchAgain(ID, ONLY_A)).rejects.toMatchObject({ code: "not_found" });
    expect(repository.forgotten(ID)).toBeDefined();
    await expect(inspector.get(ID, ONLY_B)).rejects.toMatchObject({ code: "interaction_forgotten" });
  });

  it("shows a forget of no known project only to a viewer of every project, and lets only such a viewer lift it", async () => {
    const { repository, inspector } = twoProjects();
    inspector.forget(ID, "bob");
    expect(repository.forgotten(ID)).toMatchObject({ projectSlug: null });
    await expect(inspector.get(ID, ONLY_A)).rejects.toMatchObject({ code: "not_found" });
    await expect(inspector.get(ID, { ...BOTH, everyProject: true })).rejects.toMatchObject({ code: "interaction_forgotten" });
    await expect(inspector.fetchAgain(ID, ONLY_A)).rejects.toMatchObject({ code: "not_found" });
    expect(repository.forgotten(ID)).toBeDefined();
    expect(await inspector.fetchAgain(ID, { ...BOTH, everyProject: true })).toMatchObject({ projectSlug: "sales" });
    expect(repository.forgotten(ID)).toBeUndefined();
  });

  it("does not answer a viewer of both projects with a 404 remembered for a viewer of one", async () => {
    const { inspector } = twoProjects();
    await expect(inspector.get(ID, ONLY_A)).rejects.toMatchObject({ code: "not_found" });
    expect(await inspector.get(ID, BOTH)).toMatchObject({ cache: "MISS", projectSlug: "sales" });
  });
});
