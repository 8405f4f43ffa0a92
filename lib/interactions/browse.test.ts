import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import type { NebulyClient } from "@/lib/nebuly/client";
import { createBrowseService, LIST_CACHE_TTL_MS } from "./browse";
import { browseCacheKey, parseBrowseQuery } from "./browse-query";
import { createInteractionRepository } from "./repository";
import { storeForEachTest } from "@/test/store-for-each-test";
import { testStores } from "@/test/stores";

const ONE_PROJECT = [{ slug: "default", name: "Default project" }];

describe.each(testStores())("on %s", (dialect) => {
  const store = storeForEachTest(dialect);

  describe("browse service", () => {
    it("caches a list page for 60 s, then refetches, and serves the old page if Nebuly fails", async () => {
      let clock = Date.parse("2026-11-26T10:00:00Z");
      let calls = 0;
      let fail = false;
      const client: NebulyClient = {
        getInteraction: () => Promise.reject(new Error("unused")),
        listInteractions: async (request) => {
          calls++;
          if (fail) throw new AppError("upstream_error", "down");
          return { total: 1, offset: request.offset, limit: request.limit, data: [{ id: `call-${calls}` }] };
        },
      };
      const service = createBrowseService({ repository: createInteractionRepository(store()), clientFor: (slug) => (slug === "default" ? client : undefined), now: () => clock });
      const query = parseBrowseQuery(new URLSearchParams("range=7d&user=a"), new Date(clock));

      expect((await service.browse(query, ONE_PROJECT)).cache).toBe("MISS");
      expect((await service.browse(query, ONE_PROJECT)).cache).toBe("HIT");
      clock += LIST_CACHE_TTL_MS;
      const refreshed = await service.browse(query, ONE_PROJECT);
      expect([refreshed.cache, refreshed.page.data[0].id]).toEqual(["MISS", "call-2"]);
      clock += LIST_CACHE_TTL_MS;
      fail = true;
      const stale = await service.browse(query, ONE_PROJECT);
      expect([stale.cache, stale.page.data[0].id, stale.upstreamError?.code]).toEqual(["STALE", "call-2", "upstream_error"]);
    });
  });

  describe("browsing several projects", () => {
    const A = { slug: "support", name: "Support bot" };
    const B = { slug: "sales", name: "Sales assistant" };
    const NOW = Date.parse("2026-11-26T10:00:00Z");
    const MINUTE = 60_000;

    /** A project's upstream list: its rows newest first, paged as Nebuly pages them. */
    function listClient(rows: { id: string; timestamp: string }[]) {
      const state = { calls: 0, fail: undefined as AppError | undefined };
      const client: NebulyClient = {
        getInteraction: () => Promise.reject(new Error("unused")),
        listInteractions: async (request) => {
          state.calls++;
          if (state.fail) throw state.fail;
          return { total: rows.length, offset: request.offset, limit: request.limit, data: rows.slice(request.offset, request.offset + request.limit) };
        },
      };
      return { client, state };
    }

    /** `count` rows of `prefix`, newest first, the first `startMinutes` before NOW and then every `stepMinutes`. */
    const rowsOf = (prefix: string, count: number, startMinutes: number, stepMinutes: number) =>
      Array.from({ length: count }, (_, index) => ({ id: `${prefix}-${index}`, timestamp: new Date(NOW - (startMinutes + index * stepMinutes) * MINUTE).toISOString() }));

    function setup(aRows: { id: string; timestamp: string }[], bRows: { id: string; timestamp: string }[]) {
      const upstreams: Record<string, ReturnType<typeof listClient>> = { [A.slug]: listClient(aRows), [B.slug]: listClient(bRows) };
      const repository = createInteractionRepository(store());
      const service = createBrowseService({ repository, clientFor: (slug) => upstreams[slug]?.client, now: () => NOW });
      const query = (params = "") => parseBrowseQuery(new URLSearchParams(`range=7d&${params}`), new Date(NOW));
      return { service, query, a: upstreams[A.slug]!.state, b: upstreams[B.slug]!.state, repository };
    }

    it("merges two projects newest first and says which project each row is from", async () => {
      const { service, query } = setup(rowsOf("a", 2, 0, 20), rowsOf("b", 2, 10, 20));
      const result = await service.browse(query(), [A, B]);
      expect(result.page.data.map((item) => item.id)).toEqual(["a-0", "b-0", "a-1", "b-1"]);
      expect(result.page.total).toBe(4);
      expect(result.projectOf).toEqual({ "a-0": "support", "b-0": "sales", "a-1": "support", "b-1": "sales" });
      expect(result.failedProjects).toEqual([]);
    });

    it("shows the right rows on page 2 of a merged list", async () => {
      // Interleaved unevenly: A every 3 minutes, B every 2, so pages cut across both.
      const aRows = rowsOf("a", 40, 1, 3);
      const bRows = rowsOf("b", 40, 0, 2);
      const { service, query } = setup(aRows, bRows);
      const expected = [...aRows, ...bRows].sort((x, y) => Date.parse(y.timestamp) - Date.parse(x.timestamp)).map((row) => row.id);
      const page2 = await service.browse(query("limit=25&offset=25"), [A, B]);
      expect(page2.page.data.map((item) => item.id)).toEqual(expected.slice(25, 50));
      expect(page2.page).toMatchObject({ total: 80, offset: 25, limit: 25 });
      const page4 = await service.browse(query("limit=25&offset=75"), [A, B]);
      expect(page4.page.data.map((item) => item.id)).toEqual(expected.slice(75, 80));
    });

    it("reads each project past its first upstream page when a merged page needs it", async () => {
      const aRows = rowsOf("a", 150, 0, 1);
      const bRows = rowsOf("b", 5, 1_000, 1);
      const { service, query } = setup(aRows, bRows);
      const result = await service.browse(query("limit=25&offset=100"), [A, B]);
      expect(result.page.data.map((item) => item.id)).toEqual(aRows.slice(100, 125).map((row) => row.id));
    });

    it("refuses a merged page past the first 1,000 rows with a clear message, but pages one project further", async () => {
      const { service, query, a, b } = setup(rowsOf("a", 5, 0, 1), rowsOf("b", 5, 0, 1));
      const error = await service.browse(query("limit=25&offset=980"), [A, B]).catch((caught: unknown) => caught);
      expect(error).toMatchObject({ code: "invalid_query", status: 400 });
      expect((error as AppError).message).toMatch(/first 1,000 interactions.*Pick one project/);
      expect([a.calls, b.calls]).toEqual([0, 0]);
      expect(await service.browse(query("limit=25&offset=975"), [A, B])).toMatchObject({ page: { offset: 975 } });
      expect((await service.browse(query("limit=25&offset=980"), [A])).page.offset).toBe(980);
    });

    it("shows the projects that answered and names the one that failed", async () => {
      const { service, query, b } = setup(rowsOf("a", 2, 0, 1), rowsOf("b", 2, 0, 1));
      b.fail = new AppError("upstream_auth_failed", "Nebuly refused the API key (HTTP 401).");
      const result = await service.browse(query(), [A, B]);
      expect(result.page.data.map((item) => item.id)).toEqual(["a-0", "a-1"]);
      expect(result.failedProjects).toEqual([{ slug: "sales", name: "Sales assistant", message: "Nebuly refused the API key (HTTP 401)." }]);
    });

    it("fails as a whole when every project fails", async () => {
      const { service, query, a, b } = setup([], []);
      a.fail = new AppError("upstream_timeout", "slow");
      b.fail = new AppError("upstream_timeout", "slow");
      await expect(service.browse(query(), [A, B])).rejects.toMatchObject({ code: "upstream_timeout" });
    });

    it("caches the same query separately per project, then answers each from its own cache", async () => {
      const { service, query, a, b, repository } = setup(rowsOf("a", 1, 0, 1), rowsOf("b", 1, 0, 1));
      const forA = await service.browse(query(), [A]);
      const forB = await service.browse(query(), [B]);
      expect([forA.cache, forB.cache]).toEqual(["MISS", "MISS"]);
      expect([forA.page.data[0]!.id, forB.page.data[0]!.id]).toEqual(["a-0", "b-0"]);
      expect([a.calls, b.calls]).toEqual([1, 1]);
      // Each in the store under its project's key.
      const cachedPage = async (slug: string) => {
        const row = await repository.findList(`${slug}:${browseCacheKey(query())}`);
        return row && (JSON.parse(row.responseJson) as { data: { id: string }[] }).data.map((item) => item.id);
      };
      expect([await cachedPage(A.slug), await cachedPage(B.slug)]).toEqual([["a-0"], ["b-0"]]);
      const again = [await service.browse(query(), [A]), await service.browse(query(), [B])];
      expect(again.map((result) => [result.cache, result.page.data[0]!.id])).toEqual([
        ["HIT", "a-0"],
        ["HIT", "b-0"],
      ]);
      expect([a.calls, b.calls]).toEqual([1, 1]);
    });

    it("refuses a browse with no project at all", async () => {
      const { service, query } = setup([], []);
      await expect(service.browse(query(), [])).rejects.toMatchObject({ code: "invalid_query" });
    });
  });
});
