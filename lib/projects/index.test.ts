import { randomUUID } from "node:crypto";
import { afterEach, describe, expect, it, vi } from "vitest";

/** lib/projects as a fresh start with these settings would see them (configuration is read once). */
async function projectsWith(settings: Record<string, string>) {
  vi.resetModules();
  for (const name of ["NEBULY_API_KEY", "NEBULY_PROJECTS", "NEBULY_PROJECTS_FILE", "INSPECTOR_TRUSTED_USER_HEADER", "INSPECTOR_TRUSTED_GROUPS_HEADER"]) vi.stubEnv(name, settings[name] ?? "");
  return import("./index");
}

const key = () => `k-${randomUUID()}`;

afterEach(() => {
  vi.unstubAllEnvs();
});

describe("which projects a viewer sees", () => {
  const configured = () => ({
    INSPECTOR_TRUSTED_USER_HEADER: "X-Forwarded-User",
    INSPECTOR_TRUSTED_GROUPS_HEADER: "X-Forwarded-Groups",
    NEBULY_PROJECTS: JSON.stringify([
      { slug: "support", name: "Support bot", apiKey: key() },
      { slug: "hr", name: "HR helper", apiKey: key(), allowGroups: ["hr", "people-ops"] },
      { slug: "finance", name: "Finance", apiKey: key(), allowGroups: ["finance"] },
    ]),
  });

  it("shows a project without allowGroups to everyone, and a restricted one only to its groups' members", async () => {
    const projects = await projectsWith(configured());
    const slugs = (groups?: string[]) => projects.visibleProjects({ groups }).map((project) => project.slug);
    expect(slugs()).toEqual(["support"]);
    expect(slugs([])).toEqual(["support"]);
    expect(slugs(["people-ops"])).toEqual(["support", "hr"]);
    expect(slugs(["finance", "hr"])).toEqual(["support", "hr", "finance"]);
    // Group names match exactly.
    expect(slugs(["HR", "finance-team"])).toEqual(["support"]);
  });

  it("lets only a viewer of every project see rows whose project is unknown", async () => {
    const projects = await projectsWith(configured());
    expect(projects.maySeeSlug({ groups: ["hr", "finance"] }, null)).toBe(true);
    expect(projects.maySeeSlug({ groups: ["hr"] }, null)).toBe(false);
    expect(projects.maySeeSlug({ groups: ["hr"] }, "hr")).toBe(true);
    expect(projects.maySeeSlug({ groups: ["hr"] }, "finance")).toBe(false);
    expect(projects.maySeeSlug({}, "retired")).toBe(false);
  });

  it("never shows a key or URL in what pages get", async () => {
    const projects = await projectsWith(configured());
    const summaries = projects.allProjects().map(projects.summaryOf);
    expect(summaries).toEqual([
      { slug: "support", name: "Support bot" },
      { slug: "hr", name: "HR helper" },
      { slug: "finance", name: "Finance" },
    ]);
    expect(projects.severalProjects()).toBe(true);
  });

  it("is one project, the default, with NEBULY_API_KEY alone: nothing changes for pages", async () => {
    const projects = await projectsWith({ NEBULY_API_KEY: key() });
    expect(projects.allProjects().map((project) => project.slug)).toEqual(["default"]);
    expect(projects.severalProjects()).toBe(false);
    expect(projects.visibleProjects({}).map((project) => project.slug)).toEqual(["default"]);
  });

  it("serves the two demo projects when nothing is configured", async () => {
    const projects = await projectsWith({});
    expect(projects.allProjects().map((project) => project.slug)).toEqual(["support", "billing"]);
    expect(projects.severalProjects()).toBe(true);
  });
});
