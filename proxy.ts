import { NextResponse, type NextRequest } from "next/server";
import { checkProxyBudget, identify, isPublicPath, isResentByServer, SESSION_COOKIE, VIEWER_HEADER, viewerHeaderValue, viewerOf, type ClientIdentity, type Viewer } from "@/lib/access";
import { crossSiteProblem, isStateChanging } from "@/lib/access/cross-site";
import { randomToken } from "@/lib/access/tokens";
import { env } from "@/lib/env";
import { AppError, errorResponse, toAppError } from "@/lib/errors";
import { BODY_LIMIT_BYTES, isHttps } from "@/lib/http";
import { NOTE_BODY_BYTES, NOTE_ROUTE } from "@/lib/notes/limits";
import { loadInteraction, outcomeStatus } from "@/lib/interactions";
import { METRICS_PATH, metricsAccessAllowed, metricsNotFound } from "@/lib/ops/metrics-access";
import { annotateRequest } from "@/lib/ops/request-context";
import { confirmStoreIfLost, logStoreLoss } from "@/lib/ops/store-availability";
import { shareTokenState } from "@/lib/sharing";
import { SHARE_STATE_HEADER } from "@/lib/sharing/link-state";
import { contentSecurityPolicy, storageUnavailablePage, tooManyRequestsPage, withSecurityHeaders } from "@/lib/security-headers";

/**
 * Runs before every route (static assets aside); the one place request-level decisions are made,
 * in this order, one step function each:
 * 0. a server action is taken only by the pages that own it;
 * 1. a path with broken percent-encoding never reaches the router (which would answer 500);
 *    /metrics without its bearer token is not found, whatever the method;
 * 2. read-only paths refuse other methods; state-changing requests must come from this site
 *    (API requests as JSON) and be of a bounded size;
 * 3. access: when a password or trusted header is configured, every route but the public ones
 *    needs a viewer — pages redirect to /login, API routes answer 401; /metrics needs its own
 *    bearer token instead;
 * 4. a per-client budget on everything that can spend the Nebuly quota;
 * 5. an interaction page resolves its interaction first, so the response carries the right HTTP
 *    status (404, 502/503/504), which a streamed React page cannot set itself; a share view is
 *    told whether its link is closed (revoked or expired), which its 404 view then says;
 * 6. security headers, with a fresh script nonce, on every response.
 */

const PROBLEM_MARK = "x-inspector-problem-view";
const PROBLEM_SECRET = Symbol.for("interaction-inspector.problem-secret");
const INTERACTION_PAGE = /^\/interactions\/([^/]+)\/?$/;
const PROBLEM_PAGE = /^\/interactions\/[^/]+\/problem\/?$/;
const QUOTA_ROUTES = /^\/(api\/)?interactions(\/|$)/;
const SHARE_VIEW = /^\/s\/([^/]+)\/?$/;

type Finish = (response: NextResponse | Response) => NextResponse | Response;

/**
 * The steps below, and one outer rule: when the database cannot be reached (a session lookup
 * fails, or it was last seen lost and does not answer now), the request gets a 503 that says so
 * (JSON for the API, a short page otherwise) rather than a 500 or a page broken halfway.
 */
export async function proxy(request: NextRequest) {
  const isApi = request.nextUrl.pathname.startsWith("/api/");
  try {
    if (!isProbe(request.nextUrl.pathname)) await confirmStoreIfLost();
    return await steps(request);
  } catch (error) {
    const appError = toAppError(error);
    if (appError.code !== "storage_unavailable") throw error;
    logStoreLoss(error);
    const https = isHttps(request.headers);
    const csp = contentSecurityPolicy(randomToken(16));
    return withSecurityHeaders(isApi ? errorResponse(appError) : storageUnavailablePage(appError.retryAfterSeconds ?? 5), { csp, pathname: request.nextUrl.pathname, https });
  }
}

/** Probes report on the store themselves (503 from /api/ready), and /metrics still answers. */
const isProbe = (pathname: string) => pathname === "/api/health" || pathname === "/api/ready" || pathname === METRICS_PATH;

