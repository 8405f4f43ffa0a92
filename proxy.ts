import { NextResponse, type NextRequest } from "next/server";
import { AppError, errorResponse } from "@/lib/errors";
import { loadInteraction, outcomeStatus } from "@/lib/interactions";

/**
 * Runs before every route. It is where request-level decisions live:
 * - a path with broken percent-encoding never reaches the router (which would answer 500);
 * - an interaction page resolves its interaction first so the response carries the right HTTP
 *   status (404 for a bad or unknown id, 502/503/504 when Nebuly fails and nothing is cached),
 *   which a streamed React page cannot set itself. The page then reads the same result from the
 *   cache, or from the service's short failure memo, without a second upstream call.
 */
export async function proxy(request: NextRequest) {
  const { pathname } = request.nextUrl;

  if (!isDecodable(pathname)) {
    if (pathname.startsWith("/api/interactions/")) {
      return errorResponse(new AppError("invalid_interaction_id", "An interaction id is a UUID; this one is not even valid URL encoding."));
    }
    if (pathname.startsWith("/api/")) return errorResponse(new AppError("not_found", "No API route at this address."));
    // The router cannot even decode such a path into params: send the reader to an address that
    // can be decoded and that says what was wrong with the original.
    const segment = /^\/interactions\/([^/]+)\/?$/.exec(pathname)?.[1];
    if (segment) return NextResponse.redirect(new URL(`/interactions/${encodeURIComponent(segment)}`, request.url));
    return NextResponse.rewrite(new URL("/not-found", request.url), { status: 404 });
  }

  const interaction = /^\/interactions\/([^/]+)\/?$/.exec(pathname);
  if (interaction && request.method === "GET") {
    const status = outcomeStatus(await loadInteraction(interaction[1]));
    if (status !== 200) return NextResponse.rewrite(request.nextUrl, { status });
  }
  return NextResponse.next();
}

function isDecodable(pathname: string): boolean {
  try {
    decodeURIComponent(pathname);
    return true;
  } catch {
    return false;
  }
}

export const config = {
  matcher: ["/((?!_next/static|_next/image|icon.svg).*)"],
};
