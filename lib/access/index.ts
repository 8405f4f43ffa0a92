import "server-only";
import { getStore, type Store } from "@/db/client";
import { generatedSetting } from "@/db/settings";
import { env } from "@/lib/env";
import { metrics } from "@/lib/ops/metrics";
import { clientIdentity, compileTrust, type ClientIdentity, type TrustFunction } from "./client-identity";
import { LOGIN_LIMITS, LoginThrottle, type LoginCounters } from "./login-throttle";
import type { WindowCounter } from "./rate-limit";
import { windowCounter } from "./shared-counter";
import { createSessionStore, passwordTag, type SessionStore } from "./sessions";
import { randomToken, safeEqual } from "./tokens";

/**
 * Every access decision lives here and in proxy.ts, which applies it to every request before any
 * route runs. Routes rely on the proxy; server actions do not (they are reachable from any page
 * that bundles them) and call `requireViewer` themselves.
 */

export const SESSION_COOKIE = "inspector_session";
/** Marks a browser that has signed in before, so others' failed guesses never lock it out. */
export const DEVICE_COOKIE = "inspector_device";
/** Set by proxy.ts on requests it let through (any client-sent value is dropped first). */
export const VIEWER_HEADER = "x-inspector-viewer";

export type AccessMode = "open" | "protected";

export interface Viewer {
  /** The person, when known: the SSO proxy's user header, or "password" for the shared password. */
  name: string;
  via: "open" | "session" | "trusted-header";
  /** A password session's display name, given at sign-in (or when first writing a note): the author of its notes. */
  displayName?: string;
  /** The viewer's groups, from INSPECTOR_TRUSTED_GROUPS_HEADER beside a trusted user header; they decide which projects it sees. */
  groups?: string[];
}

/** More than this many groups, or longer names, are not a person's groups: the rest is ignored. */
const MAX_GROUPS = 100;
const MAX_GROUP_CHARS = 200;

/** The groups in a comma-separated header value (oauth2-proxy's X-Forwarded-Groups form). */
export function parseGroups(value: string | null): string[] {
  if (!value) return [];
  const groups = new Set<string>();
  for (const part of value.slice(0, MAX_GROUPS * (MAX_GROUP_CHARS + 1)).split(",")) {
    const group = part.trim();
    if (group && group.length <= MAX_GROUP_CHARS) groups.add(group);
    if (groups.size >= MAX_GROUPS) break;
  }
  return [...groups];
}

export type { ClientIdentity } from "./client-identity";
export { isResentByServer } from "./client-identity";

export function accessMode(): AccessMode {
  const { INSPECTOR_PASSWORD, INSPECTOR_TRUSTED_USER_HEADER } = env();
  return INSPECTOR_PASSWORD || INSPECTOR_TRUSTED_USER_HEADER ? "protected" : "open";
}

export function passwordLoginEnabled(): boolean {
  return env().INSPECTOR_PASSWORD !== undefined;
}

interface AccessState {
  secret?: string;
  trust: TrustFunction;
  sessions?: SessionStore;
  /** The current password's tag (null: no password), computed once: neither the password nor the secret changes while the process runs. */
  passwordTag?: string | null;
  loginThrottle: LoginThrottle;
  proxyRequests: WindowCounter;
}

const holder = globalThis as typeof globalThis & { __inspectorAccess?: AccessState };

function loginCounters(store: Store): LoginCounters {
  const { perClient, perDevice, global, windowMs } = LOGIN_LIMITS;
  return {
    clients: windowCounter(store, "login-client", perClient, windowMs),
    devices: windowCounter(store, "login-device", perDevice, windowMs),
    everyone: windowCounter(store, "login-global", global, windowMs),
  };
}

