import "server-only";
import { getStore } from "@/db/client";
import { createDemoFetch } from "@/lib/demo/upstream";
import type { Viewer } from "@/lib/access";
import { env, isDemoMode } from "@/lib/env";
import { AppError, toAppError } from "@/lib/errors";
import { logger } from "@/lib/logger";
import { createNebulyClient, type NebulyClient } from "@/lib/nebuly/client";
import { observeFetch, observeNebulyClient } from "@/lib/nebuly/observed";
import { metrics } from "@/lib/ops/metrics";
import { claimCacheResult } from "@/lib/ops/request-context";
import { allProjects, maySeeSlug, recordKeyState, summaryOf, visibleProjects, type ProjectConfig } from "@/lib/projects";
import { labelNameKey } from "@/lib/labels/names";
import { createBrowseService, MERGED_ROWS_MAX, type BrowsePage, type BrowseService } from "./browse";
import type { BrowseQuery } from "./browse-query";
import { CACHED_PAGE_SIZE, parseListContext, parsePosition, type CachedListSearch } from "./list-context";
import { navigateList, type ListNavigation, type ListPage } from "./list-navigation";
import { createBrowseCache, type BrowseCache } from "./browse-cache";
import { fetchLeases } from "./fetch-lease";
import { createInteractionRepository, type CachedSearchQuery, type CachedSearchResult, type InteractionRepository } from "./repository";
import { createInteractionService, type InteractionService, type LookupScope, type ProjectRef } from "./service";

/** What lookups need to know of a viewer: the groups that decide which projects it sees. */
type ViewerGroups = Pick<Viewer, "groups">;

export { parseInteractionId } from "./interaction-id";
export type { InteractionSnapshot } from "./service";
export type { CachedListItem, CachedSearchQuery } from "./repository";
export { COUNT_LIMIT } from "./list-limits";
export type { SnippetPart } from "./search-snippet";
export { MERGED_ROWS_MAX, type BrowsePage } from "./browse";
export type { ListNavigation } from "./list-navigation";
import { parseInteractionId } from "./interaction-id";
import type { InteractionSnapshot } from "./service";
import { loggableError } from "@/db/availability";
import { createSearchGate, searchClientKey, type SearchGate } from "./search-gate";
import { COUNT_LIMIT } from "./list-limits";

interface Services {
  interactions: InteractionService;
  browse: BrowseService;
  browseCache: BrowseCache;
  repository: InteractionRepository;
  clients: Map<string, NebulyClient>;
  searchGate: SearchGate;
  /** Whether the cache holds snapshots of projects no longer configured (decided once: config only changes with a restart). */
  orphanRows?: boolean;
}

const holder = globalThis as typeof globalThis & { __inspectorServices?: Services };

/** How an auth failure names a project's key to the person running the server. */
function keyNameOf(project: ProjectConfig): string {
  const config = env();
  if (config.NEBULY_API_KEY) return "NEBULY_API_KEY";
  return `the apiKey of project "${project.slug}" in ${config.NEBULY_PROJECTS_FILE ? "NEBULY_PROJECTS_FILE" : "NEBULY_PROJECTS"}`;
}

