import "server-only";
import { lt } from "drizzle-orm";
import { getDb } from "@/db/client";
import { auditEvents } from "@/db/schema";
import { logger } from "@/lib/logger";

/** What the audit log records. */
export const AUDIT_ACTIONS = [
  "sign_in",
  "sign_in_failed",
  "sign_out",
  "sign_out_everywhere",
  "share_link_created",
  "share_link_viewed",
  "share_link_revoked",
  "interaction_refreshed",
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** How long audit events are kept. */
export const AUDIT_RETENTION_DAYS = 90;
const PRUNE_EVERY_MS = 3_600_000;

export interface AuditInput {
  action: AuditAction;
  /** The viewer's name; null for anonymous requests (failed sign-ins, share views). */
  actor: string | null;
  client: string | null;
  target?: string | null;
  detail?: Record<string, string | number | boolean | null>;
}

const holder = globalThis as typeof globalThis & { __inspectorAuditPrunedAt?: number };

/**
 * Appends one event. Never throws: losing an audit line must not turn a sign-in or a share view
 * into an error page (the failure is logged instead).
 */
export function recordAudit(input: AuditInput, now: Date = new Date()): void {
  try {
    const db = getDb();
    db.insert(auditEvents)
      .values({
        at: now,
        action: input.action,
        actor: input.actor?.slice(0, 200) ?? null,
        client: input.client?.slice(0, 100) ?? null,
        target: input.target?.slice(0, 200) ?? null,
        detail: input.detail ? JSON.stringify(input.detail) : null,
      })
      .run();
    const last = holder.__inspectorAuditPrunedAt ?? 0;
    if (now.getTime() - last >= PRUNE_EVERY_MS) {
      holder.__inspectorAuditPrunedAt = now.getTime();
      db.delete(auditEvents).where(lt(auditEvents.at, new Date(now.getTime() - AUDIT_RETENTION_DAYS * 86_400_000))).run();
    }
  } catch (error) {
    logger().error({ err: error, action: input.action }, "could not write an audit event");
  }
}
