import type { Metadata } from "next";
import { cache } from "react";
import { requestClient, requestViewer } from "@/lib/access/request-viewer";
import { cachedInteractions, listNavigation, loadInteraction } from "@/lib/interactions";
import { LIST_PARAM, POSITION_PARAM } from "@/lib/render/dom-contract";
import { ListNavigationBar, ListStepLinks } from "@/app/_components/interaction/list-navigation-bar";
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
import { NotesSection } from "@/app/_components/interaction/notes/notes-section";

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

type SearchParams = Record<string, string | string[] | undefined>;

/** A parameter given once; a repeated one is not something this app wrote (read as unreadable). */
const single = (value: string | string[] | undefined) => (Array.isArray(value) ? "" : value);

/**
 * Previous/Next through the list the interaction was opened from (`?list=…&at=…`), or nothing when
 * the address names no list. Awaited, not streamed behind Suspense: without JavaScript a streamed
 * part would never replace its fallback, and the links must work without it.
 */
async function navigationFor(id: string, searchParams: SearchParams) {
  return listNavigation(id, single(searchParams[LIST_PARAM]), single(searchParams[POSITION_PARAM]), await requestViewer(), await requestClient());
}

/** The whole interaction page, or the view that says why it cannot be shown. */
export async function InteractionScreen({ rawId, searchParams = {} }: { rawId: string; searchParams?: SearchParams }) {
  const outcome = await load(rawId);
  if (outcome.kind === "invalid_id") return <InvalidIdView rawId={decodeURIComponentSafe(outcome.rawId)} />;
  if (outcome.kind === "error") {
    // An interaction of the list that cannot be shown (forgotten, gone, Nebuly down) is no dead end: the list goes on.
    const navigation = await navigationFor(outcome.id, searchParams);
    let view: React.ReactNode;
    if (outcome.error.code === "interaction_forgotten") view = <ForgottenView id={outcome.id} />;
    else view = outcome.error.code === "not_found" ? <NotFoundView id={outcome.id} /> : <UnavailableView id={outcome.id} error={outcome.error} />;
    return navigation ? (
      <div className="space-y-4">
        <ListNavigationBar navigation={navigation} />
        {view}
      </div>
    ) : (
      view
    );
  }

  const { snapshot } = outcome;
  const navigation = await navigationFor(snapshot.id, searchParams);
  const view = toInteractionView(snapshot.interaction);
  const controls = (
    <>
      {navigation ? <ListStepLinks navigation={navigation} /> : null}
      <RefreshForm id={snapshot.id} compact />
      <ShareLinkCreator interactionId={snapshot.id} />
    </>
  );
  // The snapshot was just loaded for this viewer: its labels are theirs to see.
  const [labels, all] = await Promise.all([labelsForList([snapshot.id]), listLabels(await requestViewer())]);
  return (
    <InteractionBody
      view={view}
      fetchedAt={snapshot.fetchedAt}
      projectName={projectNameOf(snapshot.projectSlug)}
      projectSlug={projectNameOf(snapshot.projectSlug) ? snapshot.projectSlug : null}
      mode="full"
      listNavigation={navigation ? <ListNavigationBar navigation={navigation} /> : null}
      notice={<CacheNotice snapshot={snapshot} now={new Date()} />}
      controls={controls}
      labels={<LabelPicker interactionId={snapshot.id} initial={labels.get(snapshot.id) ?? []} all={all.map(({ id, name, color }) => ({ id, name, color }))} />}
      footer={<ForgetControl interactionId={snapshot.id} />}
      notes={<NotesSection interactionId={snapshot.id} viewer={await requestViewer()} turns={view.turns.length} />}
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