function services(): Services {
  if (!holder.__inspectorServices) {
    const config = env();
    const demo = isDemoMode();
    const observed = metrics();
    const demoFetch = demo ? createDemoFetch() : undefined;
    const clients = new Map<string, NebulyClient>();
    for (const project of allProjects()) {
      // Metrics see each call's outcome and duration and each HTTP attempt's result; never its URL or headers.
      const client = observeNebulyClient(
        createNebulyClient({
          baseUrl: project.apiUrl,
          apiKey: project.apiKey,
          keyName: keyNameOf(project),
          timeoutMs: config.UPSTREAM_TIMEOUT_MS,
          fetch: observeFetch(demoFetch ?? fetch, (result) => observed.upstreamAttempts.inc({ result })),
        }),
        ({ operation, outcome, durationMs }) => {
          observed.upstreamCalls.inc({ operation, outcome, project: project.slug });
          observed.upstreamDuration.observe({ operation, outcome }, durationMs / 1_000);
          // The key's state, learnt from real traffic: any answer but a refusal says the key works.
          if (outcome === "auth_failed") recordKeyState(project.slug, "auth_failed");
          else if (outcome === "ok" || outcome === "not_found") recordKeyState(project.slug, "ok");
        },
      );
      clients.set(project.slug, client);
    }
    const clientFor = (slug: string) => clients.get(slug);
    const repository = createInteractionRepository(getStore());
    const browseCache = createBrowseCache(getStore());
    const interactions = createInteractionService({
      repository,
      clientFor,
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
      // Replicas on one Postgres agree which of them fetches an id. A fetch with its retries takes
      // at most twice the upstream timeout (lib/nebuly/retry.ts); the lease outlasts it.
      leases: fetchLeases(getStore(), 2 * config.UPSTREAM_TIMEOUT_MS + 5_000),
    });
    // A quarter of the pool at most runs searches, so pages, sign-ins and probes always find a
    // connection; SQLite answers one statement at a time anyway.
    const searchGate = createSearchGate({
      running: getStore().dialect === "postgres" ? Math.max(1, Math.floor(config.DATABASE_POOL_MAX / 4)) : 2,
      waitMs: SEARCH_WAIT_MS,
      waiting: 16,
    });
    // One instance per process, shared by every route bundle, so single-flight really is single.
    holder.__inspectorServices = { interactions, browse: createBrowseService({ repository, clientFor }), browseCache, repository, clients, searchGate };
  }
  return holder.__inspectorServices;
}

/** The service itself, for callers that decide the scope themselves (erasure, sharing). */
export function interactionService(): InteractionService {
  return services().interactions;
}

/** The interaction for `viewer` (routes: errors are thrown, as AppErrors). */
export function getInteraction(id: string, viewer: ViewerGroups, options: { refresh?: boolean } = {}): Promise<InteractionSnapshot> {
  return interactionService().get(id, { ...options, ...lookupScope(viewer) });
}

/** The projects `viewer` may see, as lookups take them. */
export function lookupScope(viewer: ViewerGroups): LookupScope {
  const projects = visibleProjects(viewer).map(summaryOf);
  return { projects, everyProject: projects.length === allProjects().length };
}

/**
 * The project slugs a cache read is limited to for `viewer` (and, when given, the projects asked
 * for), or undefined when no limit is needed: the viewer sees every project and every row is of a
 * configured one. Slugs the viewer may not see are dropped as if they did not exist.
 */
async function cacheScope(viewer: ViewerGroups, requested: readonly string[] = []): Promise<string[] | undefined> {
  const visible = visibleProjects(viewer).map((project) => project.slug);
  if (requested.length > 0) return requested.filter((slug) => visible.includes(slug));
  const current = services();
  if (visible.length < allProjects().length) return visible;
  // Replicas sharing Postgres may be configured differently for a while (a rolling deploy adding a
  // restricted project): rows of a project this process does not know can appear at any moment,
  // so every read is limited. One SQLite file has one process, whose projects change only with a
  // restart: checked once.
  if (getStore().dialect === "postgres") return visible;
  current.orphanRows ??= await current.repository.hasRowsOutside(allProjects().map((project) => project.slug));
  return current.orphanRows ? visible : undefined;
}

/** The projects a list asks for, checked against what the viewer may see: unknown and hidden ones alike are "no such project". */
function requestedProjects(viewer: ViewerGroups, slugs: readonly string[]): ProjectRef[] {
  const visible = lookupScope(viewer).projects;
  if (slugs.length === 0) return [...visible];
  return slugs.map((slug) => {
    const project = visible.find((candidate) => candidate.slug === slug);
    if (!project) throw new AppError("invalid_query", `project: there is no project "${slug}" on this inspector.`);
    return project;
  });
}

/** A page of Nebuly's list for `viewer`: the projects the query names, or all it may see, merged. */
export function browseInteractions(query: BrowseQuery, viewer: ViewerGroups): Promise<BrowsePage> {
  return services().browse.browse(query, requestedProjects(viewer, query.projects));
}

/** How long a typed search waits for its turn (search-gate.ts) before the page says to try again. */
const SEARCH_WAIT_MS = 2_000;

/** Postgres cancelled the statement after its timeout (db/client.ts STATEMENT_TIMEOUT_MS). */
function isStatementTimeout(error: unknown): boolean {
  for (let cause = error, depth = 0; cause && depth < 5; cause = (cause as { cause?: unknown }).cause, depth++) {
    if (typeof cause === "object" && (cause as { code?: unknown }).code === "57014") return true;
  }
  return false;
}

