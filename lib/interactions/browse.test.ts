import { describe, expect, it } from "vitest";
import { openDatabase } from "@/db/client";
import { AppError } from "@/lib/errors";
import type { NebulyClient } from "@/lib/nebuly/client";
import { createBrowseService, LIST_CACHE_TTL_MS } from "./browse";
import { parseBrowseQuery } from "./browse-query";
import { createInteractionRepository } from "./repository";

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
    const service = createBrowseService({ repository: createInteractionRepository(openDatabase(":memory:")), client, now: () => clock });
    const query = parseBrowseQuery(new URLSearchParams("range=7d&user=a"), new Date(clock));

    expect((await service.browse(query)).cache).toBe("MISS");
    expect((await service.browse(query)).cache).toBe("HIT");
    clock += LIST_CACHE_TTL_MS;
    const refreshed = await service.browse(query);
    expect([refreshed.cache, refreshed.page.data[0].id]).toEqual(["MISS", "call-2"]);
    clock += LIST_CACHE_TTL_MS;
    fail = true;
    const stale = await service.browse(query);
    expect([stale.cache, stale.page.data[0].id, stale.upstreamError?.code]).toEqual(["STALE", "call-2", "upstream_error"]);
  });
});
