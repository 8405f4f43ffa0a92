import { currentViewer, identify } from "@/lib/access";
import { readJsonBody, withErrorHandling } from "@/lib/http";
import { deleteLabel, updateLabel } from "@/lib/labels";
import { parseUpdateLabel } from "@/lib/labels/requests";

export const dynamic = "force-dynamic";

/** Renames and/or recolours a label. */
export const PATCH = withErrorHandling(async (request: Request, context: RouteContext<"/api/labels/[id]">) => {
  const input = parseUpdateLabel(await readJsonBody(request));
  const label = await updateLabel((await context.params).id, input, { viewer: currentViewer(request.headers), client: identify(request.headers).address });
  return Response.json(label, { headers: { "Cache-Control": "no-store" } });
});

/** Deletes a label, and with it its place on every interaction. */
export const DELETE = withErrorHandling(async (request: Request, context: RouteContext<"/api/labels/[id]">) => {
  await deleteLabel((await context.params).id, { viewer: currentViewer(request.headers), client: identify(request.headers).address });
  return new Response(null, { status: 204 });
});
