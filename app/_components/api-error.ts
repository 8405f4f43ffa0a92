/**
 * The message of an API answer in lib/errors.ts's one shape (`{"error": {"code", "message"}}`),
 * or `fallback` when the answer is not that (a proxy's HTML page, an empty body). Client-safe.
 */
export async function apiErrorMessage(response: Response, fallback: string): Promise<string> {
  try {
    const body = (await response.json()) as { error?: { message?: unknown } };
    if (typeof body.error?.message === "string") return body.error.message;
  } catch {
    // Not JSON: the fallback says enough.
  }
  return fallback;
}
