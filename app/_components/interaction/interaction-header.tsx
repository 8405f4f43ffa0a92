import type { ReactNode } from "react";
import { AlertTriangle, Link2, ShieldAlert, ShieldCheck } from "lucide-react";
import { LocalTime } from "@/app/_components/local-time";
import { Notice } from "@/app/_components/notice";
import { Badge, sentimentTone } from "@/app/_components/badge";
import { formatCost, formatLatency, parseTimestamp } from "@/lib/format";
import type { InteractionView } from "@/lib/render/interaction-view";
import { BrowseValueLink, type BrowseLinks } from "./browse-value-link";
import { Field } from "./section";
import { ACTION, ATTR } from "@/lib/render/dom-contract";

function Time({ value }: { value: string | null }) {
  if (!value) return <span className="text-muted">—</span>;
  const date = parseTimestamp(value);
  return date ? <LocalTime iso={date.toISOString()} relative /> : <span>{value}</span>;
}

/**
 * `controls` are the page's own actions (refresh, share). The share view passes none: it must not
 * bundle a server action, because anyone may post to a share view's address.
 */
/** A field a hidden share leaves out: "hidden", so a reader does not take it for "none". */
export const hiddenBySharer = <span className="text-muted italic">hidden by the sharer</span>;

export function InteractionHeader({
  view,
  fetchedAt,
  demo,
  mode,
  redacted = false,
  controls,
  projectName = null,
  browse = null,
}: {
  view: InteractionView;
  fetchedAt: Date;
  demo: boolean;
  mode: "full" | "shared";
  /** A hidden share: its user, project and conversation were removed, not absent. */
  redacted?: boolean;
  controls?: ReactNode;
  projectName?: string | null;
  browse?: BrowseLinks;
}) {
  const none = redacted ? hiddenBySharer : <span className="text-muted">—</span>;
  const latency = formatLatency(view.latencySeconds);
  const cost = formatCost(view.cost);
  return (
    <>
      {/*
        The compact header: one line that stays at the top of the screen, so Copy link, Refresh and
        Share are at hand wherever the reader is in a long conversation. Its title appears once the
        page's own title has scrolled away (the enhancer watches it). Positioned, so popovers in
        `controls` (Share) are placed against it and fit a phone.
      */}
      <div {...{ [ATTR.stickyHeader]: "" }} className="sticky-header">
        {/* The h1 below is the title for assistive technology; this is its visible echo. */}
        <p aria-hidden="true" className="sticky-title">
          {projectName ? <span className="sticky-project">{projectName} · </span> : null}
          {view.title}
        </p>
        <div className="flex shrink-0 items-center gap-2">
          <button type="button" className="btn" {...{ [ATTR.action]: ACTION.copyUrl }} aria-label="Copy link to this interaction">
            <Link2 aria-hidden="true" className="size-4" />
            <span className="btn-label">Copy link</span>
          </button>
          {controls}
        </div>
      </div>
      <header className="card space-y-4">
        <div className="min-w-0">
          <p className="mb-1 flex flex-wrap items-center gap-2 text-xs text-muted">
            {projectName ? (
              <Badge tone="info" title="The Nebuly project this interaction belongs to">
                {projectName}
              </Badge>
            ) : null}
            <span className="font-mono break-all">Interaction {view.id}</span>
            {demo ? <Badge tone="warning" title="NEBULY_API_KEY is not set: this is bundled demo data.">Demo data</Badge> : null}
          </p>
          <h1 className="line-clamp-4 text-xl font-semibold leading-snug tracking-tight break-words sm:text-2xl">{view.title}</h1>
        </div>

        <div className="flex flex-wrap gap-1.5">
          {view.sentiment ? <Badge tone={sentimentTone(view.sentiment)}>Sentiment: {view.sentiment}</Badge> : null}
          {view.riskyBehavior.length ? (
            <Badge tone="danger">
              <ShieldAlert aria-hidden="true" className="size-3.5" />
              Risky: {view.riskyBehavior.join(", ")}
            </Badge>
          ) : null}
          {view.piiRemoved ? (
            <Badge tone="info" title="Personal data was detected and replaced by placeholders before storage.">
              <ShieldCheck aria-hidden="true" className="size-3.5" />
              PII removed
            </Badge>
          ) : null}
          {view.warningMessage ? (
            <Badge tone="warning">
              <AlertTriangle aria-hidden="true" className="size-3.5" />
              Warning
            </Badge>
          ) : null}
        </div>

        <dl className="grid grid-cols-2 gap-x-6 gap-y-3 text-sm sm:grid-cols-3 lg:grid-cols-4">
          <Field label="Started">
            <Time value={view.timestamp} />
          </Field>
          <Field label="Ended">
            <Time value={view.endTimestamp} />
          </Field>
          <Field label="User">
            {view.user ? (
              <BrowseValueLink filter={{ kind: "user", value: view.user }} browse={browse}>
                {view.user}
              </BrowseValueLink>
            ) : (
              none
            )}
          </Field>
          <Field label="Project">
            {projectName || view.projectId ? (
              <span className="inline-flex flex-wrap items-baseline gap-x-1.5">
                {projectName ? <span>{projectName}</span> : null}
                {view.projectId ? <span className="font-mono text-xs">{view.projectId}</span> : null}
              </span>
            ) : (
              none
            )}
          </Field>
          <Field label="Conversation">
            {view.conversationId ? (
              <span className="inline-flex max-w-full items-center gap-1">
                <span className="truncate font-mono text-xs">{view.conversationId}</span>
                <button
                  type="button"
                  className="icon-btn"
                  {...{ [ATTR.action]: ACTION.copyText, [ATTR.text]: view.conversationId, [ATTR.done]: "Conversation id copied" }}
                  aria-label="Copy conversation id"
                  title="Copy conversation id"
                >
                  <svg aria-hidden="true" viewBox="0 0 24 24" className="size-3.5" fill="none" stroke="currentColor" strokeWidth="2">
                    <rect x="9" y="9" width="13" height="13" rx="2" />
                    <path d="M5 15H4a2 2 0 0 1-2-2V4a2 2 0 0 1 2-2h9a2 2 0 0 1 2 2v1" />
                  </svg>
                </button>
              </span>
            ) : (
              none
            )}
          </Field>
          <Field label="Language">{view.language ?? <span className="text-muted">—</span>}</Field>
          <Field label="Latency">{latency ?? <span className="text-muted">—</span>}</Field>
          <Field label="Cost">{cost ?? <span className="text-muted">—</span>}</Field>
          <Field label="Verbosity">{view.verbosity ?? <span className="text-muted">—</span>}</Field>
          <Field label={mode === "shared" ? "Snapshot taken" : "Fetched"}>
            <LocalTime iso={fetchedAt.toISOString()} relative />
          </Field>
        </dl>

        {view.warningMessage ? (
          <Notice tone="warning">
            <strong>Warning:</strong> {view.warningMessage}
          </Notice>
        ) : null}
      </header>
    </>
  );
}
