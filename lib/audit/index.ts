import "server-only";
import { getStore } from "@/db/client";
import type { Viewer } from "@/lib/access";
import { interactionService } from "@/lib/interactions";
import { logger } from "@/lib/logger";
import { allProjects, maySeeSlug, visibleProjects } from "@/lib/projects";
import type { AuditQuery } from "./query";
import { createAuditLog, type AuditInput, type AuditLog, type AuditPage } from "./service";
import { loggableError } from "@/db/availability";

export { AUDIT_ACTION_LABELS, AUDIT_ACTIONS, AUDIT_RETENTION_DAYS, isAuditAction } from "./actions";
export { AUDIT_PAGE_DEFAULT, parseAuditQuery, type AuditQuery } from "./query";
export type { AuditEvent, AuditInput, AuditPage } from "./service";

const holder = globalThis as typeof globalThis & { __inspectorAuditLog?: AuditLog };

/** One log per process (every route bundle shares it), so hourly pruning really is hourly. */
function auditLog(): AuditLog {
  holder.__inspectorAuditLog ??= createAuditLog(getStore());
  return holder.__inspectorAuditLog;
}

/**
 * Appends one event. Never throws: losing an audit line must not turn a sign-in or a share view
 * into an error page (the failure is logged instead).
 */
export async function recordAudit({ viewer, ...input }: AuditInput & { viewer?: Pick<Viewer, "groups"> }, now: Date = new Date()): Promise<void> {
  try {
    await auditLog().record({ ...input, project: input.project !== undefined ? input.project : await projectOfEvent(input, viewer) }, now);
  } catch (error) {
    logger().error({ err: loggableError(error), action: input.action }, "could not write an audit event");
  }
}

/** The interaction an event is about: its target, or the interaction of the share link it names. */
function interactionOf(input: AuditInput): string | null {
  if (input.action.startsWith("interaction_")) return input.target ?? null;
  const id = input.detail?.interactionId;
  return typeof id === "string" ? id : null;
}

/**
 * The project of that interaction, as stored here when the event happens (null when stored
 * nowhere). With the acting viewer given, a project it may not see counts as none: its event is
 * about an id that, for it, does not exist, and hiding the event from it would tell it otherwise.
 */
async function projectOfEvent(input: AuditInput, viewer: Pick<Viewer, "groups"> | undefined): Promise<string | null> {
  const id = interactionOf(input);
  if (!id) return null;
  const holding = await interactionService().holding(id);
  const project = holding.kind === "none" ? null : holding.projectSlug;
  return project !== null && viewer && !maySeeSlug(viewer, project) ? null : project;
}

/**
 * A page of the log, newest first, without events about interactions of projects `viewer` may not
 * see (for them those interactions do not exist).
 */
export function listAuditEvents(query: AuditQuery, viewer: Pick<Viewer, "groups">): Promise<AuditPage> {
  const visible = visibleProjects(viewer).map((project) => project.slug);
  return auditLog().list(query, visible.length === allProjects().length ? undefined : visible);
}

/** Actors of the events `viewer` may see, for filter suggestions. */
export function auditActors(viewer: Pick<Viewer, "groups">): Promise<string[]> {
  const visible = visibleProjects(viewer).map((project) => project.slug);
  return auditLog().actors(undefined, visible.length === allProjects().length ? undefined : visible);
}
