import { cookies } from "next/headers";
import { z } from "zod";
import { cookieHeader, DEVICE_COOKIE, identify, login, logout, logoutEverywhere, SESSION_COOKIE } from "@/lib/access";
import { safeNextPath } from "@/lib/access/tokens";
import { recordAudit } from "@/lib/audit";
import { AppError } from "@/lib/errors";
import { isHttps, parseJson, readBodyText, withErrorHandling } from "@/lib/http";
import { cleanDisplayName } from "@/lib/notes";

export const dynamic = "force-dynamic";

const bodySchema = z.object({ password: z.string().max(1_000), displayName: z.string().max(1_000).optional() });
const DEVICE_MAX_AGE_SECONDS = 365 * 86_400;

/**
 * Signs in with the shared password. JSON (`{"password", "displayName"?}` → 204) for scripts and
 * the login page; a plain form post (→ 303 to `next`) so signing in also works without JavaScript.
 * The display name (optional; asked again when the session first writes a note) is kept in the
 * session as the author of its notes.
 */
export const POST = withErrorHandling(async (request: Request) => {
  const isForm = (request.headers.get("content-type") ?? "").includes("application/x-www-form-urlencoded");
  const text = await readBodyText(request);
  let password: unknown;
  let name: string | null | undefined;
  let next = "/";
  if (isForm) {
    const form = new URLSearchParams(text);
    password = form.get("password");
    name = form.get("displayName");
    next = safeNextPath(form.get("next") ?? "/");
  } else {
    const parsed = bodySchema.safeParse(parseJson(text));
    if (!parsed.success) throw new AppError("invalid_request", 'Send {"password": "…", "displayName": "…"} as JSON.');
    password = parsed.data.password;
    name = parsed.data.displayName;
  }
  // Checked before the password, so a name too long does not cost a sign-in attempt.
  const displayName = name && name.trim() !== "" ? cleanDisplayName(name, "displayName") : null;

  const client = identify(request.headers).address;
  const jar = await cookies();
  const result = await login(password, client, jar.get(DEVICE_COOKIE)?.value, displayName);
  if (!result.ok) {
    // Attempts refused by the throttle are not logged one by one: that would let anyone flood the log.
    if (result.reason === "invalid") {
      await recordAudit({ action: "sign_in_failed", actor: null, client, detail: { reason: result.reason } });
    }
    if (isForm && result.reason !== "disabled") {
      const params = new URLSearchParams({ next, error: result.reason });
      return new Response(null, { status: 303, headers: { Location: `/login?${params}` } });
    }
    if (result.reason === "disabled") throw new AppError("not_found", "Password sign-in is not enabled on this inspector.");
    if (result.reason === "rate_limited") {
      throw new AppError("rate_limited", "Too many failed sign-in attempts. Wait a minute and try again.", { retryAfterSeconds: result.retryAfterSeconds });
    }
    throw new AppError("invalid_credentials", "That password is not right.");
  }
  await recordAudit({ action: "sign_in", actor: "password", client });
  const secure = isHttps(request.headers);
  const headers = new Headers();
  headers.append("Set-Cookie", cookieHeader(SESSION_COOKIE, result.cookie, result.maxAgeSeconds, secure));
  headers.append("Set-Cookie", cookieHeader(DEVICE_COOKIE, result.deviceCookie, DEVICE_MAX_AGE_SECONDS, secure));
  if (isForm) headers.set("Location", next);
  return new Response(null, { status: isForm ? 303 : 204, headers });
});

/**
 * Signs out: the session is revoked on the server (the cookie is useless from now on, wherever a
 * copy of it is) and cleared. `?everywhere=1` revokes every session of the same viewer.
 */
export const DELETE = withErrorHandling(async (request: Request) => {
  const everywhere = new URL(request.url).searchParams.get("everywhere") === "1";
  const cookie = (await cookies()).get(SESSION_COOKIE)?.value;
  const client = identify(request.headers).address;
  if (everywhere) {
    const ended = await logoutEverywhere(cookie);
    if (ended) await recordAudit({ action: "sign_out_everywhere", actor: ended.viewer, client, detail: { sessions: ended.count } });
  } else {
    const viewer = await logout(cookie);
    if (viewer) await recordAudit({ action: "sign_out", actor: viewer, client });
  }
  return new Response(null, { status: 204, headers: { "Set-Cookie": cookieHeader(SESSION_COOKIE, "", 0, isHttps(request.headers)) } });
});

