import { env } from "@/lib/env";

/**
 * The headers every response carries, in one place: the Content-Security-Policy (with a fresh
 * script nonce per request), framing, sniffing, referrer and caching rules, and HSTS when the
 * client reached us over https. proxy.ts applies them to every response it lets out.
 */

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

/** Two years, the preload lists' minimum; only ever sent over https. */
export const HSTS = "max-age=63072000; includeSubDomains";

export function withSecurityHeaders<T extends Response>(response: T, options: { csp: string; pathname: string; https: boolean }): T {
  const { csp, pathname, https } = options;
  response.headers.set("Content-Security-Policy", csp);
  response.headers.set("X-Content-Type-Options", "nosniff");
  // Never send this app's URLs (share tokens among them) to other sites; a share view sends none at all.
  response.headers.set("Referrer-Policy", pathname.startsWith("/s/") ? "no-referrer" : "same-origin");
  response.headers.set("X-Frame-Options", "DENY");
  if (https) response.headers.set("Strict-Transport-Security", HSTS);
  if (!pathname.startsWith("/api/") || pathname === "/api/session") response.headers.set("Cache-Control", "private, no-store");
  return response;
}

/** A page that cannot be served because the database cannot be reached: 503, retried by the reader. */
export function storageUnavailablePage(retryAfterSeconds: number): Response {
  return new Response(
    `<!doctype html><html lang="en"><meta charset="utf-8"><meta name="color-scheme" content="light dark"><meta name="viewport" content="width=device-width, initial-scale=1"><meta http-equiv="refresh" content="10"><title>Database unavailable · Interaction Inspector</title><body style="font-family:system-ui,sans-serif;padding:3rem 1.5rem;text-align:center"><h1>Interaction Inspector cannot reach its database</h1><p>Nothing was lost: the database is down or restarting. This page tries again every 10 seconds.</p></body></html>`,
    { status: 503, headers: { "Content-Type": "text/html; charset=utf-8", "Retry-After": String(retryAfterSeconds), "Cache-Control": "no-store" } },
  );
}

export function tooManyRequestsPage(retryAfterSeconds: number): Response {
  return new Response(
    `<!doctype html><html lang="en"><meta charset="utf-8"><title>Too many requests · Interaction Inspector</title><body style="font-family:system-ui,sans-serif;padding:3rem;text-align:center"><h1>Too many requests</h1><p>This client has made more requests than the inspector allows per minute. Try again in ${retryAfterSeconds} seconds.</p></body></html>`,
    { status: 429, headers: { "Content-Type": "text/html; charset=utf-8", "Retry-After": String(retryAfterSeconds) } },
  );
}
