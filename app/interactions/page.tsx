import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { InteractionList, listRowOf } from "@/app/_components/interaction-list";
import { Notice } from "@/app/_components/notice";
import { toUrlSearchParams } from "@/app/_components/search-params";
import { isAppError, toAppError } from "@/lib/errors";
import { browseService, type BrowsePage } from "@/lib/interactions";
import {
  browseSearchParams,
  FILTER_KINDS,
  parseBrowseQuery,
  RANGE_PRESETS,
  type BrowseQuery,
  type FilterKind,
} from "@/lib/interactions/browse-query";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Browse" };

const FILTER_LABELS: Record<FilterKind, string> = {
  user: "User",
  topic: "Topic",
  keyword: "Keyword",
  user_intent: "Intent",
  negative_user_intent: "Negative intent",
  user_feedback: "Feedback",
  type_of_problem: "Type of problem",
  user_query: "User query",
};

const PRESET_LABELS: Record<keyof typeof RANGE_PRESETS, string> = { "24h": "24 h", "7d": "7 days", "30d": "30 days" };

function href(params: URLSearchParams): string {
  const query = params.toString();
  return query ? `/interactions?${query}` : "/interactions";
}

/** The filter form's `tag_name`/`tag_value` pair becomes the API's `tag.{name}` parameter. */
function canonicalTagParams(params: URLSearchParams): URLSearchParams | null {
  if (!params.has("tag_name") && !params.has("tag_value")) return null;
  const name = params.get("tag_name")?.trim() ?? "";
  const value = params.get("tag_value")?.trim() ?? "";
  const next = new URLSearchParams([...params].filter(([key]) => key !== "tag_name" && key !== "tag_value"));
  if (name && value) next.append(`tag.${name.slice(0, 100)}`, value);
  return next;
}

function withoutValue(query: BrowseQuery, kind: string, value: string): string {
  const params = browseSearchParams(query, { offset: 0 });
  const kept = params.getAll(kind).filter((item) => item !== value);
  params.delete(kind);
  for (const item of kept) params.append(kind, item);
  return href(params);
}

function timeFields(query: BrowseQuery) {
  return query.range ? (
    <input type="hidden" name="range" value={query.range} />
  ) : (
    <>
      <input type="hidden" name="from" value={query.from.toISOString()} />
      <input type="hidden" name="to" value={query.to.toISOString()} />
    </>
  );
}

