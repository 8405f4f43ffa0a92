import { withErrorHandling } from "@/lib/http";
import { revokeShareLink } from "@/lib/sharing";

export const dynamic = "force-dynamic";

/** Revokes a share link: its address answers 404 from now on. */
export const DELETE = withErrorHandling(async (_request: Request, context: RouteContext<"/api/share-links/[id]">) => {
  revokeShareLink((await context.params).id);
  return new Response(null, { status: 204 });
});
