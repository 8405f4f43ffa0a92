import { currentViewer, identify } from "@/lib/access";
import { readJsonBody, withErrorHandling } from "@/lib/http";
import { createLabel, listLabels } from "@/lib/labels";
import { parseCreateLabel } from "@/lib/labels/requests";

export const dynamic = "force-dynamic";

/** The team's labels, each with how many interactions (of the viewer's projects) carry it. */
export const GET = withErrorHandling(async (request: Request) =>
  Response.json({ labels: await listLabels(currentViewer(request.headers)) }, { headers: { "Cache-Control": "private, no-store" } }),
);

/** A new label: 201, 409 when the name (compared loosely) is taken. */
export const POST = withErrorHandling(async (request: Request) => {
  const input = parseCreateLabel(await readJsonBody(request));
  const label = await createLabel(input, { viewer: currentViewer(request.headers), client: identify(request.headers).address });
  return Response.json(label, { status: 201, headers: { "Cache-Control": "no-store" } });
});
