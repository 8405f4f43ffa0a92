import { toAppError } from "@/lib/errors";
import type { NebulyClient } from "@/lib/nebuly/client";
import { listResponseSchema, type ListResponse } from "@/lib/nebuly/schemas";
import { browseCacheKey, toListRequest, type BrowseQuery } from "./browse-query";
import type { InteractionRepository } from "./repository";
import type { CacheStatus } from "./service";
import { SingleFlight } from "./single-flight";

/** Nebuly list pages are kept this long: enough for paging back and reloads, short enough to stay current. */
export const LIST_CACHE_TTL_MS = 60_000;

export interface BrowsePage {
  page: ListResponse;
  cache: CacheStatus;
  fetchedAt: Date;
  upstreamError?: { code: string; message: string };
}

export interface BrowseService {
  browse(query: BrowseQuery): Promise<BrowsePage>;
}

export function createBrowseService(deps: { repository: InteractionRepository; client: NebulyClient; now?: () => number }): BrowseService {
  const now = deps.now ?? Date.now;
  const flights = new SingleFlight<{ page: ListResponse; fetchedAt: Date }>();

  return {
    async browse(query) {
      const key = browseCacheKey(query);
      const cached = deps.repository.findList(key);
      const cachedPage = cached ? { page: listResponseSchema.parse(JSON.parse(cached.responseJson)), fetchedAt: cached.fetchedAt } : undefined;
      if (cachedPage && now() - cachedPage.fetchedAt.getTime() < LIST_CACHE_TTL_MS) return { ...cachedPage, cache: "HIT" };
      try {
        const fresh = await flights.run(key, async () => {
          const page = await deps.client.listInteractions(toListRequest(query));
          const fetchedAt = new Date(now());
          deps.repository.saveList(key, JSON.stringify(page), fetchedAt);
          return { page, fetchedAt };
        });
        return { ...fresh, cache: "MISS" };
      } catch (error) {
        if (!cachedPage) throw error;
        const appError = toAppError(error);
        return { ...cachedPage, cache: "STALE", upstreamError: { code: appError.code, message: appError.message } };
      }
    },
  };
}
