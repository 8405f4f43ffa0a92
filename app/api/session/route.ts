import { z } from "zod";
import { clientKey, login, sessionCookieHeader } from "@/lib/access";
import { safeNextPath } from "@/lib/access/tokens";
import { AppError } from "@/lib/errors";
import { requestOrigin, withErrorHandling } from "@/lib/http";

export const dynamic = "force-dynamic";

const bodySchema = z.object({ password: z.string().max(1_000) });

const isHttps = (request: Request) => requestOrigin(request).startsWith("https:");

/**
 * Signs in with the shared password. JSON (`{"password"}` → 204) for scripts and the login page;
 * a plain form post (→ 303 to `next`) so signing in also works without JavaScript.
 */
export const POST = withErrorHandling(async (request: Request) => {
  const isForm = (request.headers.get("content-type") ?? "").includes("application/x-www-form-urlencoded");
  let password: unknown;
  let next = "/";
  if (isForm) {
    const form = await request.formData();
    password = form.get("password");
    next = safeNextPath(String(form.get("next") ?? "/"));
  } else {
    const parsed = bodySchema.safeParse(await request.json().catch(() => null));
    if (!parsed.success) throw new AppError("invalid_request", 'Send {"password": "…"} as JSON.');
    password = parsed.data.password;
  }

  const result = login(password, clientKey(request.headers));
  if (!result.ok) {
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
  const cookie = sessionCookieHeader(result.cookie, result.maxAgeSeconds, isHttps(request));
  return isForm
    ? new Response(null, { status: 303, headers: { Location: next, "Set-Cookie": cookie } })
    : new Response(null, { status: 204, headers: { "Set-Cookie": cookie } });
});

/** Signs out: the session cookie is cleared. */
export function DELETE(request: Request) {
  return new Response(null, { status: 204, headers: { "Set-Cookie": sessionCookieHeader("", 0, isHttps(request)) } });
}