/** Reads of the local cache, limited to what `viewer` may see: they work while Nebuly is down. */
export const cachedInteractions = {
  recordView: (id: string) => services().repository.recordView(id, new Date()),
  recentlyViewed: async (viewer: ViewerGroups, limit = 10) => services().repository.recentlyViewed(limit, await cacheScope(viewer)),
  /**
   * `client`: who asks (lib/access identify's address), so that the gate gives each client one
   * search at a time. Typed searches go through the gate; a plain list is an index walk and does not.
   */
  search: async (query: Omit<CachedSearchQuery, "projects">, viewer: ViewerGroups, client: string, projects: readonly string[] = []): Promise<CachedSearchResult> => {
    const { repository, searchGate } = services();
    // The cached page stops at its last page; any other caller gets the same bound (a deep offset
    // walks past every row before it, and nothing else limits a plain list).
    if (query.offset > COUNT_LIMIT) throw new AppError("invalid_query", `page: only the first ${COUNT_LIMIT.toLocaleString("en-US")} matches can be paged through.`);
    const scoped = { ...query, projects: await cacheScope(viewer, projects) };
    if (!query.text?.trim()) return repository.search(scoped);
    const unanswered = (why: "too_slow" | "busy"): CachedSearchResult => {
      metrics().searchesUnanswered.inc({ reason: why });
      return { items: [], hasMore: false, count: 0, countIsLimit: false, unanswered: why };
    };
    try {
      const gated = await searchGate.run(searchClientKey(client), () => repository.search(scoped));
      return gated.ran ? gated.value : unanswered("busy");
    } catch (error) {
      // The store gave up on it (the search budget, or Postgres's statement timeout): say so instead of failing the page.
      if (!isStatementTimeout(error)) throw error;
      return unanswered("too_slow");
    }
  },
  facets: async (viewer: ViewerGroups) => services().repository.facets(await cacheScope(viewer)),
  /** Users, intents, problem types and tags of recent cached interactions: Browse's suggestions. */
  browseSuggestions: async (viewer: ViewerGroups) => services().browseCache.suggestions(await cacheScope(viewer)),
  /** Title and badge fields of those of `ids` that are cached, in one query. */
  summaries: async (ids: readonly string[], viewer: ViewerGroups) => services().browseCache.summaries(ids, await cacheScope(viewer)),
};

/**
 * The list navigation for interaction `id` opened with the address parameters `list` and `at`
 * (lib/interactions/list-context.ts): null when there is no list, "unreadable" when the address
 * names one this inspector cannot read (malformed, hostile, another version). Reads only what
 * `viewer` may see, through the same services the lists use.
 */
export async function listNavigation(
  id: string,
  list: string | undefined,
  at: string | undefined,
  viewer: ViewerGroups,
  /** Who asks (as for cached searches): a typed search's list goes through the same per-client gate as /cached. */
  client: string,
): Promise<ListNavigation | { state: "unreadable" } | null> {
  if (list === undefined) return null;
  const context = parseListContext(list);
  if (!context) return { state: "unreadable" };
  // The page says the list could not be loaded; what went wrong unexpectedly goes to the log too.
  const logged = async <T>(read: () => Promise<T>): Promise<T> => {
    try {
      return await read();
    } catch (error) {
      if (toAppError(error).code === "internal_error") logger().error({ err: loggableError(error), interactionId: id, list: context.kind }, "reading a list for its navigation failed");
      throw error;
    }
  };
  return navigateList(context, parsePosition(at), id, {
    browse: (query, offset) => logged(() => browsePage(query, offset)),
    cached: (search, offset) => logged(() => cachedPage(search, offset)),
    visible: (ids) => logged(async () => new Set((await cachedInteractions.summaries(ids, viewer)).keys())),
  });

  async function browsePage(query: BrowseQuery, offset: number): Promise<ListPage> {
    // A list of several projects ends at MERGED_ROWS_MAX rows (browse refuses to page past it).
    const merged = requestedProjects(viewer, query.projects).length > 1;
    if (merged && offset >= MERGED_ROWS_MAX) return { ids: [], total: MERGED_ROWS_MAX, totalIsLimit: true, last: true };
    const { page } = await browseInteractions({ ...query, offset }, viewer);
    const capped = merged && page.total > MERGED_ROWS_MAX;
    return {
      ids: page.data.map((item) => item.id),
      total: capped ? MERGED_ROWS_MAX : page.total,
      totalIsLimit: capped,
      last: offset + query.limit >= (capped ? MERGED_ROWS_MAX : page.total),
    };
  }

  async function cachedPage(search: CachedListSearch, offset: number): Promise<ListPage> {
    // The cached list is read up to its first COUNT_LIMIT rows (as /cached pages it): past them, no row.
    if (offset > COUNT_LIMIT) return { ids: [], total: COUNT_LIMIT, totalIsLimit: true, last: true };
    const result = await cachedInteractions.search(
      {
        text: search.q,
        user: search.user,
        topic: search.topic,
        sentiment: search.sentiment,
        feedbackType: search.feedback_type,
        labels: search.label?.map(labelNameKey),
        excludeLabels: search["-label"]?.map(labelNameKey),
        sort: "time",
        limit: CACHED_PAGE_SIZE,
        offset,
      },
      viewer,
      client,
      search.project ? [search.project] : [],
    );
    // Not run (too many searches) or stopped (too slow): the list could not be read now, which is not "not in it".
    if (result.unanswered === "busy") throw new AppError("rate_limited", "Too many searches are running on this inspector right now. Reload in a moment.");
    if (result.unanswered) throw new AppError("rate_limited", "The list's search took too long and was stopped.");
    return { ids: result.items.map((item) => item.id), total: result.count, totalIsLimit: result.countIsLimit, last: !result.hasMore };
  }
}

