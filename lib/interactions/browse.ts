import { AppError, toAppError } from "@/lib/errors";
import type { NebulyClient } from "@/lib/nebuly/client";
import { listResponseSchema, type ListResponse } from "@/lib/nebuly/schemas";
import { browseCacheKey, toListRequest, type BrowseQuery } from "./browse-query";
import type { InteractionRepository } from "./repository";
import type { CacheStatus, ProjectRef } from "./service";
import { SingleFlight } from "./single-flight";

/** Nebuly list pages are kept this long: enough for paging back and reloads, short enough to stay current. */
export const LIST_CACHE_TTL_MS = 60_000;

/**
 * "All projects" merges each project's newest rows. Row N of the merged list is exact when every
 * project has been read to row N, so merged lists stop here: past it, one project's own list pages
 * exactly (Nebuly pages it) while a merge would read every project that far on every page.
 */
export const MERGED_ROWS_MAX = 1_000;
/** The largest page Nebuly's list returns: merged lists read each project in pages of this size. */
const UPSTREAM_PAGE = 100;

export interface BrowsePage {
  page: ListResponse;
  cache: CacheStatus;
  fetchedAt: Date;
  upstreamError?: { code: string; message: string };
  /** The project each listed id came from. */
  projectOf: Record<string, string>;
  /** Projects of a merged list that could not be listed (the others are shown). */
  failedProjects: { slug: string; name: string; message: string }[];
}

export interface BrowseService {
  /** One project's list, or several merged newest first (at most MERGED_ROWS_MAX rows deep). */
  browse(query: BrowseQuery, projects: readonly ProjectRef[]): Promise<BrowsePage>;
}

interface OnePage {
  page: ListResponse;
  cache: CacheStatus;
  fetchedAt: Date;
  upstreamError?: { code: string; message: string };
}

export function createBrowseService(deps: { repository: InteractionRepository; clientFor: (slug: string) => NebulyClient | undefined; now?: () => number }): BrowseService {
  const now = deps.now ?? Date.now;
  const flights = new SingleFlight<{ page: ListResponse; fetchedAt: Date }>();

  /** One page of one project's list, from the list cache when fresh. The key names the project. */
  async function browseOne(query: BrowseQuery, project: ProjectRef): Promise<OnePage> {
    const key = `${project.slug}:${browseCacheKey(query)}`;
    const cached = await deps.repository.findList(key);
    const cachedPage = cached ? { page: listResponseSchema.parse(JSON.parse(cached.responseJson)), fetchedAt: cached.fetchedAt } : undefined;
    if (cachedPage && now() - cachedPage.fetchedAt.getTime() < LIST_CACHE_TTL_MS) return { ...cachedPage, cache: "HIT" };
    try {
      const fresh = await flights.run(key, async () => {
        const client = deps.clientFor(project.slug);
        if (!client) throw new AppError("not_found", `Project "${project.name}" is not configured.`);
        const page = await client.listInteractions(toListRequest(query));
        const fetchedAt = new Date(now());
        await deps.repository.saveList(key, JSON.stringify(page), fetchedAt);
        return { page, fetchedAt };
      });
      return { ...fresh, cache: "MISS" };
    } catch (error) {
      if (!cachedPage) throw error;
      const appError = toAppError(error);
      return { ...cachedPage, cache: "STALE", upstreamError: { code: appError.code, message: appError.message } };
    }
  }

  /** A project's first `rows` rows, read in pages of UPSTREAM_PAGE (each cached on its own). */
  async function leadingRows(query: BrowseQuery, project: ProjectRef, rows: number) {
    const pages: OnePage[] = [];
    for (let offset = 0; offset < rows; offset += UPSTREAM_PAGE) {
      const page = await browseOne({ ...query, offset, limit: UPSTREAM_PAGE }, project);
      pages.push(page);
      if (page.page.data.length < UPSTREAM_PAGE || offset + UPSTREAM_PAGE >= page.page.total) break;
    }
    return pages;
  }

  return {
    async browse(query, projects) {
      if (projects.length === 0) throw new AppError("invalid_query", "project: you may not see any project on this inspector.");
      if (projects.length === 1) {
        const one = await browseOne(query, projects[0]!);
        return { ...one, projectOf: Object.fromEntries(one.page.data.map((item) => [item.id, projects[0]!.slug])), failedProjects: [] };
      }
      const rows = query.offset + query.limit;
      if (rows > MERGED_ROWS_MAX) {
        throw new AppError(
          "invalid_query",
          `offset: a list of several projects shows only its first ${MERGED_ROWS_MAX.toLocaleString("en")} interactions, newest first. Pick one project to page further.`,
        );
      }
      const settled = await Promise.allSettled(projects.map((project) => leadingRows(query, project, rows)));
      const failedProjects: BrowsePage["failedProjects"] = [];
      const merged: { item: ListResponse["data"][number]; slug: string; order: number }[] = [];
      const read: OnePage[] = [];
      let total = 0;
      settled.forEach((outcome, order) => {
        const project = projects[order]!;
        if (outcome.status === "rejected") {
          failedProjects.push({ slug: project.slug, name: project.name, message: toAppError(outcome.reason).message });
          return;
        }
        read.push(...outcome.value);
        total += outcome.value[0]?.page.total ?? 0;
        for (const page of outcome.value) for (const item of page.page.data) merged.push({ item, slug: project.slug, order });
      });
      if (failedProjects.length === projects.length) throw (settled.find((outcome) => outcome.status === "rejected") as PromiseRejectedResult).reason;
      // Newest first; rows without a readable time last; ties in configuration order, then by id.
      const timeOf = (item: ListResponse["data"][number]) => {
        const ms = item.timestamp ? Date.parse(item.timestamp) : Number.NaN;
        return Number.isNaN(ms) ? -Infinity : ms;
      };
      merged.sort((a, b) => timeOf(b.item) - timeOf(a.item) || a.order - b.order || a.item.id.localeCompare(b.item.id));
      const slice = merged.slice(query.offset, rows);
      const cache: CacheStatus = read.some((page) => page.cache === "STALE") ? "STALE" : read.some((page) => page.cache === "MISS") ? "MISS" : "HIT";
      const stale = read.find((page) => page.upstreamError);
      return {
        page: { total, offset: query.offset, limit: query.limit, data: slice.map((entry) => entry.item) },
        cache,
        fetchedAt: new Date(Math.min(...read.map((page) => page.fetchedAt.getTime()))),
        ...(stale?.upstreamError ? { upstreamError: stale.upstreamError } : {}),
        projectOf: Object.fromEntries(slice.map((entry) => [entry.item.id, entry.slug])),
        failedProjects,
      };
    },
  };
}
