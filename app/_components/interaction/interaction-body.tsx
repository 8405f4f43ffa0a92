import type { Metadata } from "next";
import type { ReactNode } from "react";
import { appInfo } from "@/lib/app-info";
import { snapshotKey } from "@/lib/render/message";
import { truncate, type InteractionView } from "@/lib/render/interaction-view";
import { AnalysisPanel } from "./analysis-panel";
import { Conversation } from "./conversation";
import { FeedbackPanel } from "./feedback-panel";
import { InteractionEnhancer } from "./interaction-enhancer";
import { InteractionHeader } from "./interaction-header";
import { RawPanel } from "./raw-panel";
import { ShortcutsDialog } from "./shortcuts-dialog";
import { SourcesPanel } from "./sources-panel";

// Shared by the interaction page and the share view. It imports no server action (the page
// passes its controls in), so the share view bundles none.

function summaryOf(view: InteractionView): string {
  const parts = [
    view.sentiment && `Sentiment: ${view.sentiment}`,
    view.feedback.type && `Feedback: ${view.feedback.type.raw.replace(/_/g, " ")}`,
    view.feedback.rating && `rated ${view.feedback.rating.value}/${view.feedback.rating.scale}`,
    view.topic && `Topic: ${view.topic}`,
    `${view.turns.length} ${view.turns.length === 1 ? "turn" : "turns"}`,
  ].filter(Boolean);
  return parts.join(" · ");
}

/** Title and unfurl card (Open Graph, Twitter) describing an interaction view. */
export function metadataFor(view: InteractionView, projectName: string | null = null): Metadata {
  const title = truncate(view.title, 70);
  const description = projectName ? `${projectName} · ${summaryOf(view)}` : summaryOf(view);
  return {
    title,
    description,
    robots: { index: false, follow: false },
    openGraph: { title, description, type: "article", siteName: "Interaction Inspector" },
    twitter: { card: "summary", title, description },
  };
}

/**
 * The interaction itself. "shared" is the read-only view behind a share link: no refresh, no
 * sharing or raw-data controls (they need a session), every turn formatted on the server.
 * It takes the view, never the stored body: what is not in the view cannot reach the page.
 * `controls` are the page's own actions (refresh, share); a share view passes none. `footer` goes
 * below everything (the page's Forget control).
 */
export function InteractionBody({
  view,
  fetchedAt,
  mode,
  redacted = false,
  notice,
  listNavigation,
  controls,
  labels,
  footer,
  notes,
  projectName = null,
  projectSlug = null,
}: {
  view: InteractionView;
  fetchedAt: Date;
  mode: "full" | "shared";
  /** A hidden share's view: kept apart in the conversation's render cache. */
  redacted?: boolean;
  notice?: ReactNode;
  /** Previous/Next through the list the page was opened from (the page only; never a share view). */
  listNavigation?: ReactNode;
  controls?: ReactNode;
  /** The interaction's labels under the header: the picker on the page, plain chips on a share view. */
  labels?: ReactNode;
  footer?: ReactNode;
  /** The team's notes (the page passes them; a share view never does: notes are the team's, not the reader's). */
  notes?: ReactNode;
  /** The project's name when the inspector serves several (null: one project, or hidden by the sharer). */
  projectName?: string | null;
  /** The project's slug when the inspector serves several: value links stay within it. */
  projectSlug?: string | null;
}) {
  const { demo } = appInfo();
  const shared = mode === "shared";
  const browse = shared ? null : { project: projectSlug };
  return (
    <div className="space-y-4">
      {listNavigation}
      {notice}
      <InteractionHeader view={view} fetchedAt={fetchedAt} demo={demo} mode={mode} redacted={redacted} controls={controls} projectName={projectName} browse={browse} />
      {labels}
      <div className="grid gap-4 lg:grid-cols-[minmax(0,1fr)_22rem]">
        <div className="min-w-0 space-y-4">
          <Conversation view={view} snapshotKey={`${snapshotKey(view.id, fetchedAt)}${redacted ? ":redacted" : ""}`} shared={shared} />
          {shared ? null : notes}
        </div>
        <aside aria-label="Feedback and analysis" className="space-y-4 lg:sticky lg:top-16 lg:max-h-[calc(100vh-5rem)] lg:self-start lg:overflow-y-auto">
          <FeedbackPanel feedback={view.feedback} />
          <AnalysisPanel view={view} browse={browse} redacted={redacted} />
          {shared && view.sources.length === 0 ? null : <SourcesPanel sources={view.sources} />}
        </aside>
      </div>
      {shared ? null : <RawPanel id={view.id} />}
      {footer}
      <ShortcutsDialog />
      <InteractionEnhancer />
    </div>
  );
}
