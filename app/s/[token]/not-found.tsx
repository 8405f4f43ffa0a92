import { headers } from "next/headers";
import NotFound from "@/app/not-found";
import { SHARE_STATE_HEADER } from "@/lib/sharing/link-state";
import { LinkClosed } from "./link-closed";

/**
 * A share view's 404. A revoked or expired link says so (someone whose link worked yesterday
 * deserves to know why it stopped); a token never issued, mistyped or tampered with gets the
 * generic "Page not found". proxy.ts looked the token up and marks a closed link's request.
 */
export default async function ShareLinkNotFound() {
  return (await headers()).get(SHARE_STATE_HEADER) === "closed" ? <LinkClosed /> : <NotFound />;
}
