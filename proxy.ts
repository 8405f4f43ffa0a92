import { NextResponse, type NextRequest } from "next/server";
import {
  checkProxyBudget,
  clientKey,
  contentSecurityPolicy,
  isPublicPath,
  SESSION_COOKIE,
  VIEWER_HEADER,
  viewerOf,
} from "@/lib/access";
import { randomToken } from "@/lib/access/tokens";
import { AppError, errorResponse } from "@/lib/errors";
import { loadInteraction, outcomeStatus } from "@/lib/interactions";

/**
 * Runs before every route (static assets aside); the one place request-level decisions are made,
 * in this order:
 * 1. a path with broken percent-encoding never reaches the router (which would answer 500);
 * 2. access: when a password or trusted header is configured, every route but the public ones
 *    needs a viewer — pages redirect to /login, API routes answer 401;
 * 3. a per-client budget on routes that spend the Nebuly quota;
 * 4. an interaction page resolves its interaction first, so the response carries the right HTTP
 *    status (404, 502/503/504), which a streamed React page cannot set itself;
 * 5. security headers, with a fresh script nonce, on every response.
 */

const PROBLEM_MARK = "x-inspector-problem-view";
const INTERACTION_PAGE = /^\/interactions\/([^/]+)\/?$/;
const QUOTA_ROUTES = /^\/(api\/)?interactions(\/|$)/;

export async function proxy(request: NextRequest) {
  // The problem view's second pass must keep the nonce Next already received in the first (only
  // a policy of exactly our shape is carried over).
  const carried = request.headers.has(PROBLEM_MARK) ? request.headers.get("content-security-policy") : null;
  const carriedNonce = carried ? /^default-src 'self'; script-src 'self' 'nonce-([\w-]{16,32})'/.exec(carried)?.[1] : undefined;
  const csp = contentSecurityPolicy(carriedNonce ?? randomToken(16));
  const finish = (response: NextResponse | Response) => withSecurityHeaders(response, csp, request.nextUrl.pathname);
  const { pathname } = request.nextUrl;
  const isApi = pathname.startsWith("/api/");

  if (!isDecodable(pathname)) {
    if (pathname.startsWith("/api/interactions/")) {
      return finish(errorResponse(new AppError("invalid_interaction_id", "An interaction id is a UUID; this one is not even valid URL encoding.")));
    }
    if (isApi) return finish(errorResponse(new AppError("not_found", "No API route at this address.")));
    // The router cannot even decode such a path into params: send the reader to an address that
    // can be decoded and that says what was wrong with the original.
    const segment = INTERACTION_PAGE.exec(pathname)?.[1];
    if (segment) return finish(NextResponse.redirect(new URL(`/interactions/${encodeURIComponent(segment)}`, request.url)));
    return finish(NextResponse.rewrite(new URL("/not-found", request.url), { status: 404 }));
  }

  const viewer = viewerOf(request.headers, request.cookies.get(SESSION_COOKIE)?.value);
  if (!viewer && !isPublicPath(pathname, request.method)) {
    if (isApi) return finish(errorResponse(new AppError("unauthenticated", "Sign in first: this inspector requires a password or single sign-on.")));
    const login = new URL("/login", request.url);
    login.search = new URLSearchParams({ next: `${pathname}${request.nextUrl.search}` }).toString();
    return finish(NextResponse.redirect(login));
  }

  const requestHeaders = new Headers(request.headers);
  requestHeaders.delete(VIEWER_HEADER);
  if (viewer) requestHeaders.set(VIEWER_HEADER, JSON.stringify(viewer));
  // Next reads the nonce from the request's CSP header and puts it on its own scripts.
  requestHeaders.set("content-security-policy", csp);

  // The problem view is reached through the rewrite below (which marks the request), not by its
  // own address. Access was checked above like anywhere else; a forged mark only shows the same
  // screen the interaction's own address shows.
  if (/^\/interactions\/[^/]+\/problem\/?$/.test(pathname)) {
    const status = Number(request.headers.get(PROBLEM_MARK));
    return finish(
      status >= 400
        ? NextResponse.next({ status, request: { headers: requestHeaders } })
        : NextResponse.rewrite(new URL("/not-found", request.url), { status: 404 }),
    );
  }
  requestHeaders.delete(PROBLEM_MARK);

  // Router prefetches are not a person asking for something; they do not count against the budget.
  if (QUOTA_ROUTES.test(pathname) && !request.headers.has("next-router-prefetch")) {
    const budget = checkProxyBudget(clientKey(request.headers));
    if (!budget.ok) {
      const error = new AppError("rate_limited", "Too many requests from this client. Wait a moment and try again.", { retryAfterSeconds: budget.retryAfterSeconds });
      return finish(isApi ? errorResponse(error) : tooManyRequestsPage(budget.retryAfterSeconds));
    }
  }

  const interaction = INTERACTION_PAGE.exec(pathname);
  if (interaction && request.method === "GET") {
    const status = outcomeStatus(await loadInteraction(interaction[1]));
    // Rewriting to the same path would make Next proxy the request to itself over HTTP; the
    // problem route renders the same screen, and the browser keeps the original address.
    if (status !== 200) {
      requestHeaders.set(PROBLEM_MARK, String(status));
      return finish(
        NextResponse.rewrite(new URL(`/interactions/${interaction[1]}/problem${request.nextUrl.search}`, request.url), {
          status,
          request: { headers: requestHeaders },
        }),
      );
    }
  }
  return finish(NextResponse.next({ request: { headers: requestHeaders } }));
}

function withSecurityHeaders<T extends Response>(response: T, csp: string, pathname: string): T {
  response.headers.set("Content-Security-Policy", csp);
  response.headers.set("X-Content-Type-Options", "nosniff");
  // Never send this app's URLs (share tokens among them) to other sites.
  response.headers.set("Referrer-Policy", pathname.startsWith("/s/") ? "no-referrer" : "same-origin");
  response.headers.set("X-Frame-Options", "DENY");
  if (!pathname.startsWith("/api/") || pathname === "/api/session") response.headers.set("Cache-Control", "private, no-store");
  return response;
}

function tooManyRequestsPage(retryAfterSeconds: number): Response {
  return new Response(
    `<!doctype html><html lang="en"><meta charset="utf-8"><title>Too many requests · Interaction Inspector</title><body style="font-family:system-ui,sans-serif;padding:3rem;text-align:center"><h1>Too many requests</h1><p>This client has made more requests than the inspector allows per minute. Try again in ${retryAfterSeconds} seconds.</p></body></html>`,
    { status: 429, headers: { "Content-Type": "text/html; charset=utf-8", "Retry-After": String(retryAfterSeconds) } },
  );
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