async function steps(request: NextRequest) {
  const { pathname } = request.nextUrl;
  const identity = identify(request.headers);
  // For the access-log line server.mjs writes when the response ends (lib/ops/access-log.mjs).
  annotateRequest({ client: identity.address });
  const problemStatus = ownProblemMark(request.headers);
  const csp = contentSecurityPolicy(carriedNonce(request.headers, problemStatus) ?? randomToken(16));
  const https = isHttps(request.headers);
  const finish: Finish = (response) => withSecurityHeaders(response, { csp, pathname, https });
  const isApi = pathname.startsWith("/api/");

  const misplacedAction = refuseMisplacedAction(request);
  if (misplacedAction) return finish(misplacedAction);

  const undecodable = rejectUndecodable(request, isApi);
  if (undecodable) return finish(undecodable);

  // Before the write checks: without the token /metrics does not exist, whatever the method.
  const hiddenMetrics = hideMetricsWithoutToken(request);
  if (hiddenMetrics) return finish(hiddenMetrics);

  const refused = refuseBadMethodOrBody(request, identity, isApi);
  if (refused) return finish(refused);

  const viewer = await viewerOf(request.headers, request.cookies.get(SESSION_COOKIE)?.value, identity);
  annotateRequest({ viewer: viewer?.via === "open" ? null : viewer?.name });

  if (!viewer && !isPublicPath(pathname, request.method)) return finish(askToSignIn(request, isApi));
  const unmeasured = refuseUnmeasuredAction(request, isApi);
  if (unmeasured) return finish(unmeasured);

  const requestHeaders = forwardedHeaders(request.headers, viewer, csp);
  if (PROBLEM_PAGE.test(pathname)) return finish(problemView(request, problemStatus, requestHeaders));

  const overBudget = await spendBudget(request, identity, isApi);
  if (overBudget) return finish(overBudget);

  const interaction = INTERACTION_PAGE.exec(pathname);
  if (interaction && request.method === "GET") {
    const rewritten = await resolveInteractionStatus(request, interaction[1], requestHeaders, viewer);
    if (rewritten) return finish(rewritten);
  }
  const share = SHARE_VIEW.exec(pathname);
  if (share && (await shareTokenState(share[1])) === "closed") requestHeaders.set(SHARE_STATE_HEADER, "closed");
  return finish(NextResponse.next({ request: { headers: requestHeaders } }));
}

/**
 * Step 3, after access. A post to a page whose body does not declare its length (chunked): Next
 * reads a server action's body whole (whether named by a Next-Action header or by a form field),
 * and the 16 KB cap of step 2 goes by the declared length. API routes read bodies with a bound of
 * their own; browsers always declare the length of what they post. A request Next re-sent to
 * itself passed this check already, as the original.
 */
function refuseUnmeasuredAction(request: NextRequest, isApi: boolean): Response | null {
  if (request.method !== "POST" || isApi || request.headers.has("content-length") || isResentByServer(request.headers)) return null;
  return errorResponse(new AppError("length_required", `Send the request body with a Content-Length header (at most ${BODY_LIMIT_BYTES / 1024} KB).`));
}

/** Pages whose own UI posts server actions (refresh; revoke). Anywhere else an action is refused. */
const ACTION_PAGES = /^\/(interactions\/[^/]+(\/problem)?|shared)\/?$/;

/**
 * Step 0. A server action posted to a page that does not bundle it makes Next re-post it to
 * itself over HTTP, from 127.0.0.1: nothing legitimate does that, so only the pages that own
 * actions take them.
 */
function refuseMisplacedAction(request: NextRequest): Response | null {
  if (!request.headers.has("next-action")) return null;
  if (request.method === "POST" && ACTION_PAGES.test(request.nextUrl.pathname)) return null;
  return errorResponse(new AppError("method_not_allowed", "This page takes no actions."));
}

