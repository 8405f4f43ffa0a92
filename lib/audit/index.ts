import "server-only";
import { getDb } from "@/db/client";
import type { Viewer } from "@/lib/access";
import { interactionService } from "@/lib/interactions";
import { logger } from "@/lib/logger";
import { allProjects, visibleProjects } from "@/lib/projects";
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
    auditLog().record({ ...input, project: input.project !== undefined ? input.project : projectOfEvent(input) }, now);
  } catch (error) {
    logger().error({ err: error, action: input.action }, "could not write an audit event");
  }
}

/** The interaction an event is about: its target, or the interaction of the share link it names. */
function interactionOf(input: AuditInput): string | null {
  if (input.action.startsWith("interaction_")) return input.target ?? null;
  const id = input.detail?.interactionId;
  return typeof id === "string" ? id : null;
}

/** The project of that interaction, as stored here when the event happens (null when stored nowhere). */
function projectOfEvent(input: AuditInput): string | null {
  const id = interactionOf(input);
  if (!id) return null;
  const holding = interactionService().holding(id);
  return holding.kind === "none" ? null : holding.projectSlug;
}

/**
 * A page of the log, newest first, without events about interactions of projects `viewer` may not
 * see (for them those interactions do not exist).
 */
export function listAuditEvents(query: AuditQuery, viewer: Pick<Viewer, "groups">): AuditPage {
  const visible = visibleProjects(viewer).map((project) => project.slug);
  return auditLog().list(query, visible.length === allProjects().length ? undefined : visible);
}

/** Actors seen in the log, for filter suggestions. */
export function auditActors(): string[] {
  return auditLog().actors();
}
