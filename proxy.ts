import { NextResponse, type NextRequest } from "next/server";
import { loadInteraction, outcomeStatus } from "@/lib/interactions";

/**
 * Runs before a page renders. For an interaction page it resolves the interaction first so the
 * response carries the right HTTP status (404 for a bad or unknown id, 502/503/504 when Nebuly
 * fails and nothing is cached), which a streamed React page cannot set itself. The page then
 * reads the same result from the cache (or the service's short failure memo) without a second
 * upstream call.
 */
export async function proxy(request: NextRequest) {
  const match = /^\/interactions\/([^/]+)\/?$/.exec(request.nextUrl.pathname);
  if (!match || request.method !== "GET") return NextResponse.next();
  const status = outcomeStatus(await loadInteraction(match[1]));
  return status === 200 ? NextResponse.next() : NextResponse.rewrite(request.nextUrl, { status });
}

export const config = {
  matcher: ["/interactions/:id"],
};
