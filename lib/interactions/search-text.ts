import type { Interaction } from "@/lib/nebuly/schemas";

/** Everything a person might search for: the query and every turn's input and output. */
export function searchableText(interaction: Interaction): string {
  const parts = [interaction.user_query, interaction.input, interaction.output];
  for (const turn of interaction.conversation ?? []) parts.push(turn.input, turn.output);
  return parts.filter((part): part is string => typeof part === "string" && part !== "").join("\n");
}

/**
 * Turns free text typed by a person into a safe FTS5 query: every word becomes a quoted prefix
 * term (`"word"*`), all of which must match. Quotes are dropped, so operators such as AND, NEAR,
 * `-`, `*` or parentheses are searched as plain words and can never form FTS5 syntax.
 * Returns null when nothing searchable is left.
 */
export function toFtsQuery(text: string): string | null {
  const terms = text
    .slice(0, 500)
    .split(/\s+/)
    .map((word) => word.replace(/"/g, ""))
    .filter((word) => /[\p{L}\p{N}]/u.test(word))
    .slice(0, 20)
    .map((word) => `"${word}"*`);
  return terms.length ? terms.join(" ") : null;
}