// One state per process, shared by the proxy and every route bundle.
function state(): AccessState {
  holder.__inspectorAccess ??= {
    trust: compileTrust(env().TRUST_PROXY),
    // Counted in the shared store on Postgres, so replicas share each client's allowance.
    loginThrottle: new LoginThrottle(loginCounters(getStore())),
    proxyRequests: windowCounter(getStore(), "budget", env().RATE_LIMIT_PER_MINUTE, 60_000),
  };
  return holder.__inspectorAccess;
}

/**
 * SESSION_SECRET, or one generated on first use and kept in the store so sessions and links
 * survive restarts and hold on every replica. Read once at start (lib/startup.ts), before any
 * request, so that signing and checking stay synchronous.
 */
export async function loadSessionSecret(): Promise<string> {
  const current = state();
  current.secret ??= env().SESSION_SECRET ?? (await generatedSetting(getStore(), "session_secret", () => randomToken(48)));
  return current.secret;
}

/** The session secret loadSessionSecret() read. */
export function sessionSecret(): string {
  const current = state();
  current.secret ??= env().SESSION_SECRET;
  if (!current.secret) throw new Error("the session secret was asked for before loadSessionSecret() ran at start");
  return current.secret;
}

function sessionStore(): SessionStore {
  const current = state();
  current.sessions ??= createSessionStore(getStore(), sessionSecret);
  return current.sessions;
}

function currentPasswordTag(): string | null {
  const current = state();
  if (current.passwordTag === undefined) {
    const password = env().INSPECTOR_PASSWORD;
    current.passwordTag = password === undefined ? null : passwordTag(password, sessionSecret());
  }
  return current.passwordTag;
}

/** Ends password sessions opened with an earlier password; run once at start. */
export function revokeSessionsOfOldPasswords(): Promise<number> {
  return sessionStore().revokeStalePasswordSessions(currentPasswordTag());
}

/** Who is at the other end: the TCP peer, or behind trusted proxies the client they vouch for. */
export function identify(headers: Headers): ClientIdentity {
  return clientIdentity(headers, state().trust);
}

/** Paths anyone may request: the rest need a viewer when access is protected. */
export function isPublicPath(pathname: string, method: string): boolean {
  const read = method === "GET" || method === "HEAD";
  // Probes: an orchestrator cannot sign in.
  if (pathname === "/api/health" || pathname === "/api/ready") return read;
  // A scraper cannot sign in: the route checks its own bearer token and is a 404 without it.
  if (pathname === "/metrics") return read;
  if (pathname === "/login") return read;
  if (pathname === "/api/session") return method === "POST" || method === "DELETE";
  // Share views check their own token and answer 404 for anything else; they are read-only.
  if (/^\/s\/[^/]+\/?$/.test(pathname)) return read;
  return false;
}

/** Who is asking, or null when access is protected and the request carries no valid credentials. */
export async function viewerOf(headers: Headers, sessionCookie: string | undefined, identity: ClientIdentity = identify(headers)): Promise<Viewer | null> {
  const { INSPECTOR_PASSWORD, INSPECTOR_TRUSTED_USER_HEADER, INSPECTOR_TRUSTED_GROUPS_HEADER } = env();
  if (!INSPECTOR_PASSWORD && !INSPECTOR_TRUSTED_USER_HEADER) return { name: "anyone", via: "open" };
  // The user header counts only from the proxy that sets it; from anyone else it is just a header.
  if (INSPECTOR_TRUSTED_USER_HEADER && identity.mayCarryUserHeader) {
    const user = headers.get(INSPECTOR_TRUSTED_USER_HEADER)?.trim();
    if (user) {
      // Groups ride on the same trusted request as the user: never from a session, never alone.
      const groups = INSPECTOR_TRUSTED_GROUPS_HEADER ? parseGroups(headers.get(INSPECTOR_TRUSTED_GROUPS_HEADER)) : [];
      return { name: user.slice(0, 200), via: "trusted-header", ...(groups.length > 0 ? { groups } : {}) };
    }
  }
  if (INSPECTOR_PASSWORD) {
    const session = await sessionStore().find(sessionCookie, currentPasswordTag());
    if (session) return { name: session.viewer, via: "session", ...(session.displayName ? { displayName: session.displayName } : {}) };
  }
  return null;
}

