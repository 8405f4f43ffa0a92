import "server-only";
import { env, isDemoMode } from "@/lib/env";
import { DEMO_PROJECTS } from "@/lib/demo/projects";
import type { Viewer } from "@/lib/access";
import { logger } from "@/lib/logger";
import type { ProjectConfig } from "./config";

export { DEFAULT_PROJECT_SLUG } from "./config";
export type { ProjectConfig } from "./config";

/** What pages and the API may show of a project: never its key or its URL. */
export interface ProjectSummary {
  slug: string;
  name: string;
}

/**
 * The last answer Nebuly gave to a project's key, learnt from real traffic (checking would spend
 * quota): `ok` after any answer that is not a refusal, `auth_failed` after a 401/403, `unknown`
 * until the first call.
 */
export type KeyState = "ok" | "auth_failed" | "unknown";

interface ProjectsState {
  keyStates: Map<string, KeyState>;
}

const holder = globalThis as typeof globalThis & { __inspectorProjects?: ProjectsState };

// One state per process, shared by the proxy and every route bundle.
function state(): ProjectsState {
  holder.__inspectorProjects ??= { keyStates: new Map() };
  return holder.__inspectorProjects;
}

/** Every configured project, in configuration order; in demo mode, the bundled demo projects. */
export function allProjects(): readonly ProjectConfig[] {
  return isDemoMode() ? DEMO_PROJECTS : env().projects;
}

export function projectBySlug(slug: string): ProjectConfig | undefined {
  return allProjects().find((project) => project.slug === slug);
}

/** Whether `viewer` may see `project`: a project without allowGroups is everyone's. */
export function mayView(viewer: Pick<Viewer, "groups">, project: ProjectConfig): boolean {
  if (!project.allowGroups) return true;
  const groups = new Set(viewer.groups ?? []);
  return project.allowGroups.some((group) => groups.has(group));
}

/** The projects `viewer` may see, in configuration order. */
export function visibleProjects(viewer: Pick<Viewer, "groups">): ProjectConfig[] {
  return allProjects().filter((project) => mayView(viewer, project));
}

/**
 * Whether `viewer` may see rows of project `slug`; null (the project is unknown: say, a link whose
 * snapshot is gone) only for a viewer who sees every project.
 */
export function maySeeSlug(viewer: Pick<Viewer, "groups">, slug: string | null): boolean {
  const visible = visibleProjects(viewer);
  if (slug === null) return visible.length === allProjects().length;
  return visible.some((project) => project.slug === slug);
}

export function summaryOf(project: ProjectConfig): ProjectSummary {
  return { slug: project.slug, name: project.name };
}

/** Whether pages should name projects at all: with one project configured, nothing changes. */
export function severalProjects(): boolean {
  return allProjects().length > 1;
}

/**
 * A project's name for list rows, or null when the inspector serves one project (rows then say
 * nothing about projects, as before there were several).
 */
export function projectNameOf(slug: string | undefined): string | null {
  if (!slug || !severalProjects()) return null;
  return projectBySlug(slug)?.name ?? slug;
}

export function recordKeyState(slug: string, keyState: Exclude<KeyState, "unknown">): void {
  const previous = state().keyStates.get(slug);
  state().keyStates.set(slug, keyState);
  // Said once per change, so a refused key is in the log without a line per request.
  if (previous !== keyState && keyState === "auth_failed") logger().warn({ project: slug }, "Nebuly refused this project's API key (401/403)");
  if (previous === "auth_failed" && keyState === "ok") logger().info({ project: slug }, "Nebuly accepts this project's API key again");
}

export function keyStateOf(slug: string): KeyState {
  return state().keyStates.get(slug) ?? "unknown";
}
