import "server-only";
import { eq } from "drizzle-orm";
import { getDb } from "@/db/client";
import { appSettings } from "@/db/schema";
import { env } from "@/lib/env";
import { RateLimiter } from "./rate-limit";
import { randomToken, safeEqual, signSession, verifySession } from "./tokens";

/**
 * Every access decision lives here and in proxy.ts, which applies it to every request before any
 * route runs. Routes never check access themselves: anything not listed as public needs a viewer.
 */

export const SESSION_COOKIE = "inspector_session";
/** Set by proxy.ts on requests it let through (any client-sent value is dropped first). */
export const VIEWER_HEADER = "x-inspector-viewer";

export type AccessMode = "open" | "protected";

export interface Viewer {
  /** The person, when known: the SSO proxy's user header, or "password" for the shared password. */
  name: string;
  via: "open" | "session" | "trusted-header";
}

export function accessMode(): AccessMode {
  const { INSPECTOR_PASSWORD, INSPECTOR_TRUSTED_USER_HEADER } = env();
  return INSPECTOR_PASSWORD || INSPECTOR_TRUSTED_USER_HEADER ? "protected" : "open";
}

export function passwordLoginEnabled(): boolean {
  return env().INSPECTOR_PASSWORD !== undefined;
}

const holder = globalThis as typeof globalThis & {
  __inspectorAccess?: { secret?: string; loginFailures: RateLimiter; proxyRequests: RateLimiter };
};

function state() {
  holder.__inspectorAccess ??= {
    loginFailures: new RateLimiter(5, 60_000),
    proxyRequests: new RateLimiter(env().RATE_LIMIT_PER_MINUTE, 60_000),
  };
  return holder.__inspectorAccess;
}

/** SESSION_SECRET, or one generated on first use and kept in the database so sessions and links survive restarts. */
export function sessionSecret(): string {
  const current = state();
  if (current.secret) return current.secret;
  const configured = env().SESSION_SECRET;
  if (configured) return (current.secret = configured);
  const db = getDb();
  db.insert(appSettings).values({ key: "session_secret", value: randomToken(48) }).onConflictDoNothing().run();
  current.secret = db.select().from(appSettings).where(eq(appSettings.key, "session_secret")).get()!.value;
  return current.secret;
}

/** Paths anyone may request: the rest need a viewer when access is protected. */
export function isPublicPath(pathname: string, method: string): boolean {
  if (pathname === "/api/health") return true;
  if (pathname === "/login") return true;
  if (pathname === "/api/session") return method === "POST" || method === "DELETE";
  // Share views check their own token and answer 404 for anything else.
  if (/^\/s\/[^/]+\/?$/.test(pathname)) return true;
  return false;
}

/** Who is asking, or null when access is protected and the request carries no valid credentials. */
export function viewerOf(headers: Headers, sessionCookie: string | undefined): Viewer | null {
  const { INSPECTOR_PASSWORD, INSPECTOR_TRUSTED_USER_HEADER } = env();
  if (!INSPECTOR_PASSWORD && !INSPECTOR_TRUSTED_USER_HEADER) return { name: "anyone", via: "open" };
  if (INSPECTOR_TRUSTED_USER_HEADER) {
    const user = headers.get(INSPECTOR_TRUSTED_USER_HEADER)?.trim();
    if (user) return { name: user.slice(0, 200), via: "trusted-header" };
  }
  if (INSPECTOR_PASSWORD) {
    const claims = verifySession(sessionCookie, sessionSecret());
    if (claims) return { name: claims.sub, via: "session" };
  }
  return null;
}

/** The requesting client: the peer address Next appends to X-Forwarded-For (behind a proxy, the proxy's). */
export function clientKey(headers: Headers): string {
  const forwarded = headers.get("x-forwarded-for");
  return forwarded?.split(",").at(-1)?.trim() || "unknown";
}

export function checkProxyBudget(client: string) {
  return state().proxyRequests.hit(client);
}

export type LoginResult = { ok: true; cookie: string; maxAgeSeconds: number } | { ok: false; reason: "invalid" | "rate_limited" | "disabled"; retryAfterSeconds?: number };

/** Checks the shared password (constant time), limiting failures to 5 per client per minute. */
export function login(password: unknown, client: string): LoginResult {
  const configured = env().INSPECTOR_PASSWORD;
  if (!configured) return { ok: false, reason: "disabled" };
  const limiter = state().loginFailures;
  const blocked = limiter.blocked(client);
  if (blocked.blocked) return { ok: false, reason: "rate_limited", retryAfterSeconds: blocked.retryAfterSeconds };
  if (typeof password !== "string" || !safeEqual(password, configured)) {
    limiter.hit(client);
    return { ok: false, reason: "invalid" };
  }
  const maxAgeSeconds = Math.round(env().SESSION_TTL_HOURS * 3_600);
  const cookie = signSession({ sub: "password", exp: Math.floor(Date.now() / 1_000) + maxAgeSeconds }, sessionSecret());
  return { ok: true, cookie, maxAgeSeconds };
}

export function sessionCookieHeader(value: string, maxAgeSeconds: number, secure: boolean): string {
  return [`${SESSION_COOKIE}=${value}`, "Path=/", "HttpOnly", "SameSite=Lax", `Max-Age=${maxAgeSeconds}`, ...(secure ? ["Secure"] : [])].join("; ");
}

/** The viewer proxy.ts attached to this request. */
export function currentViewer(headers: Headers): Viewer {
  const raw = headers.get(VIEWER_HEADER);
  if (!raw) return { name: "anyone", via: "open" };
  try {
    return JSON.parse(raw) as Viewer;
  } catch {
    return { name: "anyone", via: "open" };
  }
}

/** Content-Security-Policy for one response: scripts only from this origin or with this nonce. */
export function contentSecurityPolicy(nonce: string): string {
  const devEval = env().NODE_ENV === "development" ? " 'unsafe-eval'" : "";
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${devEval}`,
    // Inline style attributes carry computed widths (emotion bars); no inline <style> comes from content.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}
