import { toInteractionView, type InteractionView } from "@/lib/render/interaction-view";
import type { Interaction } from "@/lib/nebuly/schemas";
import { redactInteraction } from "./redaction";

/**
 * What a share view renders, its metadata included. A hidden share's view is built from the
 * allowlisted copy alone, so no part of the page (nor the data React embeds in it) can reach a
 * field the allowlist does not name.
 */
export function shareViewOf(interaction: Interaction, hideSensitive: boolean): InteractionView {
  return toInteractionView(hideSensitive ? redactInteraction(interaction) : interaction);
}
