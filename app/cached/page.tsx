import type { Metadata } from "next";
import Link from "next/link";
import { z } from "zod";
import { InteractionList } from "@/app/_components/interaction-list";
import { toUrlSearchParams } from "@/app/_components/search-params";
import { cachedInteractions } from "@/lib/interactions";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Cached interactions" };

const PAGE_SIZE = 25;
const text = z.string().trim().max(500).optional().catch(undefined);

const searchSchema = z.object({
  q: text,
  user: text,
  topic: text,
  sentiment: text,
  feedback_type: text,
  sort: z.enum(["time", "viewed"]).catch("time"),
  page: z.coerce.number().int().min(1).max(10_000).catch(1),
});

type Search = z.infer<typeof searchSchema>;

function href(search: Search, changes: Partial<Search>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries({ ...search, ...changes })) {
    if (value === undefined || value === "" || (key === "sort" && value === "time") || (key === "page" && value === 1)) continue;
    params.set(key, String(value));
  }
  const query = params.toString();
  return query ? `/cached?${query}` : "/cached";
}

function Select({ name, label, value, options }: { name: string; label: string; value?: string; options: string[] }) {
  return (
    <label className="text-sm">
      <span className="mb-1 block text-xs text-muted">{label}</span>
      <select name={name} defaultValue={value ?? ""} className="field w-full">
        <option value="">Any</option>
        {options.map((option) => (
          <option key={option} value={option}>
            {option}
          </option>
        ))}
      </select>
    </label>
  );
}

export default async function CachedPage({ searchParams }: PageProps<"/cached">) {
  const raw = Object.fromEntries(toUrlSearchParams(await searchParams));
  const search = searchSchema.parse(raw);
  const facets = cachedInteractions.facets();
  const { items, hasMore } = cachedInteractions.search({
    text: search.q,
    user: search.user,
    topic: search.topic,
    sentiment: search.sentiment,
    feedbackType: search.feedback_type,
    sort: search.sort,
    limit: PAGE_SIZE,
    offset: (search.page - 1) * PAGE_SIZE,
  });

  return (
    <div className="space-y-4">
      <div>
        <h1 className="text-xl font-semibold tracking-tight">Cached interactions</h1>
        <p className="text-sm text-muted">Every interaction opened on this instance, searchable here even when Nebuly is down.</p>
      </div>

      <form action="/cached" method="get" role="search" className="card grid gap-3 sm:grid-cols-2 lg:grid-cols-6">
        <label className="text-sm sm:col-span-2">
          <span className="mb-1 block text-xs text-muted">Search inputs, outputs and queries</span>
          <input type="search" name="q" defaultValue={search.q ?? ""} className="field w-full" />
        </label>
        <label className="text-sm">
          <span className="mb-1 block text-xs text-muted">User</span>
          <input type="text" name="user" defaultValue={search.user ?? ""} className="field w-full" />
        </label>
        <Select name="topic" label="Topic" value={search.topic} options={facets.topics} />
        <Select name="sentiment" label="Sentiment" value={search.sentiment} options={facets.sentiments} />
        <Select name="feedback_type" label="Feedback" value={search.feedback_type} options={facets.feedbackTypes} />
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
      </form>

      <section aria-labelledby="cached-results" className="space-y-2">
        <h2 id="cached-results" className="text-sm text-muted">
          {items.length === 0 ? "Nothing matches." : `Page ${search.page}: ${(search.page - 1) * PAGE_SIZE + 1}–${(search.page - 1) * PAGE_SIZE + items.length}`}
        </h2>
        <InteractionList rows={items} label="Cached interactions" empty="Open interactions to cache them here, or search for fewer words." />
        <nav aria-label="Pages" className="flex items-center justify-between gap-2">
          {search.page > 1 ? (
            <Link className="btn" href={href(search, { page: search.page - 1 })} rel="prev">
              ← Previous
            </Link>
          ) : (
            <span />
          )}
          {hasMore ? (
            <Link className="btn" href={href(search, { page: search.page + 1 })} rel="next">
              Next →
            </Link>
          ) : null}
        </nav>
      </section>
    </div>
  );
}
