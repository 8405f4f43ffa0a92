import { toAppError } from "@/lib/errors";
import { browseSearchParams } from "./browse-query";
import { CACHED_PAGE_SIZE, interactionInList, serialiseListContext, type CachedListSearch, type ListContext } from "./list-context";

/**
 * Where an interaction stands in the list it was opened from, and its neighbours: what the
 * interaction page's "12 of 340 · Previous · Next" shows.
 *
 * Lists are read through `ListReaders`, which are the lists' own services scoped to the viewer
 * (lib/interactions/index.ts): a row of a project the viewer may not see is never read, so it can
 * be neither counted nor linked. Browse pages are read at the same offsets and size as the Browse
 * page reads them, so they come from the list cache it filled rather than from Nebuly.
 */

/** One page of a list, as much of it as navigation needs. */
export interface ListPage {
  ids: string[];
  /** How many rows the list has (counted up to a limit when `totalIsLimit`). */
  total: number;
  totalIsLimit: boolean;
  /** No rows after this page. */
  last: boolean;
}

export interface ListReaders {
  /** The page of the browse query starting at `offset` (pages of `query.limit` rows). */
  browse(query: Extract<ListContext, { kind: "browse" }>["query"], offset: number): Promise<ListPage>;
  /** The page of the cached search starting at `offset` (pages of CACHED_PAGE_SIZE rows). */
  cached(search: CachedListSearch, offset: number): Promise<ListPage>;
  /** Those of `ids` that are cached here and the viewer may see. */
  visible(ids: readonly string[]): Promise<Set<string>>;
}

export type ListNavigation =
  | {
      state: "ok";
      listName: string;
      listHref: string;
      position: number;
      total: number;
      totalIsLimit: boolean;
      previous: string | null;
      next: string | null;
    }
  /** The list no longer holds this interaction where the address says (or at all). */
  | { state: "not_in_list"; listName: string; listHref: string }
  /** The list could not be read now (Nebuly down with nothing cached, the store failing). */
  | { state: "unavailable"; listName: string; listHref: string; message: string };

function listNameOf(context: ListContext): string {
  if (context.kind === "browse") return "Browse";
  if (context.kind === "cached") return context.search.q ? "Cached search" : "Cached interactions";
  return context.source === "recent" ? "Recently viewed" : "Cached, last viewed first";
}

/** The list page holding the row at `index` (0-based), for "Back to the list". */
function listHrefOf(context: ListContext, index: number): string {
  if (context.kind === "browse") {
    const offset = Math.floor(index / context.query.limit) * context.query.limit;
    return `/interactions?${browseSearchParams({ ...context.query, range: null }, { offset })}`;
  }
  if (context.kind === "cached") {
    const params = new URLSearchParams(Object.entries(context.search).filter(([, value]) => value) as [string, string][]);
    const page = Math.floor(index / CACHED_PAGE_SIZE) + 1;
    if (page > 1) params.set("page", String(page));
    const query = params.toString();
    return query ? `/cached?${query}` : "/cached";
  }
  return context.source === "recent" ? "/" : "/cached?sort=viewed";
}

/**
 * The navigation for interaction `id` opened at `position` (1-based) of `context`. Reads the page
 * holding the position, plus the page before or after only when the neighbour is across a page
 * boundary. If the list moved and the id is elsewhere on that page, the position follows the id;
 * if it is not on that page at all, the list no longer has it here ("not_in_list").
 */
export async function navigateList(context: ListContext, position: number | null, id: string, readers: ListReaders): Promise<ListNavigation> {
  const listName = listNameOf(context);
  const list = serialiseListContext(context);
  const link = (neighbour: string, at: number) => interactionInList(neighbour, list, at);
  try {
    if (context.kind === "batch") {
      const visible = await readers.visible(context.ids);
      const ids = context.ids.filter((candidate) => visible.has(candidate));
      const index = ids.indexOf(id);
      if (index === -1) return { state: "not_in_list", listName, listHref: listHrefOf(context, 0) };
      return {
        state: "ok",
        listName,
        listHref: listHrefOf(context, index),
        position: index + 1,
        total: ids.length,
        totalIsLimit: false,
        previous: index > 0 ? link(ids[index - 1]!, index) : null,
        next: index < ids.length - 1 ? link(ids[index + 1]!, index + 2) : null,
      };
    }

    const size = context.kind === "browse" ? context.query.limit : CACHED_PAGE_SIZE;
    const read = (offset: number) => (context.kind === "browse" ? readers.browse(context.query, offset) : readers.cached(context.search, offset));
    // No position (or an unreadable one): look on the first page, as if opened from it.
    const expected = (position ?? 1) - 1;
    const start = Math.floor(expected / size) * size;
    const page = await read(start);
    const onPage = page.ids[expected - start] === id ? expected - start : page.ids.indexOf(id);
    if (onPage === -1) return { state: "not_in_list", listName, listHref: listHrefOf(context, start) };
    const index = start + onPage;

    let previous: string | null = null;
    if (onPage > 0) previous = link(page.ids[onPage - 1]!, index);
    else if (start > 0) {
      const before = (await read(start - size)).ids.at(-1);
      if (before && before !== id) previous = link(before, index);
    }
    let next: string | null = null;
    if (onPage < page.ids.length - 1) next = link(page.ids[onPage + 1]!, index + 2);
    else if (!page.last) {
      const after = (await read(start + size)).ids[0];
      if (after && after !== id) next = link(after, index + 2);
    }
    return {
      state: "ok",
      listName,
      listHref: listHrefOf(context, index),
      position: index + 1,
      // A list that moved can say fewer rows than the position; the position is what was read.
      total: Math.max(page.total, index + 1),
      totalIsLimit: page.totalIsLimit,
      previous,
      next,
    };
  } catch (error) {
    return { state: "unavailable", listName, listHref: listHrefOf(context, Math.max(0, (position ?? 1) - 1)), message: toAppError(error).message };
  }
}
