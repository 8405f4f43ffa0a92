import { extractInteractionId } from "@/lib/interactions/open-target";

export const dynamic = "force-dynamic";

/** The "Open interaction" form without JavaScript: go to the interaction, or back with a message. */
export function GET(request: Request) {
  const url = new URL(request.url);
  const text = url.searchParams.get("q") ?? "";
  const id = extractInteractionId(text);
  const target = id ? `/interactions/${id}` : `/?${new URLSearchParams({ q: text.slice(0, 500), open: "invalid" })}`;
  return new Response(null, { status: 303, headers: { Location: target, "Cache-Control": "no-store" } });
}
