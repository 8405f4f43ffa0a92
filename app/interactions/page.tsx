import type { Metadata } from "next";
import { labelsForList } from "@/lib/labels";
import Link from "next/link";
import { redirect } from "next/navigation";
import { InteractionList, listRowOf } from "@/app/_components/interaction-list";
import { Notice } from "@/app/_components/notice";
import { Pager } from "@/app/_components/pager";
import { toUrlSearchParams } from "@/app/_components/search-params";
import { isAppError, toAppError } from "@/lib/errors";
import { countOf } from "@/lib/format";
import { requestViewer } from "@/lib/access/request-viewer";
import { browseInteractions, cachedInteractions, MERGED_ROWS_MAX, type BrowsePage } from "@/lib/interactions";
import { projectNameOf, summaryOf, visibleProjects } from "@/lib/projects";
import { listLinks } from "@/lib/interactions/list-context";
import {
  browseSearchParams,
  FEEDBACK_VALUES,
  FILTER_KINDS,
  MAX_VALUE_CHARS,
  normaliseBrowseParams,
  offsetWithinTotal,
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

/** What each field takes: Nebuly matches some kinds exactly and others as part of the text. */
const FILTER_HINTS: Record<FilterKind, string> = {
  user: "The exact user id, e.g. a whole email address.",
  topic: "The exact topic name.",
  keyword: "Text anywhere in the conversation.",
  user_intent: "The exact intent label.",
  negative_user_intent: "An intent label, among negative interactions only.",
  user_feedback: "Explicit: the user rated the answer. Implicit: read from what they did next.",
  type_of_problem: "The exact risky-behaviour label.",
  user_query: "Text anywhere in the user's question.",
};

const PRESET_LABELS: Record<keyof typeof RANGE_PRESETS, string> = { "24h": "24 h", "7d": "7 days", "30d": "30 days" };

type Suggestions = Partial<Record<FilterKind | "tag_name" | "tag_value", string[]>>;

function href(params: URLSearchParams): string {
  const query = params.toString();
  return query ? `/interactions?${query}` : "/interactions";
}

function withoutValue(query: BrowseQuery, kind: string, value: string): string {
  const params = browseSearchParams(query, { offset: 0 });
  const kept = params.getAll(kind).filter((item) => item !== value);
  params.delete(kind);
  for (const item of kept) params.append(kind, item);
  return href(params);
}

/** The chosen projects ride along in every form, as the filters do. */
function projectFields(query: BrowseQuery) {
  return query.projects.map((slug) => <input key={slug} type="hidden" name="project" value={slug} />);
}

/** "All projects" or one project; shown only when the viewer may see several. */
function ProjectSwitcher({ query, projects }: { query: BrowseQuery; projects: { slug: string; name: string }[] }) {
  if (projects.length < 2) return null;
  const choices = [{ slug: null, name: "All projects" }, ...projects];
  return (
    <nav aria-label="Projects" className="flex flex-wrap gap-1.5">
      {choices.map((choice) => {
        const current = choice.slug === null ? query.projects.length === 0 : query.projects.length === 1 && query.projects[0] === choice.slug;
        return (
          <Link
            prefetch={false}
            key={choice.slug ?? "all"}
            href={href(browseSearchParams(query, { offset: 0, projects: choice.slug === null ? [] : [choice.slug] }))}
            className={`btn ${current ? "btn-primary" : ""}`}
            aria-current={current ? "page" : undefined}
          >
            {choice.name}
          </Link>
        );
      })}
    </nav>
  );
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

/** The parameter an `invalid_query` message names (messages start with it), if the address has it. */
function failingParameter(params: URLSearchParams, message: string): string | null {
  return [...new Set(params.keys())].find((name) => message.startsWith(`${name.slice(0, 60)}: `)) ?? null;
}

/** Known values first (documented or seen), without repeats or values the list would refuse. */
function unique(...lists: (readonly (string | null | undefined)[])[]): string[] {
  const seen = new Set<string>();
  for (const value of lists.flat()) if (value && value.length <= MAX_VALUE_CHARS) seen.add(value);
  return [...seen];
}

function Datalist({ id, values }: { id: string; values: string[] | undefined }) {
  if (!values?.length) return null;
  return (
    <datalist id={id}>
      {values.map((value) => (
        <option key={value} value={value} />
      ))}
    </datalist>
  );
}

function FilterField({ kind, values, suggestions }: { kind: FilterKind; values: string[]; suggestions: string[] | undefined }) {
  const id = `filter-${kind}`;
  const listId = suggestions?.length ? `${id}-values` : undefined;
  return (
    <div className="text-sm">
      <label htmlFor={id} className="mb-1 block text-xs font-medium text-muted">
        {FILTER_LABELS[kind]}
      </label>
      {/* Further values of the same kind ride along unchanged (values of one kind are ORed). */}
      {values.slice(1).map((value) => (
        <input key={value} type="hidden" name={kind} value={value} />
      ))}
      {kind === "user_feedback" ? (
        <select id={id} name={kind} defaultValue={values[0] ?? ""} aria-describedby={`${id}-hint`} className="field w-full">
          <option value="">Any</option>
          {unique(FEEDBACK_VALUES.map(([value]) => value), suggestions ?? [], values.slice(0, 1)).map((value) => (
            <option key={value} value={value}>
              {FEEDBACK_VALUES.find(([known]) => known === value)?.[1] ?? value.replace(/_/g, " ")}
            </option>
          ))}
        </select>
      ) : (
        <input id={id} type="text" name={kind} defaultValue={values[0] ?? ""} list={listId} autoComplete="off" aria-describedby={`${id}-hint`} className="field w-full" />
      )}
      <p id={`${id}-hint`} className="mt-1 text-xs text-muted">
        {FILTER_HINTS[kind]}
      </p>
      {listId ? <Datalist id={listId} values={suggestions} /> : null}
    </div>
  );
}

export default async function BrowsePage({ searchParams }: PageProps<"/interactions">) {
  const params = toUrlSearchParams(await searchParams);
  // Works with or without JavaScript: a submitted form's empty fields never stay in the address.
  const normalised = normaliseBrowseParams(params);
  if (normalised) redirect(href(normalised));

  let query: BrowseQuery;
  let queryError: string | null = null;
  let failing: string | null = null;
  try {
    query = parseBrowseQuery(params);
  } catch (error) {
    if (!isAppError(error)) throw error;
    queryError = error.message;
    failing = failingParameter(params, error.message);
    // Keep every other filter in the form, so fixing the one mistake does not mean starting over.
    const rest = new URLSearchParams([...params].filter(([name]) => name !== failing));
    try {
      query = parseBrowseQuery(failing ? rest : new URLSearchParams());
    } catch {
      query = parseBrowseQuery(new URLSearchParams());
    }
  }
  const tagDraft = failing?.startsWith("tag.") ? failing.slice(4) : "";

  const viewer = await requestViewer();
  const projects = visibleProjects(viewer).map(summaryOf);
  let result: BrowsePage | null = null;
  let upstreamError: string | null = null;
  if (!queryError) {
    try {
      result = await browseInteractions(query, viewer);
    } catch (error) {
      const appError = toAppError(error);
      // A project the viewer cannot choose, or a merged list paged too deep: the address is the problem, not Nebuly.
      if (appError.code === "invalid_query") queryError = appError.message.replace(/\.$/, "");
      else upstreamError = appError.message;
    }
  }
  // Past the end (an old link, a list that shrank): the last page with rows, never an empty one.
  const inRange = result ? offsetWithinTotal(query, result.page.total) : null;
  if (inRange !== null) redirect(href(browseSearchParams(query, { offset: inRange })));

  const page = result?.page;
  const cached = await cachedInteractions.summaries(page?.data.map((item) => item.id) ?? [], viewer);
  // Labels of the rows cached here for this viewer (summaries are scoped to its projects).
  const labels = await labelsForList([...cached.keys()]);
  const rows = (page?.data ?? []).map((item) => {
    const summary = cached.get(item.id);
    return { ...listRowOf(item), topic: summary?.topic, sentiment: summary?.sentiment, feedbackType: summary?.feedbackType, project: projectNameOf(result?.projectOf[item.id]), labels: labels.get(item.id) };
  });
  const [facets, seen] = await Promise.all([cachedInteractions.facets(viewer), cachedInteractions.browseSuggestions(viewer)]);
  const merged = projects.length > 1 && query.projects.length !== 1;
  const mergedEnd = merged && query.offset + query.limit >= MERGED_ROWS_MAX;
  const suggestions: Suggestions = {
    user: unique(rows.map((row) => row.user), seen.users),
    topic: unique(rows.map((row) => row.topic), facets.topics),
    user_intent: seen.intents,
    negative_user_intent: seen.intents,
    type_of_problem: seen.problems,
    user_feedback: facets.feedbackTypes,
    tag_name: seen.tagNames,
    tag_value: seen.tagValues,
  };

  const firstRow = query.offset + 1;
  const lastRow = query.offset + (page?.data.length ?? 0);
  const activeFilters = query.filters.flatMap((filter) =>
    filter.values.map((value) => ({ key: filter.kind === "tag" ? `tag.${filter.tag}` : filter.kind, label: filter.kind === "tag" ? `${filter.tag}` : FILTER_LABELS[filter.kind], value })),
  );
  const fromDate = query.from.toISOString().slice(0, 10);
  const toDate = query.to.toISOString().slice(0, 10);

  return (
    <div className="space-y-4">
      <h1 className="text-xl font-semibold tracking-tight">Browse interactions</h1>

      {queryError ? (
        <Notice tone="danger" role="alert">
          <span id="query-error">This list address has a problem — {queryError}.</span>{" "}
          <Link prefetch={false} href="/interactions" className="underline">
            Reset the filters
          </Link>
        </Notice>
      ) : null}

      <ProjectSwitcher query={query} projects={projects} />

      <section aria-label="Time range" className="flex flex-wrap items-end gap-3">
        <div className="flex flex-wrap gap-1.5" role="group" aria-label="Preset ranges">
          {(Object.keys(RANGE_PRESETS) as (keyof typeof RANGE_PRESETS)[]).map((preset) => {
            const presetParams = browseSearchParams({ ...query, range: preset }, { offset: 0 });
            return (
              <Link prefetch={false} key={preset} href={href(presetParams)} className={`btn ${query.range === preset ? "btn-primary" : ""}`} aria-current={query.range === preset ? "true" : undefined}>
                Last {PRESET_LABELS[preset]}
              </Link>
            );
          })}
        </div>
        <form action="/interactions" method="get" aria-label="Custom range" className="flex flex-wrap items-end gap-2">
          {projectFields(query)}
          {query.filters.flatMap((filter) =>
            filter.values.map((value) => <input key={`${filter.kind}${filter.tag}${value}`} type="hidden" name={filter.kind === "tag" ? `tag.${filter.tag}` : filter.kind} value={value} />),
          )}
          {/* The dates covered are always shown, a preset's too; applying them makes a custom range. */}
          <label className="text-sm">
            <span className="mb-1 block text-xs text-muted">From (UTC)</span>
            <input type="date" name="from" required defaultValue={fromDate} className="field" />
          </label>
          <label className="text-sm">
            <span className="mb-1 block text-xs text-muted">To (UTC)</span>
            <input type="date" name="to" required defaultValue={toDate} className="field" />
          </label>
          <button type="submit" className="btn">
            Apply range
          </button>
        </form>
      </section>

      {/*
        On a phone the filters fold behind their summary; they start open when one is set. Wide
        screens show them whatever the open state (where the browser can style a details' content;
        elsewhere the summary stays and still opens them).
      */}
      <details
        open={activeFilters.length > 0 || Boolean(tagDraft)}
        className="card group supports-[selector(::details-content)]:sm:[&::details-content]:[content-visibility:visible] supports-[selector(::details-content)]:sm:[&>summary]:hidden"
      >
        <summary className="btn w-fit cursor-pointer select-none group-open:mb-3">
          Filters{activeFilters.length ? ` (${activeFilters.length})` : ""}
        </summary>
        <form action="/interactions" method="get" aria-label="Filters" className="grid gap-3 sm:grid-cols-2 lg:grid-cols-4">
          {timeFields(query)}
          {projectFields(query)}
          {FILTER_KINDS.map((kind) => (
            <FilterField key={kind} kind={kind} values={query.filters.find((filter) => filter.kind === kind)?.values ?? []} suggestions={suggestions[kind]} />
          ))}
          {query.filters
            .filter((filter) => filter.kind === "tag")
            .flatMap((filter) => filter.values.map((value) => <input key={`${filter.tag}${value}`} type="hidden" name={`tag.${filter.tag}`} value={value} />))}
          <div className="text-sm">
            <label htmlFor="filter-tag-name" className="mb-1 block text-xs font-medium text-muted">
              Tag name
            </label>
            <input id="filter-tag-name" type="text" name="tag_name" defaultValue={tagDraft} list={suggestions.tag_name?.length ? "filter-tag-name-values" : undefined} autoComplete="off" aria-describedby="filter-tag-name-hint" className="field w-full" />
            <p id="filter-tag-name-hint" className="mt-1 text-xs text-muted">
              The tag&apos;s key, e.g. plan.
            </p>
            <Datalist id="filter-tag-name-values" values={suggestions.tag_name} />
          </div>
          <div className="text-sm">
            <label htmlFor="filter-tag-value" className="mb-1 block text-xs font-medium text-muted">
              Tag value
            </label>
            <input
              id="filter-tag-value"
              type="text"
              name="tag_value"
              list={suggestions.tag_value?.length ? "filter-tag-value-values" : undefined}
              autoComplete="off"
              aria-invalid={tagDraft ? true : undefined}
              aria-describedby={tagDraft ? "filter-tag-value-hint query-error" : "filter-tag-value-hint"}
              className="field w-full"
            />
            <p id="filter-tag-value-hint" className="mt-1 text-xs text-muted">
              Its exact value, e.g. pro. Both are needed.
            </p>
            <Datalist id="filter-tag-value-values" values={suggestions.tag_value} />
          </div>
          <div className="flex items-end gap-2 sm:col-span-2 lg:col-span-2">
            <button type="submit" className="btn btn-primary">
              Apply filters
            </button>
            {/* Clears the filters only: the project and the time range stay as chosen. */}
            <Link prefetch={false} href={href(browseSearchParams({ ...query, filters: [] }, { offset: 0 }))} className="btn">
              Clear
            </Link>
          </div>
        </form>
      </details>

      {activeFilters.length ? (
        <ul aria-label="Active filters" className="flex flex-wrap gap-1.5">
          {activeFilters.map((filter) => (
            <li key={`${filter.key}=${filter.value}`}>
              <Link prefetch={false} href={withoutValue(query, filter.key, filter.value)} className="chip-btn inline-flex items-center gap-1 no-underline" aria-label={`Remove filter ${filter.label}: ${filter.value}`}>
                {filter.label}: {filter.value} <span aria-hidden="true">×</span>
              </Link>
            </li>
          ))}
        </ul>
      ) : null}

      {upstreamError ? (
        <Notice tone="warning" role="alert">
          Could not load interactions from Nebuly: {upstreamError}{" "}
          <Link prefetch={false} href={href(browseSearchParams(query))} className="underline">
            Try again
          </Link>{" "}
          or{" "}
          <Link href="/cached" className="underline">
            search what is cached here
          </Link>
          .
        </Notice>
      ) : null}

      {result?.failedProjects.length ? (
        <Notice tone="warning" role="alert">
          {result.failedProjects.map((failed) => `Could not list ${failed.name}: ${failed.message}`).join(" ")} The list shows the other projects.{" "}
          <Link prefetch={false} href={href(browseSearchParams(query))} className="underline">
            Try again
          </Link>
        </Notice>
      ) : null}

      {page ? (
        <section aria-labelledby="results-heading" className="space-y-2">
          <h2 id="results-heading" className="text-sm text-muted">
            {page.total === 0 ? "No interactions match." : page.data.length === 0 ? `No rows here: the list has ${countOf(page.total, "interaction")}.` : firstRow === lastRow ? `${firstRow.toLocaleString("en-US")} of ${countOf(page.total, "interaction")}` : `${firstRow.toLocaleString("en-US")}–${lastRow.toLocaleString("en-US")} of ${countOf(page.total, "interaction")}`}
            {result?.cache === "STALE" ? " (cached copy: Nebuly is unavailable)" : ""}
          </h2>
          <InteractionList
            rows={rows}
            hrefOf={listLinks({ kind: "browse", query }, query.offset)}
            label="Interactions"
            empty={
              query.offset > 0 ? (
                <Link prefetch={false} href={href(browseSearchParams(query, { offset: 0 }))} className="underline">
                  Back to the first page
                </Link>
              ) : merged || projects.length < 2 ? (
                "Try a longer time range or fewer filters."
              ) : (
                <>
                  Try a longer time range, fewer filters, or{" "}
                  <Link prefetch={false} href={href(browseSearchParams(query, { offset: 0, projects: [] }))} className="underline">
                    all projects
                  </Link>
                  .
                </>
              )
            }
          />
          <Pager
            previous={query.offset > 0 ? { href: href(browseSearchParams(query, { offset: Math.max(0, query.offset - query.limit) })), label: "Previous", rel: "prev" } : null}
            next={query.offset + query.limit < page.total && !mergedEnd ? { href: href(browseSearchParams(query, { offset: query.offset + query.limit })), label: "Next", rel: "next" } : null}
          />
          {mergedEnd && query.offset + query.limit < page.total ? (
            <p className="text-sm text-muted">
              All projects together show only the newest {MERGED_ROWS_MAX.toLocaleString("en-US")} interactions. Pick a project above to page further.
            </p>
          ) : null}
        </section>
      ) : null}
    </div>
  );
}