export async function checkProxyBudget(client: string) {
  const budget = await state().proxyRequests.hit(client);
  if (!budget.ok) metrics().rateLimitRejections.inc();
  return budget;
}

export type LoginResult =
  | { ok: true; cookie: string; maxAgeSeconds: number; deviceCookie: string }
  | { ok: false; reason: "invalid" | "rate_limited" | "disabled"; retryAfterSeconds?: number };

/**
 * Checks the shared password (constant time) under the login throttle (see LoginThrottle) and,
 * when it is right, opens a server-side session.
 */
export async function login(password: unknown, client: string, deviceCookie: string | undefined, displayName: string | null = null): Promise<LoginResult> {
  const configured = env().INSPECTOR_PASSWORD;
  if (!configured) return { ok: false, reason: "disabled" };
  const throttle = state().loginThrottle;
  // Device cookies are signed with the password's tag too: a password change retires them all.
  const attempt = await throttle.admit({ client, deviceCookie, secret: `${sessionSecret()}:${currentPasswordTag()}` });
  if (!attempt.ok) {
    metrics().loginThrottleRejections.inc();
    return { ok: false, reason: "rate_limited", retryAfterSeconds: attempt.retryAfterSeconds };
  }
  // A wrong password stays counted: the attempt was counted as it was admitted.
  if (typeof password !== "string" || !safeEqual(password, configured)) return { ok: false, reason: "invalid" };
  await attempt.succeeded();
  const maxAgeSeconds = Math.round(env().SESSION_TTL_HOURS * 3_600);
  const session = await sessionStore().open({ viewer: "password", passwordTag: currentPasswordTag(), ttlMs: maxAgeSeconds * 1_000, client, displayName });
  return { ok: true, cookie: session.cookie, maxAgeSeconds, deviceCookie: attempt.deviceCookie() };
}

/** Gives the live session behind a cookie a display name (see Viewer.displayName); false when there is none. */
export async function nameSession(sessionCookie: string | undefined, displayName: string): Promise<boolean> {
  return sessionStore().name(sessionCookie, currentPasswordTag(), displayName);
}

/** Signs out the session behind a cookie; returns its viewer when there was one. */
export async function logout(sessionCookie: string | undefined): Promise<string | null> {
  return (await sessionStore().revoke(sessionCookie))?.viewer ?? null;
}

/** Signs out every session of the viewer behind this cookie; returns the viewer and how many sessions ended. */
export async function logoutEverywhere(sessionCookie: string | undefined): Promise<{ viewer: string; count: number } | null> {
  const session = await sessionStore().find(sessionCookie, currentPasswordTag());
  if (!session) return null;
  return { viewer: session.viewer, count: await sessionStore().revokeAllOf(session.viewer) };
}

export function cookieHeader(name: string, value: string, maxAgeSeconds: number, secure: boolean): string {
  return [`${name}=${value}`, "Path=/", "HttpOnly", "SameSite=Lax", `Max-Age=${maxAgeSeconds}`, ...(secure ? ["Secure"] : [])].join("; ");
}

/**
 * The viewer as proxy.ts passes it on, in a request header: JSON with every character past ASCII
 * escaped (a header value holds bytes, and a name may be "Zoë" or "张伟").
 */
export function viewerHeaderValue(viewer: Viewer): string {
  return JSON.stringify(viewer).replace(/[\u007f-\uffff]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/** The viewer proxy.ts attached to this request (route handlers only: proxy.ts ran before them). */
export function currentViewer(headers: Headers): Viewer {
  const raw = headers.get(VIEWER_HEADER);
  if (!raw) return { name: "anyone", via: "open" };
  try {
    return JSON.parse(raw) as Viewer;
  } catch {
    return { name: "anyone", via: "open" };
  }
}
