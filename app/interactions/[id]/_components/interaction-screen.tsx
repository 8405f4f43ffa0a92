import type { Metadata } from "next";
import { cache, type ReactNode } from "react";
import { appInfo } from "@/lib/app-info";
import { cachedInteractions, loadInteraction, type InteractionSnapshot } from "@/lib/interactions";
import { toInteractionView, truncate, type InteractionView } from "@/lib/interactions/view";
import { snapshotKey } from "@/lib/render/message";
import { AnalysisPanel } from "./analysis-panel";
import { CacheNotice } from "./cache-notice";
import { Conversation } from "./conversation";
import { FeedbackPanel } from "./feedback-panel";
import { InteractionEnhancer } from "./interaction-enhancer";
import { InteractionHeader } from "./interaction-header";
import { InvalidIdView, NotFoundView, UnavailableView } from "./outcome-views";
import { RawPanel } from "./raw-panel";
import { ShortcutsDialog } from "./shortcuts-dialog";
import { SourcesPanel } from "./sources-panel";

// generateMetadata and the page ask for the same interaction: one load per request.
const load = cache(loadInteraction);

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

/** Metadata for the interaction an id names; shared by the page and its problem route. */
export async function interactionMetadata(rawId: string): Promise<Metadata> {
  const outcome = await load(rawId);
  // Non-200 outcomes set their own <title> in the view: Next skips metadata for them.
  if (outcome.kind !== "ok") return {};
  return metadataFor(toInteractionView(outcome.snapshot.interaction));
}

/** Title and unfurl card (Open Graph, Twitter) describing an interaction view. */
export function metadataFor(view: InteractionView): Metadata {
  const title = truncate(view.title, 70);
  const documentTitle = `${title} · Interaction Inspector`;
  const description = summaryOf(view);
  return {
    title: documentTitle,
    description,
    robots: { index: false, follow: false },
    openGraph: { title, description, type: "article", siteName: "Interaction Inspector" },
    twitter: { card: "summary", title, description },
  };
}

/** The whole interaction page, or the view that says why it cannot be shown. */
export async function InteractionScreen({ rawId }: { rawId: string }) {
  const outcome = await load(rawId);
  if (outcome.kind === "invalid_id") return <InvalidIdView rawId={decodeURIComponentSafe(outcome.rawId)} />;
  if (outcome.kind === "error") {
    return outcome.error.code === "not_found" ? (
      <NotFoundView id={outcome.id} />
    ) : (
      <UnavailableView id={outcome.id} error={outcome.error} />
    );
  }

  const { snapshot } = outcome;
  cachedInteractions.recordView(snapshot.id);
  return <InteractionBody snapshot={snapshot} view={toInteractionView(snapshot.interaction)} mode="full" />;
}

/**
 * The interaction itself. "shared" is the read-only view behind a share link: no refresh, no
 * sharing or raw-data controls (they need a session), every turn formatted on the server.
 */
export function InteractionBody({ snapshot, view, mode, notice }: { snapshot: InteractionSnapshot; view: InteractionView; mode: "full" | "shared"; notice?: ReactNode }) {
  const { demo } = appInfo();
  const shared = mode === "shared";
  return (
    <div className="space-y-4">
      {notice}
      {shared ? null : <CacheNotice snapshot={snapshot} now={new Date()} />}
      <InteractionHeader view={view} fetchedAt={snapshot.fetchedAt} demo={demo} mode={mode} />
      <div className="grid gap-4 lg:grid-cols-[minmax(0,1fr)_22rem]">
        <div className="min-w-0 space-y-4">
          <Conversation view={view} snapshotKey={snapshotKey(snapshot.id, snapshot.fetchedAt)} shared={shared} />
        </div>
        <aside aria-label="Feedback and analysis" className="space-y-4 lg:sticky lg:top-4 lg:max-h-[calc(100vh-2rem)] lg:self-start lg:overflow-y-auto">
          <FeedbackPanel feedback={view.feedback} />
          <AnalysisPanel view={view} />
          {shared && view.sources.length === 0 ? null : <SourcesPanel sources={view.sources} />}
        </aside>
      </div>
      {shared ? null : <RawPanel id={view.id} />}
      <ShortcutsDialog />
      <InteractionEnhancer />
    </div>
  );
}

function decodeURIComponentSafe(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
