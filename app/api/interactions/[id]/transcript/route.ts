import { publicOrigin, withErrorHandling } from "@/lib/http";
import { currentViewer } from "@/lib/access";
import { getInteraction, parseInteractionId } from "@/lib/interactions";
import { toInteractionView } from "@/lib/render/interaction-view";
import { toMarkdownTranscript } from "@/lib/render/transcript";

export const dynamic = "force-dynamic";

/** The conversation as a Markdown transcript ("Copy as Markdown"). */
export const GET = withErrorHandling(
  async (request: Request, context: RouteContext<"/api/interactions/[id]/transcript">) => {
    const id = parseInteractionId((await context.params).id);
    const snapshot = await getInteraction(id, currentViewer(request.headers));
    const pageUrl = `${publicOrigin(request.headers)}/interactions/${id}`;
    return new Response(toMarkdownTranscript(toInteractionView(snapshot.interaction), pageUrl, snapshot.fetchedAt), {
      headers: {
        "Content-Type": "text/markdown; charset=utf-8",
        "Cache-Control": "private, no-store",
        "X-Cache": snapshot.cache,
      },
    });
  },
);
