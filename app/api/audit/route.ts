import { currentViewer } from "@/lib/access";
import { withErrorHandling } from "@/lib/http";
import { listAuditEvents, parseAuditQuery } from "@/lib/audit";

export const dynamic = "force-dynamic";

/** The audit log, newest first: `?action=…&actor=…&target=…&from=…&to=…&limit=…&cursor=…`. */
export const GET = withErrorHandling(async (request: Request) => {
  const page = await listAuditEvents(parseAuditQuery(new URL(request.url).searchParams), currentViewer(request.headers));
  return Response.json(page, { headers: { "Cache-Control": "private, no-store" } });
});
