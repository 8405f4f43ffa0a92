/**
 * Where sign-in sends a person. Pure and free of Node built-ins: the login page (server) and its
 * form (browser) share it. `next` has already been through safeNextPath.
 */

/**
 * For someone who is already signed in and opens /login: their `next`, unless it names the login
 * page itself, which would redirect them to this same redirect forever.
 */
export function signedInDestination(next: string): string {
  const { pathname } = new URL(next, "http://inspector.invalid");
  return pathname.replace(/\/+$/, "") === "/login" ? "/" : next;
}

/**
 * `next` with the fragment the login page was opened with. A server never sees fragments, so a
 * redirect to /login?next=/interactions/x drops "#turn-3" from `next`; the browser keeps it on the
 * login page's own address, and the form puts it back. A `next` with its own fragment keeps that.
 */
export function withFragment(next: string, hash: string): string {
  if (next.includes("#") || !hash.startsWith("#") || hash.length === 1) return next;
  return `${next}${hash}`;
}
