import "server-only";
import { cookies, headers } from "next/headers";
import { identify, SESSION_COOKIE, viewerOf, type Viewer } from "./index";

/**
 * The viewer of a server action, decided by the action itself. A server action is reachable by a
 * POST to any page that bundles it, so it cannot lean on what proxy.ts decided for that page:
 * it checks the session or SSO header again. Null when access is protected and nobody signed in.
 */
export async function actionViewer(): Promise<{ viewer: Viewer; client: string } | null> {
  const requestHeaders = await headers();
  const identity = identify(requestHeaders);
  const viewer = await viewerOf(requestHeaders, (await cookies()).get(SESSION_COOKIE)?.value, identity);
  return viewer ? { viewer, client: identity.address } : null;
}
