import type { Metadata } from "next";
import { cache } from "react";
import { requestViewer } from "@/lib/access/request-viewer";
import { cachedInteractions, loadInteraction } from "@/lib/interactions";
import { projectNameOf } from "@/lib/projects";
import { toInteractionView } from "@/lib/render/interaction-view";
import { CacheNotice } from "@/app/_components/interaction/cache-notice";
import { InteractionBody, metadataFor } from "@/app/_components/interaction/interaction-body";
import { ForgetControl } from "./forget-control";
import { ForgottenView, InvalidIdView, NotFoundView, outcomeTitle, UnavailableView } from "./outcome-views";
import { RefreshForm } from "./refresh-form";
import { ShareLinkCreator } from "@/app/_components/interaction/share-link-creator";
import { LabelPicker } from "@/app/_components/interaction/label-picker";
import { labelsForList, listLabels } from "@/lib/labels";

/**
 * The page's loader. generateMetadata and the page ask for the same interaction: one load (and
 * one "recently viewed" write) per request, made here rather than during rendering.
 */
const load = cache(async (rawId: string) => {
  const outcome = await loadInteraction(rawId, await requestViewer());
  if (outcome.kind === "ok") await cachedInteractions.recordView(outcome.snapshot.id);
  return outcome;
});

/** Metadata for the interaction an id names; shared by the page and its problem route. */
export async function interactionMetadata(rawId: string): Promise<Metadata> {
  const outcome = await load(rawId);
  if (outcome.kind === "ok") return metadataFor(toInteractionView(outcome.snapshot.interaction), projectNameOf(outcome.snapshot.projectSlug));
  return { title: outcomeTitle(outcome), robots: { index: false, follow: false } };
}

/** The whole interaction page, or the view that says why it cannot be shown. */
export async function InteractionScreen({ rawId }: { rawId: string }) {
  const outcome = await load(rawId);
  if (outcome.kind === "invalid_id") return <InvalidIdView rawId={decodeURIComponentSafe(outcome.rawId)} />;
  if (outcome.kind === "error") {
    if (outcome.error.code === "interaction_forgotten") return <ForgottenView id={outcome.id} />;
    return outcome.error.code === "not_found" ? (
      <NotFoundView id={outcome.id} />
    ) : (
      <UnavailableView id={outcome.id} error={outcome.error} />
    );
  }

  const { snapshot } = outcome;
  const controls = (
    <>
      <RefreshForm id={snapshot.id} compact />
      <ShareLinkCreator interactionId={snapshot.id} />
    </>
  );
  // The snapshot was just loaded for this viewer: its labels are theirs to see.
  const [labels, all] = await Promise.all([labelsForList([snapshot.id]), listLabels()]);
  return (
    <InteractionBody
      view={toInteractionView(snapshot.interaction)}
      fetchedAt={snapshot.fetchedAt}
      projectName={projectNameOf(snapshot.projectSlug)}
      projectSlug={projectNameOf(snapshot.projectSlug) ? snapshot.projectSlug : null}
      mode="full"
      notice={<CacheNotice snapshot={snapshot} now={new Date()} />}
      controls={controls}
      labels={<LabelPicker interactionId={snapshot.id} initial={labels.get(snapshot.id) ?? []} all={all.map(({ id, name, color }) => ({ id, name, color }))} />}
      footer={<ForgetControl interactionId={snapshot.id} />}
    />
  );
}

function decodeURIComponentSafe(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
