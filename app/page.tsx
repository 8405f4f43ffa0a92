import type { Metadata } from "next";
import Link from "next/link";
import { InteractionList, listRowOf } from "@/app/_components/interaction-list";
import { OpenForm, type OpenFormProblem } from "@/app/_components/open-form";
import { appInfo } from "@/lib/app-info";
import { toAppError } from "@/lib/errors";
import { requestViewer } from "@/lib/access/request-viewer";
import { browseInteractions, cachedInteractions, type BrowsePage } from "@/lib/interactions";
import { projectNameOf } from "@/lib/projects";
import { labelsForList, labelsForVisible } from "@/lib/labels";
import { parseBrowseQuery, type BrowseQuery } from "@/lib/interactions/browse-query";
import { listLinks } from "@/lib/interactions/list-context";
import { interactionPath, parseOpenTarget } from "@/lib/interactions/open-target";
import { Notice } from "@/app/_components/notice";

export const dynamic = "force-dynamic";

export const metadata: Metadata = { title: { absolute: "Interaction Inspector" } };

const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

function problemOf(value: string | undefined): OpenFormProblem | undefined {
  return value === "invalid" || value === "too_long" ? value : undefined;
}

/** /open sends a link holding several ids, none marked and none cached, here to let the person pick. */
async function IdChoice({ text }: { text: string }) {
  const target = parseOpenTarget(text);
  if (target.kind !== "several") return null;
  const cached = await cachedInteractions.summaries(target.ids, await requestViewer());
  return (
    <Notice tone="info" role="status">
      <p id="id-choice-heading">This link holds {target.ids.length} ids and nothing in it says which one is the interaction. Open one:</p>
      <ul aria-labelledby="id-choice-heading" className="mt-2 space-y-1">
        {target.ids.map((id) => {
          const summary = cached.get(id);
          return (
            <li key={id} className="flex flex-wrap items-baseline gap-x-2">
              {/* No prefetch: each would ask Nebuly for an id that may be a project's. */}
              <Link href={interactionPath(id, target.turn)} prefetch={false} className="font-mono text-accent underline">
                {id}
              </Link>
              <span className="text-muted">{summary ? `cached: ${summary.title ?? "an interaction"}` : "not cached here"}</span>
            </li>
          );
        })}
      </ul>
    </Notice>
  );
}

export default async function HomePage({ searchParams }: PageProps<"/">) {
  const params = await searchParams;
  const { demo } = appInfo();
  const viewer = await requestViewer();
  const viewed = await cachedInteractions.recentlyViewed(viewer, 10);
  const viewedLabels = await labelsForList(viewed.map((item) => item.id));
  const recent = viewed.map((item) => ({ ...item, project: projectNameOf(item.projectSlug), labels: viewedLabels.get(item.id) }));
  let latest: BrowsePage | null = null;
  let latestError: string | null = null;
  const latestQuery: BrowseQuery = parseBrowseQuery(new URLSearchParams("range=7d&limit=10"));
  try {
    latest = await browseInteractions(latestQuery, viewer);
  } catch (error) {
    latestError = toAppError(error).message;
  }
  const latestLabels = await labelsForVisible(latest?.page.data.map((item) => item.id) ?? [], viewer);

  return (
    <div className="space-y-6">
      <section aria-labelledby="open-heading" className="card space-y-3">
        <h1 id="open-heading" className="text-xl font-semibold tracking-tight">
          Read an interaction
        </h1>
        <OpenForm initialValue={first(params.q) ?? ""} problem={problemOf(first(params.open))} />
        {first(params.open) === "choose" ? <IdChoice text={first(params.q) ?? ""} /> : null}
        {demo ? (
          <p className="text-sm text-muted">
            You are looking at bundled demo data, split into two demo projects. Set <code className="font-mono">NEBULY_API_KEY</code> on the server to read your own project, or{" "}
            <code className="font-mono">NEBULY_PROJECTS</code> to read several.
          </p>
        ) : null}
      </section>

      <div className="grid gap-6 lg:grid-cols-2">
        <section aria-labelledby="recent-heading" className="space-y-2">
          <div className="flex items-baseline justify-between gap-2">
            <h2 id="recent-heading" className="text-base font-semibold">
              Recently viewed
            </h2>
            <Link href="/cached?sort=viewed" className="text-sm text-accent underline">
              All cached
            </Link>
          </div>
          <InteractionList
            rows={recent}
            // Recently viewed reorders as it is read: its rows travel as a batch (lib/interactions/list-context.ts).
            hrefOf={listLinks({ kind: "batch", source: "recent", ids: recent.map((item) => item.id) })}
            label="Recently viewed interactions" empty="Nothing opened on this instance yet. Interactions you open appear here, and stay readable when Nebuly is down." />
        </section>

        <section aria-labelledby="latest-heading" className="space-y-2">
          <div className="flex items-baseline justify-between gap-2">
            <h2 id="latest-heading" className="text-base font-semibold">
              Latest <span className="text-sm font-normal text-muted">(last 7 days)</span>
            </h2>
            <Link prefetch={false} href="/interactions" className="text-sm text-accent underline">
              Browse all
            </Link>
          </div>
          {latestError ? (
            <Notice tone="warning" role="status">
              Could not load the latest interactions: {latestError}
            </Notice>
          ) : (
            <InteractionList
              rows={(latest?.page.data ?? []).map((item) => ({ ...listRowOf(item), project: projectNameOf(latest?.projectOf[item.id]), labels: latestLabels.get(item.id) }))}
              hrefOf={listLinks({ kind: "browse", query: latestQuery })}
              label="Latest interactions"
              empty="No interactions in the last 7 days."
            />
          )}
        </section>
      </div>
    </div>
  );
}
