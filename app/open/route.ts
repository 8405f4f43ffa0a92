import { currentViewer } from "@/lib/access";
import { cachedChoice } from "@/lib/interactions";
import { interactionPath, parseOpenTarget } from "@/lib/interactions/open-target";

export const dynamic = "force-dynamic";

function redirectTo(location: string): Response {
  return new Response(null, { status: 303, headers: { Location: location, "Cache-Control": "no-store" } });
}

/**
 * The "Open interaction" form without JavaScript (and, with it, for links holding several ids):
 * go to the interaction, or back home with a message or a choice. Several unmarked ids settle on
 * the one cached here; Nebuly is not asked about each, which would spend its quota on project ids.
 */
export async function GET(request: Request) {
  const text = new URL(request.url).searchParams.get("q") ?? "";
  const target = parseOpenTarget(text);
  if (target.kind === "one") return redirectTo(interactionPath(target.id, target.turn));
  if (target.kind === "several") {
    const cached = await cachedChoice(target.ids, currentViewer(request.headers));
    return redirectTo(cached ? interactionPath(cached, target.turn) : `/?${new URLSearchParams({ q: text, open: "choose" })}`);
  }
  return redirectTo(`/?${new URLSearchParams({ q: text.slice(0, 500), open: target.kind === "too_long" ? "too_long" : "invalid" })}`);
}
