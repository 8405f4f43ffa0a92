import "server-only";
import { getStore } from "@/db/client";
import { RateLimiter } from "@/lib/access/rate-limit";
import { randomToken, sha256 } from "@/lib/access/tokens";
import { recordAudit } from "@/lib/audit";
import { AppError } from "@/lib/errors";
import type { Viewer } from "@/lib/access";
import { getInteraction, interactionService, parseInteractionId } from "@/lib/interactions";
import { maySeeSlug, projectNameOf } from "@/lib/projects";
import { metrics } from "@/lib/ops/metrics";
import { labelsForList, type Label } from "@/lib/labels";
import type { InteractionView } from "@/lib/render/interaction-view";
import { expiryChoiceOf, statusOf, tokenStateOf, type ShareLinkStatus, type ShareTokenState } from "./link-state";
import { EXPIRY_OPTIONS, HIDDEN_SHARE_HIDES, type ExpiresIn } from "./redaction";
import { createShareLinkRepository, type ShareLinkListItem } from "./repository";
import { shareViewOf } from "./share-view";
import type { ShareLinkRow } from "@/db/schema";

export { EXPIRY_OPTIONS, type ExpiresIn } from "./redaction";

export interface ShareLinkSummary {
  id: string;
  interactionId: string;
  interactionTitle: string | null;
  createdAt: string;
  createdBy: string | null;
  /** The expiry chosen at creation ("7d"…), recovered from the two times; null if it matches none. */
  expiresIn: ExpiresIn | null;
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

/** Whose links these are: a viewer sees and revokes only links to interactions of projects it may see. */
type ViewerGroups = Pick<Viewer, "groups">;

const holder = globalThis as typeof globalThis & { __inspectorShareLinks?: ReturnType<typeof createShareLinkRepository> };

/** One "viewed" audit line per link and client a minute: reloads must not flood the log. */
const viewLog = new RateLimiter(1, 60_000);

// Share links are this module's own table; interactions come through the interaction service.
function shareLinks() {
  holder.__inspectorShareLinks ??= createShareLinkRepository(getStore());
  return holder.__inspectorShareLinks;
}

function summaryOf(link: ShareLinkListItem, now: number): ShareLinkSummary {
  return {
    id: link.id,
    interactionId: link.interactionId,
    interactionTitle: link.interactionTitle,
    createdAt: link.createdAt.toISOString(),
    createdBy: link.createdBy,
    expiresIn: expiryChoiceOf(link),
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
export async function createShareLink(input: { interactionId: string; expiresIn: ExpiresIn; hideSensitive: boolean; createdBy: string | null; origin: string; viewer: ViewerGroups } & Requester) {
  const interactionId = parseInteractionId(input.interactionId);
  // The creator must be able to see it: a link opens for anyone, so it is made only by someone allowed.
  await getInteraction(interactionId, input.viewer);
  const token = randomToken(32);
  const now = new Date();
  const ttl = EXPIRY_OPTIONS[input.expiresIn];
  const link = await shareLinks().insert({
    id: randomToken(9),
    tokenHash: sha256(token),
    interactionId,
    createdAt: now,
    createdBy: input.createdBy,
    expiresAt: ttl === null ? null : new Date(now.getTime() + ttl),
    hideSensitive: input.hideSensitive,
  });
  await recordAudit(
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

export async function listShareLinks(viewer: ViewerGroups): Promise<ShareLinkSummary[]> {
  const now = Date.now();
  return (await shareLinks().list())
    .filter((link) => maySeeSlug(viewer, link.interactionProject))
    .map((link) => summaryOf(link, now));
}

/** Revokes a link; revoking it again changes nothing (its revocation time and the log stay as they were). */
export async function revokeShareLink(id: string, requester: Requester & { viewer: ViewerGroups }): Promise<void> {
  const links = shareLinks();
  // Ids are made here of URL-safe characters: anything else (a NUL, which Postgres refuses) is no link.
  const link = /^[A-Za-z0-9_-]{1,100}$/.test(id) ? await links.find(id) : undefined;
  const holding = link ? await interactionService().holding(link.interactionId) : undefined;
  const project = holding && holding.kind !== "none" ? holding.projectSlug : null;
  // Another project's link is, for this viewer, no link at all.
  if (!link || !maySeeSlug(requester.viewer, project)) throw new AppError("not_found", "There is no share link with this id.");
  const now = new Date();
  // Already revoked: nothing changes and nothing is logged.
  if (!(await links.revoke(id, now))) return;
  await recordAudit({ action: "share_link_revoked", actor: requester.actor ?? null, client: requester.client ?? null, target: id, detail: { interactionId: link.interactionId } }, now);
}

/** What a share view renders: never the stored body itself, only the view built for this link. */
export interface OpenedShareLink {
  link: { id: string; expiresAt: Date | null; hideSensitive: boolean };
  fetchedAt: Date;
  view: InteractionView;
  /** The project's name (several projects only); null when the link hides sensitive fields. */
  projectName: string | null;
  /** The team's labels on it; none when the link hides sensitive fields. */
  labels: Label[];
}

/** A share view's outcome. "closed" carries nothing: its reader learns no more than that. */
export type ShareLinkOpening = ({ state: "open" } & OpenedShareLink) | { state: "closed" } | { state: "unknown" };

const TOKEN_SHAPE = /^[A-Za-z0-9_-]{20,100}$/;

/**
 * One indexed lookup by the token's hash, whatever the token: an unknown token and a closed link
 * cost the same, so timing tells a reader nothing the page does not say.
 */
async function lookUp(token: string): Promise<{ state: ShareTokenState; link?: ShareLinkRow }> {
  if (!TOKEN_SHAPE.test(token)) return { state: "unknown" };
  const link = await shareLinks().findByTokenHash(sha256(token));
  return { state: tokenStateOf(link, Date.now()), link };
}

/**
 * Whether a share view would open, without opening it (no view counted, nothing logged): proxy.ts
 * asks, so that the share view's 404 view can tell a closed link from an unknown token.
 */
export async function shareTokenState(token: string): Promise<ShareTokenState> {
  return (await lookUp(token)).state;
}

/**
 * The view behind a share token, counting the view. A malformed or unknown token is "unknown"; a
 * revoked or expired link is "closed". Callers answer 404 for both; of a closed link they may say
 * that it no longer opens, and nothing else. Served from the cache only: a link keeps working while Nebuly is down or
 * after its retention dropped the interaction.
 */
export async function openShareLink(token: string, requester: Pick<Requester, "client"> = {}): Promise<ShareLinkOpening> {
  const { state, link } = await lookUp(token);
  if (state !== "open" || !link) return { state: state === "closed" ? "closed" : "unknown" };
  const snapshot = await interactionService().cachedSnapshot(link.interactionId);
  if (!snapshot) return { state: "unknown" };
  const now = new Date();
  await shareLinks().countView(link.id, now);
  metrics().shareLinkViews.inc();
  // Anonymous by design: whoever holds the link; the client says from where.
  if (viewLog.hit(`${link.id} ${requester.client ?? ""}`).ok) await recordAudit({ action: "share_link_viewed", actor: null, client: requester.client ?? null, target: link.id, detail: { interactionId: link.interactionId } }, now);
  return {
    state: "open",
    link: { id: link.id, expiresAt: link.expiresAt, hideSensitive: link.hideSensitive },
    fetchedAt: snapshot.fetchedAt,
    view: shareViewOf(snapshot.interaction, link.hideSensitive),
    projectName: link.hideSensitive ? null : projectNameOf(snapshot.projectSlug),
    labels: link.hideSensitive ? [] : ((await labelsForList([link.interactionId])).get(link.interactionId) ?? []),
  };
}