export default async function BrowsePage({ searchParams }: PageProps<"/interactions">) {
  const params = toUrlSearchParams(await searchParams);
  const canonical = canonicalTagParams(params);
  if (canonical) redirect(href(canonical));

  let query: BrowseQuery;
  let queryError: string | null = null;
  try {
    query = parseBrowseQuery(params);
  } catch (error) {
    if (!isAppError(error)) throw error;
    queryError = error.message;
    query = parseBrowseQuery(new URLSearchParams());
  }

  let result: BrowsePage | null = null;
  let upstreamError: string | null = null;
  if (!queryError) {
    try {
      result = await browseService().browse(query);
    } catch (error) {
      upstreamError = toAppError(error).message;
    }
  }

  const page = result?.page;
  const firstRow = query.offset + 1;
  const lastRow = query.offset + (page?.data.length ?? 0);
  const activeFilters = query.filters.flatMap((filter) =>
    filter.values.map((value) => ({ key: filter.kind === "tag" ? `tag.${filter.tag}` : filter.kind, label: filter.kind === "tag" ? `${filter.tag}` : FILTER_LABELS[filter.kind], value })),
  );

  return (
    <div className="space-y-4">
      <h1 className="text-xl font-semibold tracking-tight">Browse interactions</h1>

      {queryError ? (
        <Notice tone="danger" role="alert">
          This list address has a problem — {queryError}.{" "}
          <Link href="/interactions" className="underline">
            Reset the filters
          </Link>
        </Notice>
      ) : null}

      <section aria-label="Time range" className="flex flex-wrap items-end gap-3">
        <div className="flex flex-wrap gap-1.5" role="group" aria-label="Preset ranges">
          {(Object.keys(RANGE_PRESETS) as (keyof typeof RANGE_PRESETS)[]).map((preset) => {
            const params = browseSearchParams({ ...query, range: preset }, { offset: 0 });
            return (
              <Link key={preset} href={href(params)} className={`btn ${query.range === preset ? "btn-primary" : ""}`} aria-current={query.range === preset ? "true" : undefined}>
                Last {PRESET_LABELS[preset]}
              </Link>
            );
          })}
        </div>
        <form action="/interactions" method="get" className="flex flex-wrap items-end gap-2">
          {query.filters.flatMap((filter) =>
            filter.values.map((value) => <input key={`${filter.kind}${filter.tag}${value}`} type="hidden" name={filter.kind === "tag" ? `tag.${filter.tag}` : filter.kind} value={value} />),
          )}
          <label className="text-sm">
            <span className="mb-1 block text-xs text-muted">From</span>
            <input type="date" name="from" required defaultValue={query.range ? "" : query.from.toISOString().slice(0, 10)} className="field" />
          </label>
          <label className="text-sm">
            <span className="mb-1 block text-xs text-muted">To</span>
            <input type="date" name="to" required defaultValue={query.range ? "" : query.to.toISOString().slice(0, 10)} className="field" />
          </label>
          <button type="submit" className="btn">
            Apply range
          </button>
        </form>
      </section>

      <form action="/interactions" method="get" aria-label="Filters" className="card grid gap-3 sm:grid-cols-2 lg:grid-cols-4">
        {timeFields(query)}
        {FILTER_KINDS.map((kind) => {
          const values = query.filters.find((filter) => filter.kind === kind)?.values ?? [];
          return (
            <label key={kind} className="text-sm">
              <span className="mb-1 block text-xs text-muted">{FILTER_LABELS[kind]}</span>
              {values.slice(1).map((value) => (
                <input key={value} type="hidden" name={kind} value={value} />
              ))}
              <input type="text" name={kind} defaultValue={values[0] ?? ""} className="field w-full" />
            </label>
          );
        })}
        {query.filters
          .filter((filter) => filter.kind === "tag")
          .flatMap((filter) => filter.values.map((value) => <input key={`${filter.tag}${value}`} type="hidden" name={`tag.${filter.tag}`} value={value} />))}
        <label className="text-sm">
          <span className="mb-1 block text-xs text-muted">Tag name</span>
          <input type="text" name="tag_name" className="field w-full" />
        </label>
        <label className="text-sm">
          <span className="mb-1 block text-xs text-muted">Tag value</span>
          <input type="text" name="tag_value" className="field w-full" />
        </label>
        <div className="flex items-end gap-2 sm:col-span-2 lg:col-span-2">
          <button type="submit" className="btn btn-primary">
            Apply filters
          </button>
          <Link href="/interactions" className="btn">
            Clear
          </Link>
        </div>
      </form>

      {activeFilters.length ? (
        <ul aria-label="Active filters" className="flex flex-wrap gap-1.5">
          {activeFilters.map((filter) => (
            <li key={`${filter.key}=${filter.value}`}>
              <Link href={withoutValue(query, filter.key, filter.value)} className="chip-btn inline-flex items-center gap-1 no-underline" aria-label={`Remove filter ${filter.label}: ${filter.value}`}>
                {filter.label}: {filter.value} <span aria-hidden="true">×</span>
              </Link>
            </li>
          ))}
        </ul>
      ) : null}

      {upstreamError ? (
        <Notice tone="warning" role="alert">
          Could not load interactions from Nebuly: {upstreamError}{" "}
          <Link href={href(browseSearchParams(query))} className="underline">
            Try again
          </Link>{" "}
          or{" "}
          <Link href="/cached" className="underline">
            search what is cached here
          </Link>
          .
        </Notice>
      ) : null}

      {page ? (
        <section aria-labelledby="results-heading" className="space-y-2">
          <h2 id="results-heading" className="text-sm text-muted">
            {page.total === 0 ? "No interactions match." : page.data.length === 0 ? `No rows here: the list has ${page.total.toLocaleString("en-US")} interactions.` : `${firstRow.toLocaleString("en-US")}–${lastRow.toLocaleString("en-US")} of ${page.total.toLocaleString("en-US")} interactions`}
            {result?.cache === "STALE" ? " (cached copy: Nebuly is unavailable)" : ""}
          </h2>
          <InteractionList
            rows={page.data.map(listRowOf)}
            label="Interactions"
            empty="Try a longer time range or fewer filters."
          />
          <nav aria-label="Pages" className="flex items-center justify-between gap-2">
            {query.offset > 0 ? (
              <Link className="btn" href={href(browseSearchParams(query, { offset: Math.max(0, query.offset - query.limit) }))} rel="prev">
                ← Previous
              </Link>
            ) : (
              <span />
            )}
            {query.offset + query.limit < page.total ? (
              <Link className="btn" href={href(browseSearchParams(query, { offset: query.offset + query.limit }))} rel="next">
                Next →
              </Link>
            ) : null}
          </nav>
        </section>
      ) : null}
    </div>
  );
}