/**
 * The project of what is stored here about `id` (snapshot, forgotten mark or list page), when
 * `viewer` may see it; null otherwise. For an audit event written after the store changed.
 */
export async function localProjectOf(id: string, viewer: ViewerGroups): Promise<string | null> {
  const holding = await interactionService().holding(id);
  const project = holding.kind === "none" ? null : holding.projectSlug;
  return project !== null && maySeeSlug(viewer, project) ? project : null;
}

/** When and by whom an interaction was forgotten here; undefined when it was not (or not in a project `viewer` sees). */
export async function forgottenInteraction(id: string, viewer: ViewerGroups): Promise<{ forgottenAt: Date; forgottenBy: string | null } | undefined> {
  const forgotten = await services().repository.forgotten(id);
  if (!forgotten) return undefined;
  return maySeeSlug(viewer, forgotten.projectSlug) ? forgotten : undefined;
}

/**
 * Of several ids pasted together (say a project id and an interaction id), the one to open without
 * asking: the only one cached here, since a project id never is. Null when that does not settle it.
 */
export async function cachedChoice(ids: readonly string[], viewer: ViewerGroups): Promise<string | null> {
  const summaries = await cachedInteractions.summaries(ids, viewer);
  const cached = ids.filter((id) => summaries.has(id));
  return cached.length === 1 ? cached[0]! : null;
}

export type InteractionOutcome =
  | { kind: "invalid_id"; rawId: string }
  | { kind: "error"; id: string; error: AppError }
  | { kind: "ok"; snapshot: InteractionSnapshot };

/** What a page needs to know about an id from the URL: invalid, failed (with why), or the snapshot. */
export async function loadInteraction(rawId: string, viewer: ViewerGroups, options: { refresh?: boolean } = {}): Promise<InteractionOutcome> {
  let id: string;
  try {
    id = parseInteractionId(decodeURIComponent(rawId));
  } catch {
    return { kind: "invalid_id", rawId };
  }
  try {
    return { kind: "ok", snapshot: await interactionService().get(id, { ...options, ...lookupScope(viewer) }) };
  } catch (error) {
    const appError = toAppError(error);
    if (appError.code === "internal_error") logger().error({ err: loggableError(error), interactionId: id }, "loading interaction failed");
    return { kind: "error", id, error: appError };
  }
}

/**
 * The explicit way back after a forget ("Fetch again from Nebuly"): lifts the forgotten mark and
 * fetches from Nebuly now. Never called by a page load, only by the person's own action.
 */
export async function fetchInteractionAgain(rawId: string, viewer: ViewerGroups): Promise<InteractionOutcome> {
  let id: string;
  try {
    id = parseInteractionId(rawId);
  } catch {
    return { kind: "invalid_id", rawId };
  }
  try {
    return { kind: "ok", snapshot: await interactionService().fetchAgain(id, lookupScope(viewer)) };
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
