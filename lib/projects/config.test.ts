import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { resolveProjects, type ProjectSources } from "./config";

const API_URL = "https://backend.nebuly.com";
// Keys made at run time: each test's keys are its own, and a leak check cannot pass by accident.
const newKey = () => `k-${randomUUID()}`;

const sources = (extra: Partial<ProjectSources>): ProjectSources => ({ NEBULY_API_URL: API_URL, ...extra });
const list = (entries: unknown) => sources({ NEBULY_PROJECTS: JSON.stringify(entries) });
const noFile = () => {
  throw new Error("no file should be read");
};

/** The problems for `input`; fails the test when the configuration is accepted. */
function problemsOf(input: ProjectSources, readFile: (path: string) => string = noFile): string[] {
  const result = resolveProjects(input, readFile);
  if (result.ok) throw new Error(`accepted ${JSON.stringify(result.projects.map((project) => project.slug))}`);
  return result.problems;
}

describe("resolveProjects", () => {
  it("reads a list of projects, defaulting apiUrl to NEBULY_API_URL", () => {
    const [support, sales] = [newKey(), newKey()];
    const result = resolveProjects(
      {
        ...list([
          { slug: "support", name: "Support bot", apiKey: support },
          { slug: "sales-2", name: "Sales assistant", apiKey: sales, apiUrl: "https://eu.nebuly.example/", allowGroups: ["sales", "sales", "leads"] },
        ]),
        INSPECTOR_TRUSTED_GROUPS_HEADER: "x-forwarded-groups",
      },
      noFile,
    );
    expect(result).toEqual({
      ok: true,
      projects: [
        { slug: "support", name: "Support bot", apiKey: support, apiUrl: API_URL },
        { slug: "sales-2", name: "Sales assistant", apiKey: sales, apiUrl: "https://eu.nebuly.example", allowGroups: ["sales", "leads"] },
      ],
    });
  });

  it("accepts allowGroups when INSPECTOR_TRUSTED_GROUPS_HEADER is set", () => {
    const result = resolveProjects(
      { ...list([{ slug: "hr", name: "HR helper", apiKey: newKey(), allowGroups: ["hr"] }]), INSPECTOR_TRUSTED_GROUPS_HEADER: "x-forwarded-groups" },
      noFile,
    );
    expect(result.ok && result.projects.map((project) => project.allowGroups)).toEqual([["hr"]]);
  });

  it("reads NEBULY_PROJECTS_FILE through the file reader it is given", () => {
    const key = newKey();
    const read: string[] = [];
    const result = resolveProjects(sources({ NEBULY_PROJECTS_FILE: "/run/secrets/projects.json" }), (path) => {
      read.push(path);
      return JSON.stringify([{ slug: "support", name: "Support bot", apiKey: key }]);
    });
    expect(read).toEqual(["/run/secrets/projects.json"]);
    expect(result).toEqual({ ok: true, projects: [{ slug: "support", name: "Support bot", apiKey: key, apiUrl: API_URL }] });
  });

  it("says why NEBULY_PROJECTS_FILE cannot be read", () => {
    const missing = Object.assign(new Error("ENOENT"), { code: "ENOENT" });
    const problems = problemsOf(sources({ NEBULY_PROJECTS_FILE: "/run/secrets/nope.json" }), () => {
      throw missing;
    });
    expect(problems).toEqual([expect.stringContaining("/run/secrets/nope.json (no such file)")]);
  });

  it("makes NEBULY_API_KEY alone one project with the slug default", () => {
    const key = newKey();
    expect(resolveProjects(sources({ NEBULY_API_KEY: key }), noFile)).toEqual({
      ok: true,
      projects: [{ slug: "default", name: "Default project", apiKey: key, apiUrl: API_URL }],
    });
  });

  it("has no project (demo mode) when nothing is set", () => {
    expect(resolveProjects(sources({}), noFile)).toEqual({ ok: true, projects: [] });
  });

  // Each case: the configuration, and words the operator must read in the message.
  const errorCases: [string, (key: string) => { input: ProjectSources; readFile?: (path: string) => string }, RegExp][] = [
    [
      "a list and a single key both set",
      (key) => ({ input: { ...list([{ slug: "a", name: "A", apiKey: key }]), NEBULY_API_KEY: key } }),
      /NEBULY_API_KEY and NEBULY_PROJECTS .*set only one/,
    ],
    [
      "a file and a single key both set",
      (key) => ({ input: sources({ NEBULY_API_KEY: key, NEBULY_PROJECTS_FILE: "/p.json" }) }),
      /NEBULY_API_KEY and NEBULY_PROJECTS_FILE .*set only one/,
    ],
    [
      "duplicate slugs",
      (key) => ({ input: list([{ slug: "support", name: "A", apiKey: key }, { slug: "support", name: "B", apiKey: `${key}-2` }]) }),
      /NEBULY_PROJECTS\[1\]: slug "support" is already used by NEBULY_PROJECTS\[0\]/,
    ],
    [
      "an empty key",
      (key) => ({ input: list([{ slug: "a", name: "A", apiKey: key }, { slug: "b", name: "B", apiKey: "  " }]) }),
      /NEBULY_PROJECTS\[1\] \("b"\)\.apiKey: must not be empty/,
    ],
    [
      "a key with a space inside",
      (key) => ({ input: list([{ slug: "a", name: "A", apiKey: `${key} ${key}` }]) }),
      /NEBULY_PROJECTS\[0\] \("a"\)\.apiKey: must be printable ASCII/,
    ],
    [
      "an unknown field (a misspelt key field holding the key)",
      (key) => ({ input: list([{ slug: "a", name: "A", api_key: key }]) }),
      /unknown field "api_key"/,
    ],
    [
      "a bad slug",
      (key) => ({ input: list([{ slug: "Support Bot", name: "Support", apiKey: key }]) }),
      /NEBULY_PROJECTS\[0\]\.slug: must be 1–40 lower-case letters, digits and dashes/,
    ],
    [
      "a slug ending with a dash",
      (key) => ({ input: list([{ slug: "support-", name: "Support", apiKey: key }]) }),
      /NEBULY_PROJECTS\[0\]\.slug: /,
    ],
    [
      "invalid JSON (that contains the key)",
      (key) => ({ input: sources({ NEBULY_PROJECTS: `[{"slug":"a","name":"A","apiKey":"${key}"` }) }),
      /NEBULY_PROJECTS: is not valid JSON/,
    ],
    [
      "invalid JSON in the file",
      (key) => ({ input: sources({ NEBULY_PROJECTS_FILE: "/p.json" }), readFile: () => `{ apiKey: ${key} ]` }),
      /NEBULY_PROJECTS_FILE: is not valid JSON/,
    ],
    [
      "an object instead of an array",
      (key) => ({ input: list({ slug: "a", name: "A", apiKey: key }) }),
      /NEBULY_PROJECTS: must be a JSON array of projects/,
    ],
    ["an empty array", () => ({ input: list([]) }), /NEBULY_PROJECTS: lists no project/],
    [
      "allowGroups without INSPECTOR_TRUSTED_GROUPS_HEADER",
      (key) => ({ input: list([{ slug: "hr", name: "HR", apiKey: key, allowGroups: ["hr"] }]) }),
      /"hr" has allowGroups, but INSPECTOR_TRUSTED_GROUPS_HEADER is not set/,
    ],
    [
      "an empty allowGroups",
      (key) => ({ input: { ...list([{ slug: "hr", name: "HR", apiKey: key, allowGroups: [] }]), INSPECTOR_TRUSTED_GROUPS_HEADER: "x-groups" } }),
      /NEBULY_PROJECTS\[0\] \("hr"\)\.allowGroups: must name at least one group/,
    ],
    [
      "an apiUrl that is not http(s)",
      (key) => ({ input: list([{ slug: "a", name: "A", apiKey: key, apiUrl: "ftp://nebuly.example" }]) }),
      /NEBULY_PROJECTS\[0\] \("a"\)\.apiUrl: must be an http\(s\) URL/,
    ],
  ];

  it.each(errorCases)("refuses %s with a message naming the problem, never the key", (_name, make, expected) => {
    const key = newKey();
    const { input, readFile } = make(key);
    const problems = problemsOf(input, readFile);
    expect(problems.join("\n")).toMatch(expected);
    expect(problems.join("\n")).not.toContain(key);
    // Not even a recognisable piece of it.
    expect(problems.join("\n")).not.toContain(key.slice(2, 14));
  });

  it("names every bad entry at once", () => {
    const problems = problemsOf(list([{ slug: "ok", name: "OK", apiKey: newKey() }, { slug: "BAD", name: "Bad", apiKey: newKey() }, { slug: "c", name: "", apiKey: newKey() }]));
    expect(problems).toEqual([expect.stringMatching(/^NEBULY_PROJECTS\[1\]\.slug: /), expect.stringMatching(/^NEBULY_PROJECTS\[2\] \("c"\)\.name: must not be empty/)]);
  });
});
