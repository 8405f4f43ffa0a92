import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { AppError } from "@/lib/errors";
import type { NebulyClient } from "@/lib/nebuly/client";
import { interactionSchema } from "@/lib/nebuly/schemas";
import { createInteractionRepository, type InteractionRepository } from "./repository";
import { createInteractionService } from "./service";
import { storeForEachTest } from "@/test/store-for-each-test";
import { testStores } from "@/test/stores";

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

/**
 * The repository, keeping count of its calls in progress: `idle()` waits until background work
 * (a refresh behind a STALE answer) has finished with the store.
 */
function tracked(repository: InteractionRepository) {
  const pending = new Set<Promise<unknown>>();
  const proxy = new Proxy(repository, {
    get(target, name, receiver) {
      const value: unknown = Reflect.get(target, name, receiver);
      if (typeof value !== "function") return value;
      return (...args: unknown[]) => {
        const call = (value as (...args: unknown[]) => Promise<unknown>).apply(target, args);
        pending.add(call);
        call.then(
          () => pending.delete(call),
          () => pending.delete(call),
        );
        return call;
      };
    },
  });
  async function idle() {
    do {
      await Promise.allSettled([...pending]);
      // A fetch that was waiting on upstream reaches the store a few ticks later.
      await new Promise((resolve) => setTimeout(resolve, 0));
    } while (pending.size > 0);
  }
  return { repository: proxy, idle };
}

