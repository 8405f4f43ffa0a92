import { currentViewer, identify } from "@/lib/access";
import { withErrorHandling } from "@/lib/http";
import { revokeShareLink } from "@/lib/sharing";

export const dynamic = "force-dynamic";

/** Revokes a share link: its address answers 404 from now on. */
export const DELETE = withErrorHandling(async (request: Request, context: RouteContext<"/api/share-links/[id]">) => {
  const viewer = currentViewer(request.headers);
  await revokeShareLink((await context.params).id, { actor: viewer.name, client: identify(request.headers).address, viewer });
  return new Response(null, { status: 204 });
});
