import type { ShareLinkRow } from "@/db/schema";
import { EXPIRY_OPTIONS, type ExpiresIn } from "./redaction";

/** Pure rules about a share link's life, kept apart from the database so they can be tested alone. */

export type ShareLinkStatus = "active" | "expired" | "revoked";

/**
 * What a share token names, as its reader may learn it: a link that opens, one that no longer
 * does (revoked or expired: deliberately one state, so a reader never learns which), or nothing
 * this inspector knows (never issued, mistyped or tampered with).
 */
export type ShareTokenState = "open" | "closed" | "unknown";

/**
 * Set by proxy.ts on a share view's request when its link is closed (any client-sent value is
 * dropped first), so the 404 view can say so; the page itself answers notFound() for both.
 */
export const SHARE_STATE_HEADER = "x-inspector-share-state";

type LinkTimes = Pick<ShareLinkRow, "revokedAt" | "expiresAt">;

export function statusOf(link: LinkTimes, now: number): ShareLinkStatus {
  if (link.revokedAt) return "revoked";
  if (link.expiresAt && link.expiresAt.getTime() <= now) return "expired";
  return "active";
}

export function tokenStateOf(link: LinkTimes | undefined, now: number): ShareTokenState {
  if (!link) return "unknown";
  return statusOf(link, now) === "active" ? "open" : "closed";
}

/**
 * The expiry the person chose when creating the link. Only the expiry time is stored, but it is
 * the creation time plus exactly one of the choices; null when it matches none (a link edited by
 * hand), in which case only the time itself can be shown.
 */
export function expiryChoiceOf(link: Pick<ShareLinkRow, "createdAt" | "expiresAt">): ExpiresIn | null {
  const lifetime = link.expiresAt ? link.expiresAt.getTime() - link.createdAt.getTime() : null;
  const match = (Object.entries(EXPIRY_OPTIONS) as [ExpiresIn, number | null][]).find(([, ms]) => ms === lifetime);
  return match ? match[0] : null;
}