describe.each(testStores())("on %s", (dialect) => {
  const store = storeForEachTest(dialect);
  let idle: () => Promise<void> = async () => undefined;
  afterEach(() => idle());

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
      ({ repository, idle } = tracked(createInteractionRepository(store())));
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

    it("gives the cached snapshot without asking Nebuly, even an expired one; undefined when none", async () => {
      const inspector = service();
      expect(await inspector.cachedSnapshot(ID)).toBeUndefined();
      await inspector.get(ID, SCOPE);
      clock += TTL * 10;
      expect(await inspector.cachedSnapshot(ID)).toMatchObject({ id: ID, projectSlug: "default", cache: "HIT", interaction: { topic: "Billing" } });
      expect(upstream.state.calls).toBe(1);
    });

    it("stores the filterable fields as columns", async () => {
      await service().get(ID, SCOPE);
      expect(await repository.find(ID)).toMatchObject({
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
      await idle();
      expect(upstream.state.calls).toBe(2);
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
      expect((await repository.find(ID))?.topic).toBe("Billing");
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
      await idle();
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
      const searchIds = async (text: string) => (await repository.search({ text, sort: "time", limit: 10, offset: 0 })).items.map((item) => item.id);
      const NOTHING_ELSE = { listPages: 0, revokedLinks: [], hadLinks: false };

      it("deletes the snapshot, its search entry and its Recently viewed place, and then answers without asking Nebuly", async () => {
        const inspector = service();
        await inspector.get(ID, SCOPE);
        await repository.recordView(ID, new Date(clock));
        expect((await repository.recentlyViewed(5)).map((item) => item.id)).toEqual([ID]);
        expect(await inspector.forget(ID, "ana")).toEqual({ snapshot: true, ...NOTHING_ELSE });
        expect(await repository.find(ID)).toBeUndefined();
        expect(await repository.recentlyViewed(5)).toEqual([]);
        expect(await repository.forgotten(ID)).toMatchObject({ forgottenBy: "ana", forgottenAt: new Date(clock), projectSlug: "default" });
        await expect(inspector.get(ID, SCOPE)).rejects.toMatchObject({ code: "interaction_forgotten", status: 410 });
        await expect(inspector.get(ID, { refresh: true, ...SCOPE })).rejects.toMatchObject({ code: "interaction_forgotten" });
        expect(upstream.state.calls).toBe(1);
      });

      it("removes the full-text documents, so a search no longer finds it", async () => {
        const rawJson = JSON.stringify({ id: ID, user_query: "zebracorn refund", timestamp: "2026-11-20T10:00:00" });
        await repository.save(ID, interactionSchema.parse(JSON.parse(rawJson)), rawJson, new Date(clock), "default");
        expect(await searchIds("zebracorn")).toEqual([ID]);
        expect(await searchIds("bracor")).toEqual([ID]);
        expect(await service().forget(ID, null)).toEqual({ snapshot: true, ...NOTHING_ELSE });
        expect(await searchIds("zebracorn")).toEqual([]);
        expect(await searchIds("bracor")).toEqual([]);
      });

      it("deletes cached list pages that list it, and only those", async () => {
        await repository.saveList("with", JSON.stringify({ data: [{ id: ID.toUpperCase() }] }), new Date(clock));
        await repository.saveList("without", JSON.stringify({ data: [{ id: "0b6f3c1e-8a2d-4f57-9c1e-2d7a4b9e6f02" }] }), new Date(clock));
        expect(await service().forget(ID, null)).toEqual({ ...NOTHING_ELSE, snapshot: false, listPages: 1 });
        expect(await repository.findList("with")).toBeUndefined();
        expect(await repository.findList("without")).toBeDefined();
      });

      it("changes nothing about an id stored nowhere: no mark, and null", async () => {
        const inspector = service();
        expect(await inspector.holding(ID)).toEqual({ kind: "none" });
        expect(await inspector.forget(ID, "ana")).toBeNull();
        expect(await repository.forgotten(ID)).toBeUndefined();
        expect(await inspector.holding(ID)).toEqual({ kind: "none" });
        // Nothing stands in the way of a first fetch.
        expect((await inspector.get(ID, SCOPE)).cache).toBe("MISS");
      });

      it("forgets again an id forgotten before, keeping it forgotten", async () => {
        const inspector = service();
        await inspector.get(ID, SCOPE);
        await inspector.forget(ID, "ana");
        clock += 1_000;
        expect(await inspector.forget(ID, "bob")).toEqual({ snapshot: false, ...NOTHING_ELSE });
        expect(await repository.forgotten(ID)).toMatchObject({ forgottenBy: "bob", forgottenAt: new Date(clock), projectSlug: "default" });
      });

      it("is not undone by a fetch that started before it: the fetch stores nothing and says the interaction was forgotten", async () => {
        // Seen in a cached list page, then opened: its first fetch is still waiting for Nebuly when it is forgotten.
        await repository.saveList(`default:{"q":1}`, JSON.stringify({ data: [{ id: ID }] }), new Date(clock));
        let release!: () => void;
        upstream.state.gate = new Promise((resolve) => (release = resolve));
        const inspector = service();
        const inFlight = inspector.get(ID, SCOPE);
        await vi.waitFor(() => expect(upstream.state.calls).toBe(1));
        expect(await inspector.forget(ID, "ana")).toEqual({ ...NOTHING_ELSE, snapshot: false, listPages: 1 });
        release();
        await expect(inFlight).rejects.toMatchObject({ code: "interaction_forgotten" });
        expect(await repository.find(ID)).toBeUndefined();
      });

      it("is not undone by a background refresh that started before it", async () => {
        const inspector = service();
        await inspector.get(ID, SCOPE);
        clock += TTL;
        let release!: () => void;
        upstream.state.gate = new Promise((resolve) => (release = resolve));
        expect((await inspector.get(ID, SCOPE)).cache).toBe("STALE");
        await vi.waitFor(() => expect(upstream.state.calls).toBe(2));
        await inspector.forget(ID, null);
        release();
        await idle();
        expect(await repository.find(ID)).toBeUndefined();
        expect(background.map((error) => error.code)).toEqual(["interaction_forgotten"]);
      });

      it("fetches again only when asked explicitly, and then caches as before", async () => {
        const inspector = service();
        await inspector.get(ID, SCOPE);
        await inspector.forget(ID, null);
        upstream.state.topic = "Refunds";
        const again = await inspector.fetchAgain(ID, SCOPE);
        expect(again).toMatchObject({ cache: "MISS", interaction: { topic: "Refunds" } });
        expect(upstream.state.calls).toBe(2);
        expect(await repository.forgotten(ID)).toBeUndefined();
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

  /** A service over an empty store, with a clock the test moves by hand. */
  function harness(options: { failureMemoMs?: number } = {}) {
    const time = { now: 0 };
    const upstream = fakeClient();
    const { repository, idle: settled } = tracked(createInteractionRepository(store()));
    idle = settled;
    const inspector = createInteractionService({
      repository,
      clientFor: (slug) => (slug === "default" ? upstream.client : undefined),
      ttlMs: TTL,
      now: () => time.now,
      ...options,
    });
    return { time, upstream, inspector };
  }

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

    // The memo is the service's own memory: a thousand lookups on the second store would only cost seconds.
    it.runIf(dialect === "sqlite")("keeps at most 1,000 failures, forgetting the oldest first", async () => {
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
    }, 20_000);

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
      await idle();
      expect(await inspector.get(ID, SCOPE)).toMatchObject({
        cache: "STALE",
        staleReason: "upstream_failed",
        upstreamError: { code: "upstream_error" },
      });
      upstream.state.fail = undefined;
      await idle();
      expect(upstream.state.calls).toBe(3);
      expect((await inspector.get(ID, SCOPE)).cache).toBe("STALE");
      await idle();
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
      const { repository, idle: settled } = tracked(createInteractionRepository(store()));
      idle = settled;
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
      expect(await repository.find(ID)).toMatchObject({ projectSlug: "sales", projectId: "nebuly-project-b" });
      expect(await inspector.holding(ID)).toEqual({ kind: "snapshot", projectSlug: "sales" });
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
      await inspector.forget(ID, "ana");
      expect(await inspector.holding(ID)).toEqual({ kind: "forgotten", projectSlug: "sales" });
      await expect(inspector.get(ID, ONLY_B)).rejects.toMatchObject({ code: "interaction_forgotten", status: 410 });
      const forA = await inspector.get(ID, ONLY_A).catch((error: unknown) => error);
      expect(forA).toMatchObject({ code: "not_found", status: 404 });
      expect((forA as AppError).message).not.toMatch(/forgot/i);
      expect(a.calls).toBe(1);
    });

    it("does not let a viewer of A lift B's forget by fetching again", async () => {
      const { repository, b, inspector } = twoProjects();
      await inspector.get(ID, ONLY_B);
      await inspector.forget(ID, null);
      await expect(inspector.fetchAgain(ID, ONLY_A)).rejects.toMatchObject({ code: "not_found" });
      expect(await repository.forgotten(ID)).toMatchObject({ projectSlug: "sales" });
      expect(b.calls).toBe(1);
      await expect(inspector.get(ID, ONLY_B)).rejects.toMatchObject({ code: "interaction_forgotten" });
      // A viewer of B may.
      expect(await inspector.fetchAgain(ID, ONLY_B)).toMatchObject({ cache: "MISS", projectSlug: "sales" });
      expect(await repository.forgotten(ID)).toBeUndefined();
    });

    it("keeps a forget of an id seen only in a project's list pages to that project's viewers", async () => {
      const { repository, inspector } = twoProjects();
      await repository.saveList(`sales:{"q":1}`, JSON.stringify({ total: 1, offset: 0, limit: 25, data: [{ id: ID }] }), new Date());
      expect(await inspector.holding(ID)).toEqual({ kind: "listed", projectSlug: "sales" });
      expect(await inspector.forget(ID, "bob")).toMatchObject({ snapshot: false, listPages: 1 });
      expect(await repository.forgotten(ID)).toMatchObject({ projectSlug: "sales" });
      await expect(inspector.get(ID, ONLY_A)).rejects.toMatchObject({ code: "not_found" });
      await expect(inspector.fetchAgain(ID, ONLY_A)).rejects.toMatchObject({ code: "not_found" });
      expect(await repository.forgotten(ID)).toBeDefined();
      await expect(inspector.get(ID, ONLY_B)).rejects.toMatchObject({ code: "interaction_forgotten" });
    });

    it("shows a forget of no known project only to a viewer of every project, and lets only such a viewer lift it", async () => {
      const { repository, inspector } = twoProjects();
      // A list page cached before projects existed: its key names no project.
      await repository.saveList(`{"q":1}`, JSON.stringify({ total: 1, offset: 0, limit: 25, data: [{ id: ID }] }), new Date());
      expect(await inspector.holding(ID)).toEqual({ kind: "none" });
      expect(await inspector.forget(ID, "bob")).toMatchObject({ snapshot: false, listPages: 1 });
      expect(await repository.forgotten(ID)).toMatchObject({ projectSlug: null });
      await expect(inspector.get(ID, ONLY_A)).rejects.toMatchObject({ code: "not_found" });
      await expect(inspector.get(ID, { ...BOTH, everyProject: true })).rejects.toMatchObject({ code: "interaction_forgotten" });
      await expect(inspector.fetchAgain(ID, ONLY_A)).rejects.toMatchObject({ code: "not_found" });
      expect(await repository.forgotten(ID)).toBeDefined();
      expect(await inspector.fetchAgain(ID, { ...BOTH, everyProject: true })).toMatchObject({ projectSlug: "sales" });
      expect(await repository.forgotten(ID)).toBeUndefined();
    });

    it("does not answer a viewer of both projects with a 404 remembered for a viewer of one", async () => {
      const { inspector } = twoProjects();
      await expect(inspector.get(ID, ONLY_A)).rejects.toMatchObject({ code: "not_found" });
      expect(await inspector.get(ID, BOTH)).toMatchObject({ cache: "MISS", projectSlug: "sales" });
    });
  });

});
