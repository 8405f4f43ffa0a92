import type { Interaction } from "./schemas";

/**
 * An interaction's title is what the user asked: the query, else the input, else the first turn's
 * input; blank values are skipped. Defined once here: the page (via the view) reads
 * `titleSourceOf`, and SQL lists build the same expression from TITLE_JSON_PATHS, so a title
 * reads the same in every list, link and tab.
 */
export const TITLE_JSON_PATHS = ["$.user_query", "$.input", "$.conversation[0].input"] as const;

/** Longest title kept; longer ones are cut (with an ellipsis where the view shows them). */
export const TITLE_MAX = 140;

function clean(value: unknown): string | null {
  if (typeof value !== "string") return null;
  const trimmed = value.trim();
  return trimmed === "" ? null : trimmed;
}

export function titleSourceOf(interaction: Interaction): string | null {
  const firstTurn = Array.isArray(interaction.conversation) ? (interaction.conversation[0] as { input?: unknown } | undefined) : undefined;
  return clean(interaction.user_query) ?? clean(interaction.input) ?? clean(firstTurn?.input);
}
