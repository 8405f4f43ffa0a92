import "server-only";
import { getDb } from "@/db/client";
import { createDemoFetch } from "@/lib/demo/upstream";
import { env, isDemoMode } from "@/lib/env";
import { toAppError, type AppError } from "@/lib/errors";
import { logger } from "@/lib/logger";
import { createNebulyClient, type NebulyClient } from "@/lib/nebuly/client";
import { observeFetch, observeNebulyClient } from "@/lib/nebuly/observed";
import { metrics } from "@/lib/ops/metrics";
import { claimCacheResult } from "@/lib/ops/request-context";
import { createBrowseService, type BrowseService } from "./browse";
import { createBrowseCache, type BrowseCache } from "./browse-cache";
import { createInteractionRepository, type CachedSearchQuery, type InteractionRepository } from "./repository";
import { createInteractionService, type InteractionService } from "./service";

export { parseInteractionId } from "./interaction-id";
export type { InteractionSnapshot } from "./service";
export type { CachedListItem, CachedSearchQuery } from "./repository";
export type { SnippetPart } from "./search-snippet";
export type { BrowsePage } from "./browse";
import { parseInteractionId } from "./interaction-id";
import type { InteractionSnapshot } from "./service";

const DEMO_API_KEY = "demo";

const holder = globalThis as typeof globalThis & {
  __inspectorServices?: {
    interactions: InteractionService;
    browse: BrowseService;
    browseCache: BrowseCache;
    repository: InteractionRepository;
    nebuly: NebulyClient;
  };
};

function services() {
  if (!holder.__inspectorServices) {
    const config = env();
    const demo = isDemoMode();
    const observed = metrics();
    // Metrics see each call's outcome and duration and each HTTP attempt's result; never its URL or headers.
    const nebuly = observeNebulyClient(
      createNebulyClient({
        baseUrl: demo ? "http://demo.invalid" : config.NEBULY_API_URL,
        apiKey: config.NEBULY_API_KEY ?? DEMO_API_KEY,
        timeoutMs: config.UPSTREAM_TIMEOUT_MS,
        fetch: observeFetch(demo ? createDemoFetch() : fetch, (result) => observed.upstreamAttempts.inc({ result })),
      }),
      ({ operation, outcome, durationMs }) => {
        observed.upstreamCalls.inc({ operation, outcome });
        observed.upstreamDuration.observe({ operation, outcome }, durationMs / 1_000);
      },
    );
    const repository = createInteractionRepository(getDb());
    const browseCache = createBrowseCache(getDb());
    const interactions = createInteractionService({
      repository,
      client: nebuly,
      ttlMs: config.CACHE_TTL_SECONDS * 1_000,
      onBackgroundError: (id, error) => {
        // Forgotten while the refresh was on its way: storing nothing is the point, not a failure.
        if (error.code !== "interaction_forgotten") logger().warn({ interactionId: id, code: error.code, msg: error.message }, "background refresh failed");
      },
      // Once per request: a page looks its interaction up twice (for its status, then to render).
      onCacheResult: (result) => {
        if (claimCacheResult(result)) observed.cacheResults.inc({ result: result.toLowerCase() });
      },
      onFlightJoin: () => observed.singleFlightJoins.inc(),
    });
    // One instance per process, shared by every route bundle, so single-flight really is single.
    holder.__inspectorServices = { interactions, browse: createBrowseService({ repository, client: nebuly }), browseCache, repository, nebuly };
  }
  return holder.__inspectorServices;
}

export function interactionService(): InteractionService {
  return services().interactions;
}

export function browseService(): BrowseService {
  return services().browse;
}

/** Reads of the local cache: they work while Nebuly is down. */
export const cachedInteractions = {
  recordView: (id: string) => services().repository.recordView(id, new Date()),
  recentlyViewed: (limit = 10) => services().repository.recentlyViewed(limit),
  search: (query: CachedSearchQuery) => services().repository.search(query),
  facets: () => services().repository.facets(),
  /** Users, intents, problem types and tags of recent cached interactions: Browse's suggestions. */
  browseSuggestions: () => services().browseCache.suggestions(),
  /** Title and badge fields of those of `ids` that are cached, in one query. */
  summaries: (ids: readonly string[]) => services().browseCache.summaries(ids),
};

/** When and by whom an interaction was forgotten here; undefined when it was not. */
export function forgottenInteraction(id: string): { forgottenAt: Date; forgottenBy: string | null } | undefined {
  return services().repository.forgotten(id);
}

/**
 * Of several ids pasted together (say a project id and an interaction id), the one to open without
 * asking: the only one cached here, since a project id never is. Null when that does not settle it.
 */
export function cachedChoice(ids: readonly string[]): string | null {
  const summaries = cachedInteractions.summaries(ids);
  const cached = ids.filter((id) => summaries.has(id));
  return cached.length === 1 ? cached[0]! : null;
}

export type InteractionOutcome =
  | { kind: "invalid_id"; rawId: string }
  | { kind: "error"; id: string; error: AppError }
  | { kind: "ok"; snapshot: InteractionSnapshot };

/** What a page needs to know about an id from the URL: invalid, failed (with why), or the snapshot. */
export async function loadInteraction(rawId: string, options: { refresh?: boolean } = {}): Promise<InteractionOutcome> {
  let id: string;
  try {
    id = parseInteractionId(decodeURIComponent(rawId));
  } catch {
    return { kind: "invalid_id", rawId };
  }
  try {
    return { kind: "ok", snapshot: await interactionService().get(id, options) };
  } catch (error) {
    const appError = toAppError(error);
    if (appError.code === "internal_error") logger().error({ err: error, interactionId: id }, "loading interaction failed");
    return { kind: "error", id, error: appError };
  }
}

/**
 * The explicit way back after a forget ("Fetch again from Nebuly"): lifts the forgotten mark and
 * fetches from Nebuly now. Never called by a page load, only by the person's own action.
 */
export async function fetchInteractionAgain(rawId: string): Promise<InteractionOutcome> {
  let id: string;
  try {
    id = parseInteractionId(rawId);
  } catch {
    return { kind: "invalid_id", rawId };
  }
  try {
    return { kind: "ok", snapshot: await interactionService().fetchAgain(id) };
  } catch (error) {
    return { kind: "error", id, error: toAppError(error) };
  }
}

/** The HTTP status a page for this outcome answers with. */
export function outcomeStatus(outcome: InteractionOutcome): number {
  if (outcome.kind === "invalid_id") return 404;
  if (outcome.kind === "error") return outcome.error.status;
  return 200;
}
