import type { Metadata } from "next";
import Link from "next/link";
import { LocalTime } from "@/app/_components/local-time";
import { Pager } from "@/app/_components/pager";
import { toUrlSearchParams } from "@/app/_components/search-params";
import {
  AUDIT_ACTION_LABELS,
  AUDIT_ACTIONS,
  AUDIT_PAGE_DEFAULT,
  AUDIT_RETENTION_DAYS,
  auditActors,
  isAuditAction,
  listAuditEvents,
  parseAuditQuery,
  type AuditEvent,
  type AuditQuery,
} from "@/lib/audit";
import { requestViewer } from "@/lib/access/request-viewer";
import { isAppError } from "@/lib/errors";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Audit log" };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const FILTERS = ["action", "actor", "target", "from", "to", "limit"];

/** This page's address with other paging, the filters kept. */
function pageHref(params: URLSearchParams, cursor: string | null, direction: "older" | "newer" = "older"): string {
  const next = new URLSearchParams();
  for (const [key, value] of params) if (FILTERS.includes(key) && value.trim() !== "") next.append(key, value);
  if (cursor) next.set("cursor", cursor);
  if (cursor && direction === "newer") next.set("direction", "newer");
  const query = next.toString();
  return query ? `/audit?${query}` : "/audit";
}

function ActionCell({ event }: { event: AuditEvent }) {
  const detail = event.detail ?? {};
  const facts =
    event.action === "share_link_created"
      ? [typeof detail.expiresIn === "string" ? (detail.expiresIn === "never" ? "never expires" : `expires after ${detail.expiresIn}`) : null, detail.hideSensitive === true ? "sensitive fields hidden" : null]
      : [];
  return (
    <>
      <span className="font-medium">{isAuditAction(event.action) ? AUDIT_ACTION_LABELS[event.action] : event.action}</span>
      {facts.some(Boolean) ? <span className="block text-xs text-muted">{facts.filter(Boolean).join(" · ")}</span> : null}
    </>
  );
}

function TargetCell({ event }: { event: AuditEvent }) {
  const interactionId = typeof event.detail?.interactionId === "string" ? event.detail.interactionId : null;
  if (event.action.startsWith("share_link_") && event.target) {
    return (
      <>
        <Link href={`/shared#link-${encodeURIComponent(event.target)}`} className="font-mono text-xs text-accent underline">
          Link {event.target}
        </Link>
        {interactionId && UUID.test(interactionId) ? (
          <Link prefetch={false} href={`/interactions/${interactionId}`} className="block text-xs text-muted underline hover:text-ink">
            Interaction {interactionId}
          </Link>
        ) : null}
      </>
    );
  }
  if (event.target && UUID.test(event.target)) {
    return (
      <Link prefetch={false} href={`/interactions/${event.target}`} className="font-mono text-xs text-accent underline">
        Interaction {event.target}
      </Link>
    );
  }
  return event.target ? <span className="font-mono text-xs break-all">{event.target}</span> : <span className="text-muted">—</span>;
}

function Filters({ query, actors }: { query: AuditQuery | null; actors: string[] }) {
  const selected = new Set(query?.actions ?? []);
  return (
    <form action="/audit" method="get" role="search" aria-label="Filter the audit log" className="card space-y-3">
      <fieldset>
        <legend className="mb-1 text-xs text-muted">Actions (none ticked: all)</legend>
        <div className="grid grid-cols-1 gap-x-4 gap-y-1 text-sm sm:grid-cols-2 lg:grid-cols-4">
          {AUDIT_ACTIONS.map((action) => (
            <label key={action} className="flex items-center gap-2">
              <input type="checkbox" name="action" value={action} defaultChecked={selected.has(action)} />
              {AUDIT_ACTION_LABELS[action]}
            </label>
          ))}
        </div>
      </fieldset>
      <div className="grid gap-3 sm:grid-cols-2 lg:grid-cols-4">
        <label className="text-sm">
          <span className="mb-1 block text-xs text-muted">Who</span>
          <input type="text" name="actor" list="audit-actors" defaultValue={query?.actor ?? ""} className="field w-full" />
          <datalist id="audit-actors">
            {actors.map((actor) => (
              <option key={actor} value={actor} />
            ))}
          </datalist>
        </label>
        <label className="text-sm">
          <span className="mb-1 block text-xs text-muted">Target (link or interaction id)</span>
          <input type="text" name="target" defaultValue={query?.target ?? ""} className="field w-full" />
        </label>
        <label className="text-sm">
          <span className="mb-1 block text-xs text-muted">From (UTC day)</span>
          <input type="date" name="from" defaultValue={query?.from?.toISOString().slice(0, 10) ?? ""} className="field w-full" />
        </label>
        <label className="text-sm">
          <span className="mb-1 block text-xs text-muted">To (UTC day)</span>
          <input type="date" name="to" defaultValue={query?.to?.toISOString().slice(0, 10) ?? ""} className="field w-full" />
        </label>
      </div>
      {query && query.limit !== AUDIT_PAGE_DEFAULT ? <input type="hidden" name="limit" value={query.limit} /> : null}
      <div className="flex items-center gap-2">
        <button type="submit" className="btn btn-primary">
          Filter
        </button>
        <Link href="/audit" className="btn">
          Clear
        </Link>
      </div>
    </form>
  );
}

