import { randomUUID } from "node:crypto";
import { startApp, tempDatabaseUrl, type AppServer } from "./app-server";
import { FakeNebuly } from "./fake-nebuly";

/** One configured project and the fake Nebuly that plays it (its own URL, its own key). */
export interface FakeProject {
  slug: string;
  name: string;
  /** The key configured for it; derived at run time, so no key-shaped text sits in the source. */
  key: string;
  nebuly: FakeNebuly;
  allowGroups?: string[];
}

export interface ProjectSpec {
  slug: string;
  name: string;
  allowGroups?: string[];
  /** The fake accepts another key than the one configured: every call answers 401. */
  refusesKey?: boolean;
}

export interface ProjectsApp {
  app: AppServer;
  projects: FakeProject[];
  /** The project by slug. */
  project(slug: string): FakeProject;
  /** Every configured key. */
  keys(): string[];
  stop(): Promise<void>;
}

/** A fresh key for a project: random, so a test that finds it anywhere found a real leak. */
export function projectKey(slug: string): string {
  return `${slug}-key-${randomUUID()}`;
}

/** The NEBULY_PROJECTS value for `projects`. */
export function projectsJson(projects: Pick<FakeProject, "slug" | "name" | "key" | "allowGroups">[], urls: (string | undefined)[] = []): string {
  return JSON.stringify(
    projects.map((project, index) => ({
      slug: project.slug,
      name: project.name,
      apiKey: project.key,
      ...(urls[index] ? { apiUrl: urls[index] } : {}),
      ...(project.allowGroups ? { allowGroups: project.allowGroups } : {}),
    })),
  );
}

/** One fake Nebuly per project, and the built app configured with NEBULY_PROJECTS against them. */
export async function startProjectsApp(label: string, specs: ProjectSpec[], env: Record<string, string> = {}): Promise<ProjectsApp> {
  const projects: FakeProject[] = [];
  for (const spec of specs) {
    const key = projectKey(spec.slug);
    const nebuly = await new FakeNebuly(spec.refusesKey ? projectKey(`${spec.slug}-other`) : key).start();
    projects.push({ slug: spec.slug, name: spec.name, key, nebuly, ...(spec.allowGroups ? { allowGroups: spec.allowGroups } : {}) });
  }
  const stopFakes = () => Promise.all(projects.map((project) => project.nebuly.stop()));
  let app: AppServer;
  try {
    app = await startApp({
      NEBULY_PROJECTS: projectsJson(projects, projects.map((project) => project.nebuly.url)),
      DATABASE_URL: tempDatabaseUrl(label),
      UPSTREAM_TIMEOUT_MS: "3000",
      ...env,
    });
  } catch (error) {
    await stopFakes();
    throw error;
  }
  return {
    app,
    projects,
    project: (slug) => projects.find((project) => project.slug === slug)!,
    keys: () => projects.map((project) => project.key),
    async stop() {
      await app.stop();
      await stopFakes();
    },
  };
}

/** The content of a page's `<meta property="og:description">`. */
export function ogDescription(html: string): string | undefined {
  const match = /<meta[^>]+property="og:description"[^>]+content="([^"]*)"/.exec(html) ?? /<meta[^>]+content="([^"]*)"[^>]+property="og:description"/.exec(html);
  return match?.[1];
}
