// One JSON access-log line per request, and the per-request context the app annotates.
//
// Plain JavaScript because server.mjs (plain Node, no bundler) imports it. server.mjs is the only
// place that sees every request whole: its arrival, its final status and when the response ended,
// static assets and the proxy's own answers (401, 429, redirects) included. What only the app knows
// (the viewer, the client as lib/access identifies it, the cache result) reaches this module through
// an AsyncLocalStorage context that server.mjs opens around each request and the app writes into
// (lib/ops/request-context.ts). Nothing travels in headers, so nothing has to be stripped from
// responses and no client can forge a field: the context object exists only inside this process.
//
// What a line holds is chosen field by field: never the raw path (ids and share tokens stay out;
// the route pattern says which page), never a header, a cookie or a body.
import { AsyncLocalStorage } from "node:async_hooks";
import { createHash, randomUUID } from "node:crypto";
import pino from "pino";

const CONTEXT = Symbol.for("interaction-inspector.request-context");
/** Listeners told about each finished request (lib/ops/metrics.ts registers one, once per process). */
const FINISHED = Symbol.for("interaction-inspector.request-finished");

/**
 * Every route of the app as a pattern, in Next's bracket notation. A path matching none is
 * "unmatched": metrics and logs then hold a fixed word, never something a client typed, so a flood
 * of random paths cannot grow the number of metric series. lib/ops/access-log.test.mjs walks app/
 * and fails when a route is missing here.
 */
const ROUTE_PATTERNS = [
  "/",
  "/login",
  "/open",
  "/cached",
  "/shared",
  "/audit",
  "/labels",
  "/metrics",
  "/interactions",
  "/interactions/[id]",
  "/interactions/[id]/problem",
  "/s/[token]",
  "/api/health",
  "/api/ready",
  "/api/session",
  "/api/audit",
  "/api/projects",
  "/api/interactions",
  "/api/interactions/[id]",
  "/api/interactions/[id]/transcript",
  "/api/interactions/[id]/turns",
  "/api/interactions/[id]/labels",
  "/api/labels",
  "/api/labels/[id]",
  "/api/interactions/[id]/notes",
  "/api/interactions/[id]/notes/[noteId]",
  "/api/share-links",
  "/api/share-links/[id]",
  "/not-found",
  "/icon.svg",
  "/favicon.ico",
];

const COMPILED = ROUTE_PATTERNS.map((pattern) => ({
  pattern,
  // One optional trailing slash; "/" itself is only "/".
  regex: pattern === "/" ? /^\/$/ : new RegExp(`^${pattern.replace(/\[\w+\]/g, "[^/]+")}/?$`),
}));

const KNOWN_METHODS = new Set(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]);

/** The route pattern a request path belongs to; a fixed word for Next's assets and for anything else. */
export function routePattern(url) {
  const path = String(url ?? "").split("?")[0];
  if (path.startsWith("/_next/static/")) return "/_next/static/[asset]";
  if (path.startsWith("/_next/")) return "/_next/[internal]";
  for (const { pattern, regex } of COMPILED) if (regex.test(path)) return pattern;
  return "unmatched";
}

/** A method as a metric label: the standard ones as they are, anything a client made up as one word. */
export function methodLabel(method) {
  return KNOWN_METHODS.has(method) ? method : "OTHER";
}

/**
 * Which share link a share view opened, without its token: the first 12 hex digits of the token's
 * SHA-256, the start of the hash share_links stores, so an operator can find the link.
 */
function shareLinkRef(url, route) {
  if (route !== "/s/[token]") return undefined;
  const token = String(url).split("?")[0].split("/")[2] ?? "";
  return createHash("sha256").update(token).digest("hex").slice(0, 12);
}

function requestContexts() {
  globalThis[CONTEXT] ??= new AsyncLocalStorage();
  return globalThis[CONTEXT];
}

function finishedListeners() {
  globalThis[FINISHED] ??= new Set();
  return globalThis[FINISHED];
}

let fallbackLogger;

/** The app's logger (lib/logger.ts: LOG_LEVEL, redaction), made at start; a plain one if the app never made it. */
function logger() {
  if (globalThis.__inspectorLogger) return globalThis.__inspectorLogger;
  fallbackLogger ??= pino({ base: { app: "interaction-inspector" } });
  return fallbackLogger;
}

/** The access-log line of a finished request: exactly these fields, nothing copied wholesale. */
export function accessLogEntry({ context, method, url, status, durationMs, completed }) {
  const route = routePattern(url);
  return {
    reqId: context.id,
    method: methodLabel(method),
    route,
    status,
    durationMs: Math.round(durationMs * 10) / 10,
    ...(completed ? {} : { aborted: true }),
    ...(context.cache ? { cache: context.cache } : {}),
    ...(context.client ? { client: context.client } : {}),
    ...(context.viewer ? { viewer: context.viewer } : {}),
    ...(route === "/s/[token]" ? { shareLink: shareLinkRef(url, route) } : {}),
  };
}

/** The status logged and counted for a request whose client left before any answer was sent. */
const CLIENT_CLOSED = 499;

/**
 * Runs `handle` for one request inside its context: gives it a fresh id (sent back as
 * X-Request-Id; one a client sends is ignored, so ids are unique and never client-chosen), and when
 * the response ends writes the access-log line and tells the metrics.
 */
export function observeRequest(request, response, handle) {
  const started = performance.now();
  const context = { id: randomUUID() };
  response.setHeader("X-Request-Id", context.id);
  response.once("close", () => {
    const durationMs = performance.now() - started;
    const entry = accessLogEntry({
      context,
      method: request.method,
      url: request.url,
      // Gone before any answer was sent: 499 (nginx's "client closed request"), not the 200 Node
      // presets. Gone mid-body: the status that was sent, marked aborted.
      status: response.writableFinished || response.headersSent ? response.statusCode : CLIENT_CLOSED,
      durationMs,
      completed: response.writableFinished,
    });
    try {
      logger().info(entry, "request");
      for (const listener of finishedListeners()) listener({ method: entry.method, route: entry.route, status: entry.status, durationSeconds: durationMs / 1_000 });
    } catch {
      // Observing a request must never take the server down.
    }
  });
  return requestContexts().run(context, handle);
}
