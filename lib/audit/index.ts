import "server-only";
import { getDb } from "@/db/client";
import { logger } from "@/lib/logger";
import type { AuditQuery } from "./query";
import { createAuditLog, type AuditInput, type AuditLog, type AuditPage } from "./service";

export { AUDIT_ACTION_LABELS, AUDIT_ACTIONS, AUDIT_RETENTION_DAYS, isAuditAction } from "./actions";
export { AUDIT_PAGE_DEFAULT, parseAuditQuery, type AuditQuery } from "./query";
export type { AuditEvent, AuditInput, AuditPage } from "./service";

const holder = globalThis as typeof globalThis & { __inspectorAuditLog?: AuditLog };

/** One log per process (every route bundle shares it), so hourly pruning really is hourly. */
function auditLog(): AuditLog {
  holder.__inspectorAuditLog ??= createAuditLog(getDb());
  return holder.__inspectorAuditLog;
}

/**
 * Appends one event. Never throws: losing an audit line must not turn a sign-in or a share view
 * into an error page (the failure is logged instead).
 */
export function recordAudit(input: AuditInput, now: Date = new Date()): void {
  try {
    auditLog().record(input, now);
  } catch (error) {
    logger().error({ err: error, action: input.action }, "could not write an audit event");
  }
}

/** A page of the log, newest first. */
export function listAuditEvents(query: AuditQuery): AuditPage {
  return auditLog().list(query);
}

/** Actors seen in the log, for filter suggestions. */
export function auditActors(): string[] {
  return auditLog().actors();
}
