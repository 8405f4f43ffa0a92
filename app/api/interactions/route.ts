import { withErrorHandling } from "@/lib/http";
import { browseService } from "@/lib/interactions";
import { parseBrowseQuery } from "@/lib/interactions/browse-query";

export const dynamic = "force-dynamic";

/** Nebuly's interaction list (get-interactions), filtered by query parameters and cached for 60 s. */
export const GET = withErrorHandling(async (request: Request) => {
  const query = parseBrowseQuery(new URL(request.url).searchParams);
  const { page, cache } = await browseService().browse(query);
  return Response.json(
    { total: page.total, offset: page.offset, limit: page.limit, data: page.data },
    { headers: { "Cache-Control": "private, no-store", "X-Cache": cache } },
  );
});
