/**
 * State-changing requests must come from this site's own pages (or a script that says so): a
 * browser on another site can make a victim's browser send a form post or a simple request with
 * the victim's cookies, but it cannot set Content-Type: application/json without a preflight
 * (which we never approve), nor forge Origin or Sec-Fetch-Site.
 */

const STATE_CHANGING = new Set(["POST", "PUT", "PATCH", "DELETE"]);

export function isStateChanging(method: string): boolean {
  return STATE_CHANGING.has(method);
}

export interface CrossSiteInput {
  method: string;
  headers: Headers;
  /** The host the client asked for (Host, or a trusted proxy's X-Forwarded-Host). */
  host: string | null;
  /** PUBLIC_URL's origin, when configured. */
  publicOrigin: string | undefined;
  /** Also accept an HTML form post (sign-in without JavaScript). */
  allowForm: boolean;
  /**
   * A server action: Next chooses its body's encoding (multipart for a form without JavaScript),
   * so only where it came from is checked. Next compares Origin with Host too, but answers a
   * malformed Origin with a 500; this check answers every bad one with the same 403.
   */
  serverAction?: boolean;
}

/** Why a state-changing request is refused as cross-site, or null when it may proceed. */
export function crossSiteProblem(input: CrossSiteInput): string | null {
  if (!isStateChanging(input.method)) return null;
  const hasBody = input.headers.has("content-length") ? input.headers.get("content-length") !== "0" : input.headers.has("transfer-encoding");
  const type = (input.headers.get("content-type") ?? "").split(";")[0].trim().toLowerCase();
  const typeOk = type === "application/json" || (input.allowForm && type === "application/x-www-form-urlencoded") || (!hasBody && type === "");
  if (!typeOk && !input.serverAction) return "Send the body as Content-Type: application/json.";
  if (input.headers.get("sec-fetch-site") === "same-origin") return null;
  const origin = input.headers.get("origin");
  if (origin && origin !== "null" && isSameOrigin(origin, input.host, input.publicOrigin)) return null;
  return "This request must come from the inspector's own pages (a same-origin Origin header).";
}

function isSameOrigin(origin: string, host: string | null, publicOrigin: string | undefined): boolean {
  if (publicOrigin && origin === publicOrigin) return true;
  try {
    return host !== null && new URL(origin).host === host.toLowerCase();
  } catch {
    return false;
  }
}
