/** The open box reads a pasted id or link, not a document: longer text is refused, never cut (a cut could drop the marked id). */
export const MAX_OPEN_INPUT_CHARS = 2_000;

/** How many ids a person is offered to choose from; a link with more is not a link to one interaction. */
const MAX_CHOICES = 10;

// Each attempt reads at most 36 characters, so a global scan is linear in the text. The look-arounds
// keep a UUID from being carved out of a longer run of hex digits.
const UUID_ANYWHERE = /(?<![0-9a-f])[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}(?![0-9a-f])/gi;
const TURN_FRAGMENT = /#turn-(\d{1,6})(?!\d)/;

/** What separates a name from its value: `/interactions/<id>`, `?interactionId=<id>`, `"interaction_id": "<id>"`. */
const SEPARATORS = new Set(["/", "=", ":", " ", '"', "'"]);
const MAX_SEPARATORS = 4;
const NAME_CHAR = /[A-Za-z0-9_-]/;
/** Names are looked for this far back at most, which keeps the whole scan linear. */
const MAX_NAME_CHARS = 64;

export type OpenTarget =
  | { kind: "none" }
  | { kind: "too_long" }
  /** One id to open: the one a name marks as an interaction, or the only one there is. */
  | { kind: "one"; id: string; turn: number | null }
  /** Several ids and nothing says which is the interaction (a project id may be among them). */
  | { kind: "several"; ids: string[]; turn: number | null };

/** True when the path segment or parameter name right before `index` names an interaction. */
function markedAsInteraction(text: string, index: number): boolean {
  let end = index;
  while (end > 0 && index - end < MAX_SEPARATORS && SEPARATORS.has(text[end - 1]!)) end--;
  if (end === index) return false;
  let start = end;
  while (start > 0 && end - start < MAX_NAME_CHARS && NAME_CHAR.test(text[start - 1]!)) start--;
  return text.slice(start, end).toLowerCase().includes("interaction");
}

function decoded(text: string): string {
  try {
    // A link wrapped in another (a redirector's ?u=https%3A%2F%2F…) reads like the link itself.
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/**
 * The interaction a person pasted: a bare UUID, an inspector link (with or without #turn-N), or
 * any URL that carries the id. An id that an `interaction`-named path segment or parameter marks
 * wins (`/project/<project>/interactions?interactionId=<id>` is the second id); several unmarked
 * ids are returned for the caller to resolve, never guessed between.
 */
export function parseOpenTarget(input: string): OpenTarget {
  if (input.length > MAX_OPEN_INPUT_CHARS) return { kind: "too_long" };
  const text = decoded(input.trim());
  if (!text) return { kind: "none" };

  const all: string[] = [];
  const marked: string[] = [];
  for (const match of text.matchAll(UUID_ANYWHERE)) {
    const id = match[0].toLowerCase();
    if (!all.includes(id)) all.push(id);
    if (markedAsInteraction(text, match.index) && !marked.includes(id)) marked.push(id);
  }
  const turnMatch = TURN_FRAGMENT.exec(text);
  const turn = turnMatch && Number(turnMatch[1]) > 0 ? Number(turnMatch[1]) : null;

  const ids = marked.length ? marked : all;
  if (ids.length === 0) return { kind: "none" };
  if (ids.length === 1) return { kind: "one", id: ids[0]!, turn };
  return { kind: "several", ids: ids.slice(0, MAX_CHOICES), turn };
}

/** The inspector's own address for an interaction, with the pasted turn kept. */
export function interactionPath(id: string, turn: number | null = null): string {
  return `/interactions/${id}${turn ? `#turn-${turn}` : ""}`;
}
