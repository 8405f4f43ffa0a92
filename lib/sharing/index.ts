import "server-only";
import { getDb } from "@/db/client";
import { RateLimiter } from "@/lib/access/rate-limit";
import { randomToken, sha256 } from "@/lib/access/tokens";
import { recordAudit } from "@/lib/audit";
import { AppError } from "@/lib/errors";
import { interactionService, parseInteractionId } from "@/lib/interactions";
import type { InteractionView } from "@/lib/render/interaction-view";
import { EXPIRY_OPTIONS, HIDDEN_SHARE_HIDES, type ExpiresIn } from "./redaction";
import { createShareLinkRepository, type ShareLinkListItem } from "./repository";
import { shareViewOf } from "./share-view";
import type { ShareLinkRow } from "@/db/schema";

export { EXPIRY_OPTIONS, type ExpiresIn } from "./redaction";

export type ShareLinkStatus = "active" | "expired" | "revoked";

export interface ShareLinkSummary {
  id: string;
  interactionId: string;
  interactionTitle: string | null;
  createdAt: string;
  createdBy: string | null;
  expiresAt: string | null;
  revokedAt: string | null;
  hideSensitive: boolean;
  hiddenFields: string[];
  views: number;
  lastViewedAt: string | null;
  status: ShareLinkStatus;
}

/** Who asked, for the audit log: the viewer's name (null when anonymous) and the client. */
interface Requester {
  actor?: string | null;
  client?: string | null;
}

const holder = globalThis as typeof globalThis & { __inspectorShareLinks?: ReturnType<typeof createShareLinkRepository> };

/** One "viewed" audit line per link and client a minute: reloads must not flood the log. */
const viewLog = new RateLimiter(1, 60_000);

// Share links are this module's own table; interactions come through the interaction service.
function shareLinks() {
  holder.__inspectorShareLinks ??= createShareLinkRepository(getDb());
  return holder.__inspectorShareLinks;
}

function statusOf(link: ShareLinkRow, now: number): ShareLinkStatus {
  if (link.revokedAt) return "revoked";
  if (link.expiresAt && link.expiresAt.getTime() <= now) return "expired";
  return "active";
}

function summaryOf(link: ShareLinkListItem, now: number): ShareLinkSummary {
  return {
    id: link.id,
    interactionId: link.interactionId,
    interactionTitle: link.interactionTitle,
    createdAt: link.createdAt.toISOString(),
    createdBy: link.createdBy,
    expiresAt: link.expiresAt?.toISOString() ?? null,
    revokedAt: link.revokedAt?.toISOString() ?? null,
    hideSensitive: link.hideSensitive,
    hiddenFields: link.hideSensitive ? [...HIDDEN_SHARE_HIDES] : [],
    views: link.views,
    lastViewedAt: link.lastViewedAt?.toISOString() ?? null,
    status: statusOf(link, now),
  };
}

/**
 * Makes a link to a read-only view of one interaction. The interaction is fetched (or taken from
 * the cache) first, so the link always has a snapshot to serve; the token is returned once and
 * only its hash is stored.
 */
export async function createShareLink(input: { interactionId: string; expiresIn: ExpiresIn; hideSensitive: boolean; createdBy: string | null; origin: string } & Requester) {
  const interactionId = parseInteractionId(input.interactionId);
  await interactionService().get(interactionId);
  const token = randomToken(32);
  const now = new Date();
  const ttl = EXPIRY_OPTIONS[input.expiresIn];
  const link = shareLinks().insert({
    id: randomToken(9),
    tokenHash: sha256(token),
    interactionId,
    createdAt: now,
    createdBy: input.createdBy,
    expiresAt: ttl === null ? null : new Date(now.getTime() + ttl),
    hideSensitive: input.hideSensitive,
  });
  recordAudit(
    {
      action: "share_link_created",
      actor: input.actor ?? null,
      client: input.client ?? null,
      target: link.id,
      detail: { interactionId, expiresIn: input.expiresIn, hideSensitive: input.hideSensitive },
    },
    now,
  );
  return { id: link.id, url: `${input.origin}/s/${token}`, expiresAt: link.expiresAt?.toISOString() ?? null };
}

export function listShareLinks(): ShareLinkSummary[] {
  const now = Date.now();
  return shareLinks().list().map((link) => summaryOf(link, now));
}

/** Revokes a link; revoking it again changes nothing (its revocation time and the log stay as they were). */
export function revokeShareLink(id: string, requester: Requester = {}): void {
  const links = shareLinks();
  const link = links.find(id);
  if (!link) throw new AppError("not_found", "There is no share link with this id.");
  const now = new Date();
  // Already revoked: nothing changes and nothing is logged.
  if (!links.revoke(id, now)) return;
  recordAudit({ action: "share_link_revoked", actor: requester.actor ?? null, client: requester.client ?? null, target: id, detail: { interactionId: link.interactionId } }, now);
}

/** What a share view renders: never the stored body itself, only the view built for this link. */
export interface OpenedShareLink {
  link: { id: string; expiresAt: Date | null; hideSensitive: boolean };
  fetchedAt: Date;
  view: InteractionView;
}

/**
 * The view behind a share token, counting the view; null for a token that is malformed, unknown,
 * expired or revoked (callers answer 404 and say nothing more). Served from the cache only: a
 * link keeps working while Nebuly is down or after its retention dropped the interaction.
 */
export function openShareLink(token: string, requester: Pick<Requester, "client"> = {}): OpenedShareLink | null {
  if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) return null;
  const links = shareLinks();
  const link = links.findByTokenHash(sha256(token));
  if (!link || statusOf(link, Date.now()) !== "active") return null;
  const snapshot = interactionService().cachedSnapshot(link.interactionId);
  if (!snapshot) return null;
  const now = new Date();
  links.countView(link.id, now);
  // Anonymous by design: whoever holds the link; the client says from where.
  if (viewLog.hit(`${link.id} ${requester.client ?? ""}`).ok) recordAudit({ action: "share_link_viewed", actor: null, client: requester.client ?? null, target: link.id, detail: { interactionId: link.interactionId } }, now);
  return {
    link: { id: link.id, expiresAt: link.expiresAt, hideSensitive: link.hideSensitive },
    fetchedAt: snapshot.fetchedAt,
    view: shareViewOf(snapshot.interaction, link.hideSensitive),
  };
}
