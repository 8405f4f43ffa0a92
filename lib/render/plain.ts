/** Messages longer than this show a preview and reveal the rest on "Show more" (or browser find). */
export const PREVIEW_CHARS = 2_500;

/** Splits plain text into a preview and a remainder at a word boundary after PREVIEW_CHARS. */
export function plainPreview(text: string, limit: number = PREVIEW_CHARS): { preview: string; rest: string | null } {
  if (text.length <= limit * 1.6) return { preview: text, rest: null };
  const space = text.indexOf(" ", limit);
  const at = space === -1 || space > limit * 2 ? limit : space;
  return { preview: text.slice(0, at), rest: text.slice(at) };
}
