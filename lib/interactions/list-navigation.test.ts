import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import type { NebulyClient } from "@/lib/nebuly/client";
import { interactionSchema } from "@/lib/nebuly/schemas";
import { storeForEachTest } from "@/test/store-for-each-test";
import { testStores } from "@/test/stores";
import { createBrowseService } from "./browse";
import { parseBrowseQuery, type BrowseQuery } from "./browse-query";
import { CACHED_PAGE_SIZE, parseListContext, serialiseListContext, type CachedListSearch, type ListContext } from "./list-context";
import { navigateList, type ListNavigation, type ListReaders } from "./list-navigation";
import { createInteractionRepository, type InteractionRepository } from "./repository";

const NOW = Date.parse("2026-11-26T10:00:00Z");
const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`;
const ONE_PROJECT = { slug: "default", name: "Default project" };
const HIDDEN = "secret";

/** The position and neighbours' positions a navigation links to, as the page shows them. */
function summary(navigation: ListNavigation) {
  if (navigation.state !== "ok") return navigation.state;
  const at = (href: string | null) => (href ? `${href.slice("/interactions/".length, "/interactions/".length + 36)}@${new URL(href, "http://x").searchParams.get("at")}` : null);
  return { position: navigation.position, total: navigation.total, previous: at(navigation.previous), next: at(navigation.next) };
}

describe.each(testStores())("on %s", (dialect) => {
  const store = storeForEachTest(dialect);

  /** Nebuly's list of `rows` ids, newest first, counting every call. */
  function upstream(rows: string[]) {
    const state = { calls: 0, fail: false };
    const client: NebulyClient = {
      getInteraction: () => Promise.reject(new Error("unused")),
      listInteractions: async (request) => {
        state.calls++;
        if (state.fail) throw new AppError("upstream_error", "Nebuly is unavailable.");
        return { total: rows.length, offset: request.offset, limit: request.limit, data: rows.slice(request.offset, request.offset + request.limit).map((row) => ({ id: row })) };
      },
    };
    return { client, state };
  }

  /**
   * Readers as lib/interactions/index.ts builds them, over the real browse service and the real
   * cached search, for a viewer who sees only the "default" project.
   */
  function readers(repository: InteractionRepository, client: NebulyClient): ListReaders {
    const browse = createBrowseService({ repository, clientFor: (slug) => (slug === "default" ? client : undefined), now: () => NOW });
    return {
      async browse(query: BrowseQuery, offset: number) {
        const { page } = await browse.browse({ ...query, offset }, [ONE_PROJECT]);
        return { ids: page.data.map((item) => item.id), total: page.total, totalIsLimit: false, last: offset + query.limit >= page.total };
      },
      async cached(search: CachedListSearch, offset: number) {
        const result = await repository.search({ text: search.q, topic: search.topic, sort: "time", limit: CACHED_PAGE_SIZE, offset, projects: ["default"] });
        return { ids: result.items.map((item) => item.id), total: result.count, totalIsLimit: result.countIsLimit, last: !result.hasMore };
      },
      async visible(ids) {
        const found = await repository.search({ sort: "time", limit: 100, offset: 0, projects: ["default"] });
        return new Set(found.items.map((item) => item.id).filter((candidate) => ids.includes(candidate)));
      },
    };
  }

  async function cache(repository: InteractionRepository, n: number, fields: Record<string, unknown>, project = "default") {
    const body = { id: id(n), timestamp: new Date(NOW - n * 60_000).toISOString(), ...fields };
    await repository.save(id(n), interactionSchema.parse(body), JSON.stringify(body), new Date(NOW), project);
  }

  describe("a browse list", () => {
    const rows = Array.from({ length: 7 }, (_, n) => id(n + 1));
    const query = parseBrowseQuery(new URLSearchParams("range=7d&limit=3"), new Date(NOW));
    const context: ListContext = { kind: "browse", query };

    it("gives the position, the total and both neighbours within a page", async () => {
      const { client } = upstream(rows);
      const navigation = await navigateList(context, 2, id(2), readers(createInteractionRepository(store()), client));
      expect(summary(navigation)).toEqual({ position: 2, total: 7, previous: `${id(1)}@1`, next: `${id(3)}@3` });
      expect(navigation.state === "ok" && navigation.listName).toBe("Browse");
    });

    it("crosses into the next and previous page, reading each Nebuly page once (the list cache answers again)", async () => {
      const { client, state } = upstream(rows);
      const read = readers(createInteractionRepository(store()), client);
      expect(summary(await navigateList(context, 3, id(3), read))).toEqual({ position: 3, total: 7, previous: `${id(2)}@2`, next: `${id(4)}@4` });
      expect(state.calls).toBe(2);
      expect(summary(await navigateList(context, 4, id(4), read))).toEqual({ position: 4, total: 7, previous: `${id(3)}@3`, next: `${id(5)}@5` });
      expect(state.calls).toBe(2);
    });

    it("says where the list starts and ends", async () => {
      const { client } = upstream(rows);
      const read = readers(createInteractionRepository(store()), client);
      expect(summary(await navigateList(context, 1, id(1), read))).toMatchObject({ position: 1, previous: null, next: `${id(2)}@2` });
      expect(summary(await navigateList(context, 7, id(7), read))).toMatchObject({ position: 7, previous: `${id(6)}@6`, next: null });
    });

    it("follows an id that moved within its page, and says when the list no longer has it there", async () => {
      const { client } = upstream(rows);
      const read = readers(createInteractionRepository(store()), client);
      expect(summary(await navigateList(context, 1, id(3), read))).toMatchObject({ position: 3 });
      expect(await navigateList(context, 1, id(99), read)).toMatchObject({ state: "not_in_list" });
      expect(await navigateList(context, 999_999, id(1), read)).toMatchObject({ state: "not_in_list" });
    });

    it("says the list is unavailable when Nebuly fails and nothing is cached, instead of failing the page", async () => {
      const { client, state } = upstream(rows);
      state.fail = true;
      expect(await navigateList(context, 2, id(2), readers(createInteractionRepository(store()), client))).toMatchObject({ state: "unavailable", message: "Nebuly is unavailable." });
    });

    it("round-trips through the address a link carries", async () => {
      const { client } = upstream(rows);
      const navigation = await navigateList(context, 2, id(2), readers(createInteractionRepository(store()), client));
      if (navigation.state !== "ok") throw new Error(navigation.state);
      const next = new URL(navigation.next!, "http://x");
      expect(parseListContext(next.searchParams.get("list"))).toMatchObject({ kind: "browse", query: { from: query.from, to: query.to, limit: 3 } });
      expect(navigation.listHref).toBe(`/interactions?from=${encodeURIComponent(query.from.toISOString())}&to=${encodeURIComponent(query.to.toISOString())}&limit=3`);
    });
  });

  describe("a cached search", () => {
    it("pages in the /cached page's size and never counts or links a hidden project's row", async () => {
      const repository = createInteractionRepository(store());
      for (let n = 1; n <= 30; n++) await cache(repository, n, { output: `refund number ${n}` });
      await cache(repository, 100, { output: "refund in a hidden project" }, HIDDEN);
      const read = readers(repository, upstream([]).client);
      const context: ListContext = { kind: "cached", search: { q: "refund" } };
      expect(summary(await navigateList(context, 25, id(25), read))).toEqual({ position: 25, total: 30, previous: `${id(24)}@24`, next: `${id(26)}@26` });
      expect(summary(await navigateList(context, 26, id(26), read))).toEqual({ position: 26, total: 30, previous: `${id(25)}@25`, next: `${id(27)}@27` });
      expect(summary(await navigateList(context, 30, id(30), read))).toMatchObject({ next: null });
      expect(await navigateList(context, 1, id(100), read)).toMatchObject({ state: "not_in_list" });
      const second = await navigateList(context, 26, id(26), read);
      expect(second.state === "ok" && second.listHref).toBe("/cached?q=refund&page=2");
    });
  });

  describe("a batch (Recently viewed)", () => {
    it("moves through the ids the viewer may see, skipping hidden and uncached ones", async () => {
      const repository = createInteractionRepository(store());
      await cache(repository, 1, { output: "a" });
      await cache(repository, 2, { output: "b" }, HIDDEN);
      await cache(repository, 3, { output: "c" });
      const read = readers(repository, upstream([]).client);
      const context: ListContext = { kind: "batch", source: "recent", ids: [id(1), id(2), id(4), id(3)] };
      expect(summary(await navigateList(context, 1, id(1), read))).toEqual({ position: 1, total: 2, previous: null, next: `${id(3)}@2` });
      expect(summary(await navigateList(context, null, id(3), read))).toEqual({ position: 2, total: 2, previous: `${id(1)}@1`, next: null });
      expect(await navigateList(context, 2, id(2), read)).toMatchObject({ state: "not_in_list", listHref: "/" });
      const navigation = await navigateList(context, 1, id(1), read);
      expect(navigation.state === "ok" && new URL(navigation.next!, "http://x").searchParams.get("list")).toBe(serialiseListContext(context));
    });
  });
});
