import "server-only";
import { getStore } from "@/db/client";
import type { Viewer } from "@/lib/access";
import { recordAudit } from "@/lib/audit";
import { AppError } from "@/lib/errors";
import { cachedInteractions, interactionService, parseInteractionId } from "@/lib/interactions";
import { maySeeSlug, visibleProjects } from "@/lib/projects";
import type { Label } from "./names";
import { createLabelRepository } from "./repository";
import { createLabelService, type LabelService, type LabelSummary } from "./service";

export { LABEL_COLORS, LABEL_NAME_MAX, LABELS_MAX, LABELS_PER_INTERACTION_MAX, type Label } from "./names";
export type { LabelSummary } from "./service";

/** Who asks: the viewer (for the project check and the log's actor) and the client's address. */
export interface LabelRequester {
  viewer: Pick<Viewer, "groups" | "name" | "via">;
  client: string | null;
}

const holder = globalThis as typeof globalThis & { __inspectorLabels?: LabelService };

function labels(): LabelService {
  holder.__inspectorLabels ??= createLabelService(createLabelRepository(getStore()));
  return holder.__inspectorLabels;
}

/** The name stored as who made or added a label: none when access is open (anyone could claim any name). */
const byOf = (viewer: LabelRequester["viewer"]) => (viewer.via === "open" ? null : viewer.name);

/**
 * The team's labels, with how many interactions carry each among those `viewer` may see. Labels
 * are team-wide: every viewer sees them all, but not how often a hidden project uses them.
 */
export function listLabels(viewer: Pick<Viewer, "groups">): Promise<LabelSummary[]> {
  return labels().list(visibleProjects(viewer).map((project) => project.slug));
}

export async function createLabel(input: { name: string; color?: string }, requester: LabelRequester): Promise<Label> {
  const label = await labels().create(input, byOf(requester.viewer));
  await recordAudit({ action: "label_created", actor: requester.viewer.name, client: requester.client, target: label.id, detail: { name: label.name, color: label.color }, project: null });
  return label;
}

export async function updateLabel(id: string, input: { name?: string; color?: string }, requester: LabelRequester): Promise<Label> {
  const { before, after } = await labels().update(id, input);
  if (before.name !== after.name || before.color !== after.color) {
    await recordAudit({ action: "label_renamed", actor: requester.viewer.name, client: requester.client, target: id, detail: { from: before.name, to: after.name, color: after.color }, project: null });
  }
  return after;
}

export async function deleteLabel(id: string, requester: LabelRequester): Promise<void> {
  const label = await labels().remove(id);
  await recordAudit({ action: "label_deleted", actor: requester.viewer.name, client: requester.client, target: id, detail: { name: label.name }, project: null });
}

/**
 * The id of an interaction cached here in a project `viewer` may see. Anything else (not cached,
 * forgotten, another project's) answers exactly like an unknown id.
 */
async function visibleCachedInteraction(rawId: string, viewer: Pick<Viewer, "groups">): Promise<string> {
  const id = parseInteractionId(rawId);
  const holding = await interactionService().holding(id);
  if (holding.kind !== "snapshot" || !maySeeSlug(viewer, holding.projectSlug)) {
    throw new AppError("not_found", "There is no interaction with this id cached here; open it once, then label it.");
  }
  return id;
}

export async function labelsOfInteraction(rawId: string, viewer: Pick<Viewer, "groups">): Promise<Label[]> {
  const id = await visibleCachedInteraction(rawId, viewer);
  return (await labels().labelsFor([id])).get(id) ?? [];
}

/** Makes `labelIds` the interaction's labels; logs each one added or removed. */
export async function setInteractionLabels(rawId: string, labelIds: readonly string[], requester: LabelRequester): Promise<Label[]> {
  const id = await visibleCachedInteraction(rawId, requester.viewer);
  const result = await labels().replaceFor(id, labelIds, byOf(requester.viewer));
  const now = new Date();
  for (const [action, changed] of [["interaction_label_added", result.added], ["interaction_label_removed", result.removed]] as const) {
    for (const labelId of changed) {
      await recordAudit({ action, actor: requester.viewer.name, client: requester.client, target: id, detail: { labelId, label: result.names.get(labelId) ?? null }, viewer: requester.viewer }, now);
    }
  }
  return result.labels;
}

/**
 * Labels of interactions a list already shows (one query for the page). The ids come from a list
 * read scoped to the viewer, so no project check is repeated here.
 */
export function labelsForList(interactionIds: readonly string[]): Promise<Map<string, Label[]>> {
  return labels().labelsFor(interactionIds);
}

/** Labels of those of `interactionIds` cached here in projects `viewer` may see (a Nebuly list's rows). */
export async function labelsForVisible(interactionIds: readonly string[], viewer: Pick<Viewer, "groups">): Promise<Map<string, Label[]>> {
  if (interactionIds.length === 0) return new Map();
  const cached = await cachedInteractions.summaries(interactionIds, viewer);
  return labelsForList([...cached.keys()]);
}