/** Step 1. */
function rejectUndecodable(request: NextRequest, isApi: boolean): Response | null {
  const { pathname } = request.nextUrl;
  try {
    decodeURIComponent(pathname);
    return null;
  } catch {
    if (pathname.startsWith("/api/interactions/")) {
      return errorResponse(new AppError("invalid_interaction_id", "An interaction id is a UUID; this one is not even valid URL encoding."));
    }
    if (isApi) return errorResponse(new AppError("not_found", "No API route at this address."));
    // The router cannot even decode such a path into params: send the reader to an address that
    // can be decoded and that says what was wrong with the original.
    const segment = INTERACTION_PAGE.exec(pathname)?.[1];
    if (segment) return NextResponse.redirect(new URL(`/interactions/${encodeURIComponent(segment)}`, request.url));
    const headers = new Headers(request.headers);
    headers.delete(VIEWER_HEADER);
    return NextResponse.rewrite(sameOrigin(request, "/not-found"), { status: 404, request: { headers } });
  }
}

/** Step 2. Share views and sign-in pages are read-only: no server action can be posted to them. */
function refuseBadMethodOrBody(request: NextRequest, identity: ClientIdentity, isApi: boolean): Response | null {
  const { pathname } = request.nextUrl;
  const { method } = request;
  if ((/^\/s\//.test(pathname) || pathname === "/login") && method !== "GET" && method !== "HEAD") {
    const error = new AppError("method_not_allowed", "This page is read-only.");
    const response = errorResponse(error);
    response.headers.set("Allow", "GET, HEAD");
    return response;
  }
  if (!isStateChanging(method)) return null;
  // A note may be 10,000 characters of any script: its routes read up to NOTE_BODY_BYTES themselves.
  const limit = isApi && NOTE_ROUTE.test(pathname) ? NOTE_BODY_BYTES : BODY_LIMIT_BYTES;
  if (Number(request.headers.get("content-length") ?? "0") > limit) {
    return errorResponse(new AppError("payload_too_large", `Request bodies are limited to ${limit / 1024} KB.`));
  }
  // Next re-sending an action to the page that owns it addresses it to its own name for itself,
  // not the Origin the browser sent: the original request passed this check already.
  if (isResentByServer(request.headers)) return null;
  const problem = crossSiteProblem({
    method,
    headers: request.headers,
    host: identity.host,
    publicOrigin: env().PUBLIC_URL,
    allowForm: pathname === "/api/session",
    serverAction: !isApi,
  });
  return problem ? errorResponse(new AppError("cross_site_request", problem)) : null;
}

/**
 * Step 1, for /metrics: without METRICS_TOKEN set and sent as a bearer token, 404 whatever the
 * method or session. A scraper cannot sign in, so the token replaces the session (isPublicPath lets
 * /metrics through step 3). Answered here rather than by a rewrite to the not-found page: Next
 * serves such a rewrite by requesting itself, and that request would be sent to sign in.
 */
function hideMetricsWithoutToken(request: NextRequest): Response | null {
  if (request.nextUrl.pathname.replace(/\/$/, "") !== METRICS_PATH) return null;
  if (metricsAccessAllowed(request.headers.get("authorization"))) return null;
  return errorResponse(metricsNotFound());
}

/** Step 3. */
function askToSignIn(request: NextRequest, isApi: boolean): Response {
  if (isApi) return errorResponse(new AppError("unauthenticated", "Sign in first: this inspector requires a password or single sign-on."));
  const login = new URL("/login", request.url);
  login.search = new URLSearchParams({ next: `${request.nextUrl.pathname}${request.nextUrl.search}` }).toString();
  return NextResponse.redirect(login);
}

/**
 * A rewrite target on the origin Next takes for its own. Built from request.url (the client's Host)
 * it may differ (say, the server bound to 127.0.0.1 and reached as localhost): Next then proxies the
 * rewrite to itself over HTTP, and that second request comes from 127.0.0.1, a trusted proxy.
 */
function sameOrigin(request: NextRequest, pathname: string, search = ""): URL {
  const url = request.nextUrl.clone();
  url.pathname = pathname;
  url.search = search;
  return url;
}

/** What the route receives: the viewer as decided here, and the nonce Next puts on its scripts. */
function forwardedHeaders(incoming: Headers, viewer: Viewer | null, csp: string): Headers {
  const headers = new Headers(incoming);
  headers.delete(VIEWER_HEADER);
  headers.delete(PROBLEM_MARK);
  headers.delete(SHARE_STATE_HEADER);
  if (viewer) headers.set(VIEWER_HEADER, viewerHeaderValue(viewer));
  headers.set("content-security-policy", csp);
  return headers;
}

/**
 * Step 4. A router prefetch cannot be told apart here (Next strips `next-router-prefetch`, with
 * the other flight headers, before the proxy runs): it spends the budget like a visit, which is
 * why lists of interactions link with `prefetch={false}`.
 */
async function spendBudget(request: NextRequest, identity: ClientIdentity, isApi: boolean): Promise<Response | null> {
  const { pathname } = request.nextUrl;
  const spends =
    QUOTA_ROUTES.test(pathname) ||
    // Every server action may reach Nebuly (refresh) and share-link creation fetches first.
    (request.method === "POST" && (request.headers.has("next-action") || pathname === "/api/share-links"));
  if (!spends) return null;
  const budget = await checkProxyBudget(identity.address);
  if (budget.ok) return null;
  const error = new AppError("rate_limited", "Too many requests from this client. Wait a moment and try again.", { retryAfterSeconds: budget.retryAfterSeconds });
  return isApi || request.headers.has("next-action") ? errorResponse(error) : tooManyRequestsPage(budget.retryAfterSeconds);
}

/** Step 5. Rewriting to the same path would make Next proxy the request to itself over HTTP; the
 * problem route renders the same screen, and the browser keeps the original address. */
async function resolveInteractionStatus(request: NextRequest, rawId: string, requestHeaders: Headers, viewer: Viewer | null): Promise<Response | null> {
  // No viewer (a public path never gets here): an open viewer with no groups, who sees only everyone's projects.
  const status = outcomeStatus(await loadInteraction(rawId, viewer ?? { groups: [] }));
  if (status === 200) return null;
  requestHeaders.set(PROBLEM_MARK, `${problemSecret()} ${status}`);
  return NextResponse.rewrite(sameOrigin(request, `/interactions/${rawId}/problem`, request.nextUrl.search), {
    status,
    request: { headers: requestHeaders },
  });
}

/**
 * The problem view exists only behind step 5's rewrite. Asked for by its own address (or with a
 * forged mark, which lacks this process's secret) it is simply not found.
 */
function problemView(request: NextRequest, status: number | null, requestHeaders: Headers): Response {
  if (status === null) return NextResponse.rewrite(sameOrigin(request, "/not-found"), { status: 404 });
  return NextResponse.next({ status, request: { headers: requestHeaders } });
}

function problemSecret(): string {
  const holder = globalThis as Record<symbol, string | undefined>;
  holder[PROBLEM_SECRET] ??= randomToken(24);
  return holder[PROBLEM_SECRET]!;
}

/** The status our own rewrite put in the mark; null for no mark or one a client made up. */
function ownProblemMark(headers: Headers): number | null {
  const mark = headers.get(PROBLEM_MARK);
  if (!mark) return null;
  const [secret, status] = mark.split(" ");
  if (secret !== problemSecret()) return null;
  const value = Number(status);
  return Number.isInteger(value) && value >= 400 && value < 600 ? value : null;
}

/**
 * The problem view's second pass must keep the nonce Next already received in the first, so
 * its scripts run. Only our own rewrite (carrying this process's secret) may carry one; any other
 * request gets a fresh nonce, whatever CSP header it sent.
 */
function carriedNonce(headers: Headers, problemStatus: number | null): string | undefined {
  if (problemStatus === null) return undefined;
  const carried = headers.get("content-security-policy");
  return carried ? /^default-src 'self'; script-src 'self' 'nonce-([\w-]{16,32})'/.exec(carried)?.[1] : undefined;
}

export const config = {
  matcher: ["/((?!_next/static|_next/image|icon.svg).*)"],
};
