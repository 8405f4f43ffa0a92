import fs from "node:fs";
import { z } from "zod";

/**
 * The Nebuly projects this inspector reads. Nebuly issues one API key per project, so a team with
 * several chatbots configures one entry per bot. Parsed once, at start, by lib/env.ts; every
 * message about a bad entry names the entry and the field, never a key's value.
 */
export interface ProjectConfig {
  /** Stable id in URLs, list filters and the cache: lower-case letters, digits and dashes. */
  slug: string;
  /** What people read: the switcher, the page header, the unfurl card. */
  name: string;
  apiKey: string;
  apiUrl: string;
  /** Groups (from INSPECTOR_TRUSTED_GROUPS_HEADER) whose members may see it; undefined: every viewer. */
  allowGroups?: string[];
}

/** The slug of the one project NEBULY_API_KEY configures, and of snapshots cached before projects existed. */
export const DEFAULT_PROJECT_SLUG = "default";

const MAX_PROJECTS = 50;

const slugSchema = z
  .string({ error: "must be a string" })
  .regex(/^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$/, "must be 1–40 lower-case letters, digits and dashes, not starting or ending with a dash");

const projectSchema = z.strictObject(
  {
    slug: slugSchema,
    name: z.string({ error: "must be a string" }).trim().min(1, "must not be empty").max(80, "must be at most 80 characters"),
    // The value is never echoed: zod's messages here are fixed words.
    apiKey: z
      .string({ error: "must be a string" })
      .refine((key) => key.trim().length > 0, "must not be empty")
      .refine((key) => /^[\x21-\x7e]+$/.test(key), "must be printable ASCII without spaces (it is sent in an Authorization header)"),
    apiUrl: z
      .url({ protocol: /^https?$/, error: "must be an http(s) URL" })
      .transform((url) => url.replace(/\/+$/, ""))
      .optional(),
    allowGroups: z
      .array(z.string({ error: "must be a list of group names" }).trim().min(1, "must not contain an empty group name").max(200), { error: "must be a list of group names" })
      .min(1, "must name at least one group (leave it out to let every viewer see the project)")
      .optional(),
  },
  { error: (issue) => (issue.code === "unrecognized_keys" ? `unknown field ${issue.keys.map((key) => `"${key}"`).join(", ")} (allowed: slug, name, apiKey, apiUrl, allowGroups)` : undefined) },
);

export interface ProjectSources {
  NEBULY_API_KEY?: string;
  NEBULY_API_URL: string;
  NEBULY_PROJECTS?: string;
  NEBULY_PROJECTS_FILE?: string;
  INSPECTOR_TRUSTED_GROUPS_HEADER?: string;
}

export type ProjectsResult = { ok: true; projects: ProjectConfig[] } | { ok: false; problems: string[] };

/** Where an issue sits, as a person reads it: `NEBULY_PROJECTS[1] ("sales").apiKey`. */
function place(source: string, entries: unknown[], path: PropertyKey[]): string {
  const [index, ...rest] = path;
  if (typeof index !== "number") return source;
  const entry = entries[index];
  const slug = entry && typeof entry === "object" && typeof (entry as { slug?: unknown }).slug === "string" ? (entry as { slug: string }).slug : undefined;
  const named = slug && slugSchema.safeParse(slug).success ? ` ("${slug}")` : "";
  return `${source}[${index}]${named}${rest.length ? `.${rest.map(String).join(".")}` : ""}`;
}

/**
 * The configured projects: the list from NEBULY_PROJECTS or NEBULY_PROJECTS_FILE, or the one
 * project NEBULY_API_KEY makes, or none (demo mode). `readFile` is injectable for tests.
 */
export function resolveProjects(sources: ProjectSources, readFile: (path: string) => string = (path) => fs.readFileSync(path, "utf8")): ProjectsResult {
  const { NEBULY_API_KEY, NEBULY_PROJECTS, NEBULY_PROJECTS_FILE } = sources;
  const chosen = [NEBULY_API_KEY && "NEBULY_API_KEY", NEBULY_PROJECTS && "NEBULY_PROJECTS", NEBULY_PROJECTS_FILE && "NEBULY_PROJECTS_FILE"].filter(Boolean);
  if (chosen.length > 1) {
    return { ok: false, problems: [`${chosen.join(" and ")} are all set: set only one (NEBULY_API_KEY for one project, NEBULY_PROJECTS or NEBULY_PROJECTS_FILE for several)`] };
  }
  if (NEBULY_API_KEY) {
    return { ok: true, projects: [{ slug: DEFAULT_PROJECT_SLUG, name: "Default project", apiKey: NEBULY_API_KEY, apiUrl: sources.NEBULY_API_URL }] };
  }
  if (!NEBULY_PROJECTS && !NEBULY_PROJECTS_FILE) return { ok: true, projects: [] };

  let text: string;
  const source = NEBULY_PROJECTS ? "NEBULY_PROJECTS" : "NEBULY_PROJECTS_FILE";
  if (NEBULY_PROJECTS) {
    text = NEBULY_PROJECTS;
  } else {
    try {
      text = readFile(NEBULY_PROJECTS_FILE!);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      const why = code === "ENOENT" ? "no such file" : code === "EACCES" ? "permission denied" : code === "EISDIR" ? "it is a folder" : "it cannot be read";
      return { ok: false, problems: [`NEBULY_PROJECTS_FILE: cannot read ${NEBULY_PROJECTS_FILE} (${why})`] };
    }
  }

  let entries: unknown;
  try {
    entries = JSON.parse(text);
  } catch {
    // JSON.parse's own message quotes the text around the error, which may be a key: never repeat it.
    return { ok: false, problems: [`${source}: is not valid JSON (expected an array such as [{"slug":"support","name":"Support bot","apiKey":"…"}])`] };
  }
  if (!Array.isArray(entries)) return { ok: false, problems: [`${source}: must be a JSON array of projects`] };
  if (entries.length === 0) return { ok: false, problems: [`${source}: lists no project (unset it to run on demo data)`] };
  if (entries.length > MAX_PROJECTS) return { ok: false, problems: [`${source}: lists ${entries.length} projects; at most ${MAX_PROJECTS} are supported`] };

  const problems: string[] = [];
  const projects: ProjectConfig[] = [];
  entries.forEach((entry, index) => {
    const parsed = projectSchema.safeParse(entry);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) problems.push(`${place(source, entries as unknown[], [index, ...issue.path])}: ${issue.message}`);
      return;
    }
    const { apiUrl, allowGroups, ...rest } = parsed.data;
    projects.push({ ...rest, apiUrl: apiUrl ?? sources.NEBULY_API_URL, ...(allowGroups ? { allowGroups: [...new Set(allowGroups)] } : {}) });
  });

  const seen = new Map<string, number>();
  entries.forEach((entry, index) => {
    const slug = (entry as { slug?: unknown } | null)?.slug;
    if (typeof slug !== "string") return;
    if (seen.has(slug)) problems.push(`${source}[${index}]: slug "${slug}" is already used by ${source}[${seen.get(slug)}]; slugs must be unique`);
    else seen.set(slug, index);
  });

  if (!sources.INSPECTOR_TRUSTED_GROUPS_HEADER) {
    const restricted = projects.filter((project) => project.allowGroups).map((project) => `"${project.slug}"`);
    if (restricted.length > 0) {
      problems.push(`${source}: ${restricted.join(", ")} ${restricted.length === 1 ? "has" : "have"} allowGroups, but INSPECTOR_TRUSTED_GROUPS_HEADER is not set, so nobody could see ${restricted.length === 1 ? "it" : "them"}`);
    }
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, projects };
}
