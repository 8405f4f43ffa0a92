import type { Metadata } from "next";
import Link from "next/link";
import { z } from "zod";
import { Pager } from "@/app/_components/pager";
import { toUrlSearchParams } from "@/app/_components/search-params";
import { requestClient, requestViewer } from "@/lib/access/request-viewer";
import { cachedInteractions, COUNT_LIMIT } from "@/lib/interactions";
import { CACHED_PAGE_SIZE, listLinks, type ListContext } from "@/lib/interactions/list-context";
import { summaryOf, visibleProjects } from "@/lib/projects";
import { Notice } from "@/app/_components/notice";
import { CachedResults } from "./cached-results";
import { labelsForList, listLabels } from "@/lib/labels";
import { labelNameKey, tidyLabelName } from "@/lib/labels/names";
import { feedbackLabel } from "./feedback-label";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Cached interactions" };

const PAGE_SIZE = CACHED_PAGE_SIZE;
/**
 * Pages go up to the first COUNT_LIMIT matches: reading deeper costs a walk past every row before
 * it (seconds on a large cache), for results nobody pages to. A narrower search shows the rest.
 */
const LAST_PAGE = Math.ceil(COUNT_LIMIT / PAGE_SIZE);
const text = z.string().trim().max(500).optional().catch(undefined);

const searchSchema = z.object({
  // No length limit here: the search itself reads what it can and says what it left out.
  q: z.string().trim().optional().catch(undefined),
  user: text,
  topic: text,
  sentiment: text,
  feedback_type: text,
  project: text,
  sort: z.enum(["time", "viewed"]).catch("time"),
  // Past the last page that can be read, the last one (the count stops at COUNT_LIMIT too).
  page: z.coerce.number().int().min(1).catch(1).transform((page) => Math.min(page, LAST_PAGE)),
});

/** Label filters: `label` (repeatable) must all be on a row, `-label` none of them; by name, as the chips show it. */
interface LabelFilters {
  label: string[];
  "-label": string[];
}

type Search = z.infer<typeof searchSchema> & LabelFilters;

/** At most this many label filters of each kind are read; names longer than any label's match nothing anyway. */
const LABEL_FILTERS_MAX = 20;

function labelFilters(params: URLSearchParams, name: keyof LabelFilters): string[] {
  const names = params.getAll(name).map((value) => tidyLabelName(value.slice(0, 200))).filter(Boolean);
  return [...new Set(names)].slice(0, LABEL_FILTERS_MAX);
}

function href(search: Search, changes: Partial<Search>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries({ ...search, ...changes })) {
    if (value === undefined || value === "" || (key === "sort" && value === "time") || (key === "page" && value === 1)) continue;
    if (Array.isArray(value)) for (const item of value) params.append(key, item);
    else params.set(key, String(value));
  }
  const query = params.toString();
  return query ? `/cached?${query}` : "/cached";
}

function Select({ name, label, value, options }: { name: string; label: string; value?: string; options: { value: string; label: string }[] }) {
  return (
    <label className="text-sm">
      <span className="mb-1 block text-xs text-muted">{label}</span>
      <select name={name} defaultValue={value ?? ""} className="field w-full">
        <option value="">Any</option>
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    </label>
  );
}

const asOptions = (values: string[], label: (value: string) => string = (value) => value) => values.map((value) => ({ value, label: label(value) }));

function shorten(typed: string): string {
  const chars = Array.from(typed.slice(0, 200));
  return chars.length > 60 ? `${chars.slice(0, 60).join("")}…` : chars.join("");
}

