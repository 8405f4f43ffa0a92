import { currentViewer, identify } from "@/lib/access";
import { forgetInteraction } from "@/lib/erasure";
import { withErrorHandling } from "@/lib/http";
import { getInteraction, parseInteractionId } from "@/lib/interactions";

export const dynamic = "force-dynamic";

export const GET = withErrorHandling(
  async (request: Request, context: RouteContext<"/api/interactions/[id]">) => {
    const id = parseInteractionId((await context.params).id);
    const refresh = new URL(request.url).searchParams.get("refresh");
    const snapshot = await getInteraction(id, currentViewer(request.headers), { refresh: refresh === "1" || refresh === "true" });
    // The stored body goes out byte for byte: unknown fields kept, nothing re-serialised.
    return new Response(snapshot.rawJson, {
      headers: {
        "Content-Type": "application/json; charset=utf-8",
        "Cache-Control": "private, no-store",
        "X-Cache": snapshot.cache,
        "X-Fetched-At": snapshot.fetchedAt.toISOString(),
      },
    });
  },
);

/**
 * Erasure: forgets the interaction here (snapshot, search entry, Recently viewed, list pages) and
 * revokes every share link to it. Nebuly's own copy is untouched. 404 when nothing was stored.
 */
export const DELETE = withErrorHandling(async (request: Request, context: RouteContext<"/api/interactions/[id]">) => {
  const viewer = currentViewer(request.headers);
  const result = await forgetInteraction((await context.params).id, { actor: viewer.name, client: identify(request.headers).address, viewer });
  return Response.json(result, { headers: { "Cache-Control": "no-store" } });
});
