const UUID_ANYWHERE = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;

/**
 * The interaction id in whatever a person pasted: a bare UUID, an inspector link (with or
 * without #turn-N), or any URL that carries the id in its path or query. Null when there is none.
 */
export function extractInteractionId(input: string): string | null {
  const text = input.trim().slice(0, 2_000);
  if (!text) return null;
  let candidate = text;
  try {
    candidate = decodeURIComponent(text);
  } catch {
    // keep the text as typed
  }
  const match = UUID_ANYWHERE.exec(candidate);
  return match ? match[0].toLowerCase() : null;
}
