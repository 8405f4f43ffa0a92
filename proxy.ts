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
const PROBLEM_MARK = "x-inspector-problem-view";

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

  // The problem view is reached through the rewrite below (which marks the request), not by its
  // own address. A forged mark only shows the same screen the interaction's own address shows.
  if (/^\/interactions\/[^/]+\/problem\/?$/.test(pathname)) {
    const status = Number(request.headers.get(PROBLEM_MARK));
    return status >= 400
      ? NextResponse.next({ status })
      : NextResponse.rewrite(new URL("/not-found", request.url), { status: 404 });
  }

  const interaction = /^\/interactions\/([^/]+)\/?$/.exec(pathname);
  if (interaction && request.method === "GET") {
    const status = outcomeStatus(await loadInteraction(interaction[1]));
    // Rewriting to the same path would make Next proxy the request to itself over HTTP; the
    // problem route renders the same screen, and the browser keeps the original address.
    if (status !== 200) {
      const headers = new Headers(request.headers);
      headers.set(PROBLEM_MARK, String(status));
      return NextResponse.rewrite(new URL(`/interactions/${interaction[1]}/problem${request.nextUrl.search}`, request.url), {
        status,
        request: { headers },
      });
    }
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