export default async function CachedPage({ searchParams }: PageProps<"/cached">) {
  const urlParams = toUrlSearchParams(await searchParams);
  const raw = Object.fromEntries(urlParams);
  const search: Search = { ...searchSchema.parse(raw), label: labelFilters(urlParams, "label"), "-label": labelFilters(urlParams, "-label") };
  const viewer = await requestViewer();
  const projects = visibleProjects(viewer).map(summaryOf);
  const facets = await cachedInteractions.facets(viewer);
  const result = await cachedInteractions.search(
    {
    text: search.q,
    user: search.user,
    topic: search.topic,
    sentiment: search.sentiment,
    feedbackType: search.feedback_type,
    labels: search.label.map(labelNameKey),
    excludeLabels: search["-label"].map(labelNameKey),
    sort: search.sort,
    limit: PAGE_SIZE,
    offset: (search.page - 1) * PAGE_SIZE,
    },
    viewer,
    await requestClient(),
    // A project the viewer may not see (or that does not exist) simply matches nothing.
    search.project ? [search.project] : [],
  );
  const { items, hasMore, reading } = result;
  const [labels, allLabels] = await Promise.all([labelsForList(items.map((item) => item.id)), listLabels(viewer)]);
  const labelOptions = allLabels.filter((label) => !search.label.includes(label.name) && !search["-label"].includes(label.name));
  // A slug that is not one of the viewer's projects (hidden or made up alike) is said plainly.
  const unknownProject = search.project && !projects.some((project) => project.slug === search.project) ? search.project : null;
  const narrowed = Boolean(search.q || search.user || search.topic || search.sentiment || search.feedback_type || search.project || search.sort === "viewed" || search.label.length || search["-label"].length);
  const total = `${result.count.toLocaleString("en-US")}${result.countIsLimit ? "+" : ""}`;
  const first = (search.page - 1) * PAGE_SIZE + 1;
  // Each row carries this list, so its page can go on to the next. In "Last viewed" order the list
  // reorders as it is read (opening a row moves it to the top): the rows shown are kept as a batch.
  const list: ListContext =
    search.sort === "viewed"
      ? { kind: "batch", source: "cached-viewed", ids: items.map((item) => item.id) }
      : {
          kind: "cached",
          search: {
            q: search.q,
            user: search.user,
            topic: search.topic,
            sentiment: search.sentiment,
            feedback_type: search.feedback_type,
            project: search.project,
            ...(search.label.length && { label: search.label }),
            ...(search["-label"].length && { "-label": search["-label"] }),
          },
        };
  const hrefOf = listLinks(list, search.sort === "viewed" ? 0 : first - 1);

  let heading: string;
  if (result.unanswered) heading = "This search was not answered";
  else if (reading?.nothingToSearch) heading = `Nothing to search for in “${shorten(search.q ?? "")}”`;
  else if (result.count === 0) heading = "Nothing matches.";
  else if (!narrowed) heading = `${total} cached ${result.count === 1 ? "interaction" : "interactions"}`;
  else heading = `${total} ${result.count === 1 && !result.countIsLimit ? "interaction matches" : "interactions match"}`;

  return (
    <div className="space-y-4">
      <div>
        <h1 className="text-xl font-semibold tracking-tight">Cached interactions</h1>
        <p className="text-sm text-muted">Every interaction opened on this instance, searchable here even when Nebuly is down.</p>
      </div>

      <form action="/cached" method="get" role="search" className="card grid gap-3 sm:grid-cols-2 lg:grid-cols-6">
        <label className="text-sm sm:col-span-2">
          <span className="mb-1 block text-xs text-muted">Search inputs, outputs and queries</span>
          <input type="search" name="q" defaultValue={search.q ?? ""} aria-describedby="search-help" className="field w-full" />
        </label>
        <label className="text-sm">
          <span className="mb-1 block text-xs text-muted">User</span>
          <input type="text" name="user" defaultValue={search.user ?? ""} className="field w-full" />
        </label>
        {projects.length > 1 ? (
          <Select name="project" label="Project" value={search.project} options={projects.map((project) => ({ value: project.slug, label: project.name }))} />
        ) : null}
        <Select name="topic" label="Topic" value={search.topic} options={asOptions(facets.topics)} />
        <Select name="sentiment" label="Sentiment" value={search.sentiment} options={asOptions(facets.sentiments)} />
        <Select name="feedback_type" label="Feedback" value={search.feedback_type} options={asOptions(facets.feedbackTypes, feedbackLabel)} />
        {/* Label filters already chosen ride along; the select adds one more. */}
        {search.label.map((name) => (
          <input key={`label-${name}`} type="hidden" name="label" value={name} />
        ))}
        {search["-label"].map((name) => (
          <input key={`-label-${name}`} type="hidden" name="-label" value={name} />
        ))}
        <Select name="label" label={search.label.length ? "Also labelled" : "Label"} options={labelOptions.map((label) => ({ value: label.name, label: label.name }))} />
        <Select name="-label" label="Without label" options={labelOptions.map((label) => ({ value: label.name, label: label.name }))} />
        <label className="text-sm">
          <span className="mb-1 block text-xs text-muted">Sort by</span>
          <select name="sort" defaultValue={search.sort} className="field w-full">
            <option value="time">Interaction time</option>
            <option value="viewed">Last viewed</option>
          </select>
        </label>
        <div className="flex items-end gap-2">
          <button type="submit" className="btn btn-primary">
            Search
          </button>
          <Link href="/cached" className="btn">
            Clear
          </Link>
        </div>
        <p id="search-help" className="text-xs text-muted sm:col-span-2 lg:col-span-6">
          Finds every word, whole or inside longer words (3 or more characters; 2 in Chinese, Japanese, Korean or Thai). Whole words come
          first, then matches inside words, each newest first. Use <code>&quot;exact phrase&quot;</code>, <code>refund OR chargeback</code>,
          and <code>-word</code> or <code>NOT word</code> to leave a word out.
        </p>
      </form>

      {search.label.length || search["-label"].length ? (
        <ul aria-label="Label filters" className="flex flex-wrap gap-2 text-sm">
          {(["label", "-label"] as const).flatMap((kind) =>
            search[kind].map((name) => (
              <li key={`${kind}:${name}`}>
                <Link href={href(search, { [kind]: search[kind].filter((other) => other !== name), page: 1 })} className="btn py-0.5 text-xs">
                  <span className="max-w-[16rem] truncate">{`${kind === "label" ? "Labelled" : "Not labelled"} “${name}”`}</span>
                  <span aria-hidden="true"> ×</span>
                  <span className="sr-only"> (remove this filter)</span>
                </Link>
              </li>
            )),
          )}
        </ul>
      ) : null}

      {unknownProject ? (
        <Notice tone="warning" role="alert">
          There is no project “{shorten(unknownProject)}” on this inspector, so nothing matches.{" "}
          <Link href={href(search, { project: undefined, page: 1 })} className="underline">
            Search every project
          </Link>
        </Notice>
      ) : null}

      {result.unanswered ? (
        <Notice tone="warning" role="alert">
          {result.unanswered === "busy"
            ? "Too many searches are running on this inspector right now, so this one was not started."
            : "This search took too long and was stopped. Add a word, a filter or a project to narrow it."}{" "}
          <Link href={href(search, {})} className="underline">
            Search again
          </Link>
        </Notice>
      ) : null}

      {reading?.notes.length && !reading.nothingToSearch ? (
        <ul aria-label="How the search was read" className="space-y-1 text-sm text-muted">
          {reading.notes.map((note, index) => (
            <li key={index}>{note}</li>
          ))}
        </ul>
      ) : null}

      <section aria-labelledby="cached-results" className="space-y-2">
        <div className="flex flex-wrap items-baseline justify-between gap-x-3">
          <h2 id="cached-results" className="text-sm font-medium">
            {heading}
          </h2>
          {items.length ? (
            <p className="text-xs text-muted">
              Showing {first.toLocaleString("en-US")}–{(first + items.length - 1).toLocaleString("en-US")}
            </p>
          ) : null}
        </div>
        {result.unanswered ? null : reading?.nothingToSearch ? (
          <p className="text-sm text-muted">Type a word or two: quotes, *, -, OR, NOT or emoji on their own are not searched.</p>
        ) : (
          <CachedResults items={items} labels={labels} hrefOf={hrefOf} empty="Open interactions to cache them here, or search for fewer words." />
        )}
        <Pager
          previous={search.page > 1 ? { href: href(search, { page: search.page - 1 }), label: "Previous", rel: "prev" } : null}
          next={hasMore && search.page < LAST_PAGE ? { href: href(search, { page: search.page + 1 }), label: "Next", rel: "next" } : null}
        />
        {hasMore && search.page >= LAST_PAGE ? (
          <p className="text-sm text-muted">Only the first {COUNT_LIMIT.toLocaleString("en-US")} matches can be paged through: add a word or a filter to see the others.</p>
        ) : null}
      </section>
    </div>
  );
}
