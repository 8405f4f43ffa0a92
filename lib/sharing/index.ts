import "server-only";
import { getDb } from "@/db/client";
import { randomToken, sha256 } from "@/lib/access/tokens";
import { AppError } from "@/lib/errors";
import { interactionService, parseInteractionId, type InteractionSnapshot } from "@/lib/interactions";
import { createInteractionRepository } from "@/lib/interactions/repository";
import { createShareLinkRepository, type ShareLinkListItem } from "./repository";
import type { ShareLinkRow } from "@/db/schema";

export const EXPIRY_OPTIONS = { "1h": 3_600_000, "1d": 86_400_000, "7d": 7 * 86_400_000, "30d": 30 * 86_400_000, never: null } as const;
export type ExpiresIn = keyof typeof EXPIRY_OPTIONS;

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

/** What a share link with hideSensitive leaves out, on the page and in its metadata. */
export const SENSITIVE_FIELDS = ["user", "conversation id", "tags", "RAG source details"];

const repositories = () => {
  const db = getDb();
  return { links: createShareLinkRepository(db), interactions: createInteractionRepository(db) };
};

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
    hiddenFields: link.hideSensitive ? SENSITIVE_FIELDS : [],
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
export async function createShareLink(input: { interactionId: string; expiresIn: ExpiresIn; hideSensitive: boolean; createdBy: string | null; origin: string }) {
  const interactionId = parseInteractionId(input.interactionId);
  await interactionService().get(interactionId);
  const token = randomToken(32);
  const now = new Date();
  const ttl = EXPIRY_OPTIONS[input.expiresIn];
  const link = repositories().links.insert({
    id: randomToken(9),
    tokenHash: sha256(token),
    interactionId,
    createdAt: now,
    createdBy: input.createdBy,
    expiresAt: ttl === null ? null : new Date(now.getTime() + ttl),
    hideSensitive: input.hideSensitive,
  });
  return { id: link.id, url: `${input.origin}/s/${token}`, expiresAt: link.expiresAt?.toISOString() ?? null };
}

export function listShareLinks(): ShareLinkSummary[] {
  const now = Date.now();
  return repositories().links.list().map((link) => summaryOf(link, now));
}

export function revokeShareLink(id: string): void {
  if (!repositories().links.revoke(id, new Date())) throw new AppError("not_found", "There is no share link with this id.");
}

export interface OpenedShareLink {
  link: ShareLinkRow;
  snapshot: InteractionSnapshot;
}

/**
 * The snapshot behind a share token, counting the view; null for a token that is malformed,
 * unknown, expired or revoked (callers answer 404 and say nothing more). Served from the cache
 * only: a link keeps working while Nebuly is down or after its retention dropped the interaction.
 */
export function openShareLink(token: string): OpenedShareLink | null {
  if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) return null;
  const { links, interactions } = repositories();
  const link = links.findByTokenHash(sha256(token));
  if (!link || statusOf(link, Date.now()) !== "active") return null;
  const row = interactions.find(link.interactionId);
  if (!row) return null;
  links.countView(link.id, new Date());
  return { link, snapshot: interactionService().snapshotOfRow(row) };
}
