import { withErrorHandling } from "@/lib/http";
import { currentViewer } from "@/lib/access";
import { browseInteractions } from "@/lib/interactions";
import { parseBrowseQuery } from "@/lib/interactions/browse-query";

export const dynamic = "force-dynamic";

/** Nebuly's interaction list (get-interactions), filtered by query parameters and cached for 60 s. */
export const GET = withErrorHandling(async (request: Request) => {
  const query = parseBrowseQuery(new URL(request.url).searchParams);
  const { page, cache, projectOf, failedProjects } = await browseInteractions(query, currentViewer(request.headers));
  return Response.json(
    {
      total: page.total,
      offset: page.offset,
      limit: page.limit,
      data: page.data.map((item) => ({ ...item, project: projectOf[item.id] })),
      ...(failedProjects.length ? { failedProjects } : {}),
    },
    { headers: { "Cache-Control": "private, no-store", "X-Cache": cache } },
  );
});
