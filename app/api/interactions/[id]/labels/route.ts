import { currentViewer, identify } from "@/lib/access";
import { readJsonBody, withErrorHandling } from "@/lib/http";
import { labelsOfInteraction, setInteractionLabels } from "@/lib/labels";
import { parseReplaceLabels } from "@/lib/labels/requests";

export const dynamic = "force-dynamic";

/** The labels of an interaction cached here (404 otherwise, or when its project is not the viewer's). */
export const GET = withErrorHandling(async (request: Request, context: RouteContext<"/api/interactions/[id]/labels">) => {
  const labels = await labelsOfInteraction((await context.params).id, currentViewer(request.headers));
  return Response.json({ labels }, { headers: { "Cache-Control": "private, no-store" } });
});

/** Makes the given labels the interaction's, all at once; answers with them as stored. */
export const PUT = withErrorHandling(async (request: Request, context: RouteContext<"/api/interactions/[id]/labels">) => {
  const labelIds = parseReplaceLabels(await readJsonBody(request));
  const labels = await setInteractionLabels((await context.params).id, labelIds, { viewer: currentViewer(request.headers), client: identify(request.headers).address });
  return Response.json({ labels }, { headers: { "Cache-Control": "no-store" } });
});
