import { currentViewer } from "@/lib/access";
import { withErrorHandling } from "@/lib/http";
import { keyStateOf, visibleProjects } from "@/lib/projects";

export const dynamic = "force-dynamic";

/**
 * The projects this viewer may see: slug, name and the last known state of its key, learnt from
 * real traffic (asking Nebuly just to check would spend quota). Never a key or an API URL.
 */
export const GET = withErrorHandling(async (request: Request) => {
  const projects = visibleProjects(currentViewer(request.headers)).map((project) => ({ slug: project.slug, name: project.name, key: keyStateOf(project.slug) }));
  return Response.json({ projects }, { headers: { "Cache-Control": "private, no-store" } });
});