export default async function AuditPage({ searchParams }: PageProps<"/audit">) {
  const params = toUrlSearchParams(await searchParams);
  let query: AuditQuery | null = null;
  let queryError: string | null = null;
  try {
    query = parseAuditQuery(params);
  } catch (error) {
    if (!isAppError(error)) throw error;
    queryError = error.message;
  }
  const viewer = await requestViewer();
  const page = query ? await listAuditEvents(query, viewer) : null;
  const filtered = !!query && (query.actions.length > 0 || query.actor !== null || query.target !== null || query.from !== null || query.to !== null);

  return (
    <div className="space-y-4">
      <div>
        <h1 className="text-xl font-semibold tracking-tight">Audit log</h1>
        <p className="text-sm text-muted">
          Who signed in or out, and who created, opened or revoked share links or refreshed an interaction — when, and from which client. Kept for{" "}
          {AUDIT_RETENTION_DAYS} days.
        </p>
      </div>

      {queryError ? (
        <p role="alert" className="rounded-md border border-red-600/40 bg-red-50 px-3 py-2 text-sm text-red-900 dark:bg-red-500/10 dark:text-red-100">
          This address has a problem — {queryError}.{" "}
          <Link href="/audit" className="underline">
            Show the whole log
          </Link>
        </p>
      ) : null}

      <Filters query={query} actors={await auditActors(viewer)} />

      {page ? (
        <section aria-labelledby="audit-results" className="space-y-2">
          <h2 id="audit-results" className="text-sm text-muted">
            {page.events.length === 0 ? "No events." : `${page.events.length} ${page.events.length === 1 ? "event" : "events"}, newest first`}
          </h2>
          {page.events.length === 0 ? (
            <p className="card text-sm text-muted">
              {filtered || query?.cursor
                ? "No events match these filters."
                : `Nothing has been recorded yet. Sign-ins (and failed attempts), sign-outs, share links created, viewed and revoked, and interaction refreshes will appear here, with who did it and from which client, for ${AUDIT_RETENTION_DAYS} days.`}
            </p>
          ) : (
            <div className="overflow-x-auto rounded-lg border border-line bg-surface">
              <table className="w-full text-left text-sm">
                <caption className="sr-only">Audit events, newest first</caption>
                <thead className="bg-sunken text-xs uppercase tracking-wide text-muted">
                  <tr>
                    {/* On a phone, "when" moves under the action and the client under who: three columns fit 375 px. */}
                    <th scope="col" className="hidden px-3 py-2 sm:table-cell">When</th>
                    <th scope="col" className="px-3 py-2">Action</th>
                    <th scope="col" className="px-3 py-2">Who</th>
                    <th scope="col" className="hidden px-3 py-2 sm:table-cell">Client</th>
                    <th scope="col" className="px-3 py-2">Target</th>
                  </tr>
                </thead>
                <tbody className="divide-y divide-line">
                  {page.events.map((event) => (
                    <tr key={event.id} data-audit-action={event.action}>
                      <td className="hidden px-3 py-2 whitespace-nowrap sm:table-cell">
                        <LocalTime iso={event.at} />
                      </td>
                      <td className="px-3 py-2">
                        <ActionCell event={event} />
                        <LocalTime iso={event.at} className="block text-xs text-muted sm:hidden" />
                      </td>
                      <td className="px-3 py-2 break-words">
                        {event.actor ?? <span className="text-muted">Anonymous</span>}
                        {event.client ? <span className="block font-mono text-xs text-muted sm:hidden">{event.client}</span> : null}
                      </td>
                      <td className="hidden px-3 py-2 font-mono text-xs sm:table-cell">{event.client ?? <span className="text-muted">—</span>}</td>
                      <td className="max-w-xs px-3 py-2 break-all">
                        <TargetCell event={event} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          <Pager
            previous={
              page.prevCursor
                ? { href: pageHref(params, page.prevCursor, "newer"), label: "Newer", rel: "prev" }
                : query?.cursor
                  ? { href: pageHref(params, null), label: "Newest" }
                  : null
            }
            next={page.nextCursor ? { href: pageHref(params, page.nextCursor), label: "Older", rel: "next" } : null}
          />
        </section>
      ) : null}
    </div>
  );
}
