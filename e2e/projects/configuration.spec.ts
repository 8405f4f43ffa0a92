import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { randomUUID } from "node:crypto";
import { expect, test } from "@playwright/test";
import { startApp, startAppExpectingFailure, tempDatabaseUrl } from "../support/app-server";
import { FakeNebuly } from "../support/fake-nebuly";
import { projectKey, projectsJson } from "../support/projects";

/**
 * What an operator sees when NEBULY_PROJECTS (or its file) is wrong: the server refuses to start,
 * says which entry and field is the problem, and never prints a key, not even one it rejects.
 */

const SUPPORT_KEY = projectKey("support");
const SALES_KEY = projectKey("sales");
const SINGLE_KEY = projectKey("single");

const support = { slug: "support", name: "Support bot", apiKey: SUPPORT_KEY };
const sales = { slug: "sales", name: "Sales assistant", apiKey: SALES_KEY };

interface Case {
  name: string;
  env: Record<string, string>;
  /** What the message must say (the variable, the entry, the field). */
  says: RegExp[];
  /** Keys the configuration holds: none may appear in the output. */
  keys: string[];
}

const missingFile = path.join(os.tmpdir(), `inspector-projects-${randomUUID()}`, "projects.json");
const typoKey = projectKey("typo");

const cases: Case[] = [
  {
    name: "both NEBULY_API_KEY and NEBULY_PROJECTS",
    env: { NEBULY_API_KEY: SINGLE_KEY, NEBULY_PROJECTS: JSON.stringify([support, sales]) },
    says: [/NEBULY_API_KEY and NEBULY_PROJECTS/, /set only one/],
    keys: [SINGLE_KEY, SUPPORT_KEY, SALES_KEY],
  },
  {
    name: "two projects with the same slug",
    env: { NEBULY_PROJECTS: JSON.stringify([support, { ...sales, slug: "support" }]) },
    says: [/NEBULY_PROJECTS\[1\]/, /slug "support" is already used by NEBULY_PROJECTS\[0\]/],
    keys: [SUPPORT_KEY, SALES_KEY],
  },
  {
    name: "an empty apiKey",
    env: { NEBULY_PROJECTS: JSON.stringify([support, { ...sales, apiKey: "" }]) },
    says: [/NEBULY_PROJECTS\[1\] \("sales"\)\.apiKey: must not be empty/],
    keys: [SUPPORT_KEY],
  },
  {
    name: "an apiKey pasted with its label",
    env: { NEBULY_PROJECTS: JSON.stringify([support, { ...sales, apiKey: `Bearer ${SALES_KEY}` }]) },
    says: [/NEBULY_PROJECTS\[1\] \("sales"\)\.apiKey: must be printable ASCII without spaces/],
    keys: [SUPPORT_KEY, SALES_KEY],
  },
  {
    name: "an unknown field (the key under a misspelt name)",
    env: { NEBULY_PROJECTS: JSON.stringify([support, { slug: "sales", name: "Sales assistant", api_key: typoKey }]) },
    says: [/NEBULY_PROJECTS\[1\] \("sales"\)/, /unknown field "api_key"/],
    keys: [SUPPORT_KEY, typoKey],
  },
  {
    name: "invalid JSON (a list cut short after a key)",
    env: { NEBULY_PROJECTS: JSON.stringify([support, sales]).slice(0, -2) },
    says: [/NEBULY_PROJECTS: is not valid JSON/],
    keys: [SUPPORT_KEY, SALES_KEY],
  },
  {
    name: "a NEBULY_PROJECTS_FILE that does not exist",
    env: { NEBULY_PROJECTS_FILE: missingFile },
    says: [/NEBULY_PROJECTS_FILE: cannot read/, /no such file/],
    keys: [],
  },
  {
    name: "allowGroups without INSPECTOR_TRUSTED_GROUPS_HEADER",
    env: { NEBULY_PROJECTS: JSON.stringify([support, { ...sales, allowGroups: ["sales"] }]), INSPECTOR_TRUSTED_USER_HEADER: "X-Forwarded-User" },
    says: [/"sales" has allowGroups/, /INSPECTOR_TRUSTED_GROUPS_HEADER is not set/],
    keys: [SUPPORT_KEY, SALES_KEY],
  },
  {
    name: "a groups header without a trusted user header",
    env: { NEBULY_PROJECTS: JSON.stringify([support, { ...sales, allowGroups: ["sales"] }]), INSPECTOR_TRUSTED_GROUPS_HEADER: "X-Forwarded-Groups" },
    says: [/INSPECTOR_TRUSTED_GROUPS_HEADER: needs INSPECTOR_TRUSTED_USER_HEADER/],
    keys: [SUPPORT_KEY, SALES_KEY],
  },
];

for (const bad of cases) {
  test(`refuses to start with ${bad.name}, naming the problem and no key`, async () => {
    const result = await startAppExpectingFailure({ ...bad.env, DATABASE_URL: tempDatabaseUrl("projects-bad") });
    expect({ code: result.code, signal: result.signal }, result.output).toEqual({ code: 1, signal: null });
    for (const pattern of bad.says) expect(result.output).toMatch(pattern);
    expect(result.output).not.toMatch(/"msg":"listening on /);
    for (const key of bad.keys) expect(result.output, "a key in the start-up output").not.toContain(key);
  });
}

test("a project list read from NEBULY_PROJECTS_FILE works, and its keys stay out of the log", async ({ request }) => {
  const supportKey = projectKey("support");
  const salesKey = projectKey("sales");
  const supportNebuly = await new FakeNebuly(supportKey).start();
  const salesNebuly = await new FakeNebuly(salesKey).start();
  const id = randomUUID();
  salesNebuly.serveInteraction(id, { user_query: "Can I get a quote for 40 seats?" });
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), "inspector-projects-file-"));
  const file = path.join(folder, "projects.json");
  fs.writeFileSync(
    file,
    projectsJson(
      [
        { slug: "support", name: "Support bot", key: supportKey },
        { slug: "sales", name: "Sales assistant", key: salesKey },
      ],
      [supportNebuly.url, salesNebuly.url],
    ),
  );
  const app = await startApp({ NEBULY_PROJECTS_FILE: file, DATABASE_URL: tempDatabaseUrl("projects-file") });
  try {
    const projects = await request.get(`${app.url}/api/projects`);
    expect(await projects.json()).toEqual({
      projects: [
        { slug: "support", name: "Support bot", key: "unknown" },
        { slug: "sales", name: "Sales assistant", key: "unknown" },
      ],
    });
    const response = await request.get(`${app.url}/api/interactions/${id}`);
    expect(response.status()).toBe(200);
    expect((await response.json()).user_query).toBe("Can I get a quote for 40 seats?");
    expect(salesNebuly.callsFor(id).map((call) => call.authorization)).toEqual([`Bearer ${salesKey}`]);
    // Each project is asked with its own key, at its own URL, and never with another's.
    for (const call of supportNebuly.calls) expect(call.authorization).toBe(`Bearer ${supportKey}`);
    for (const key of [supportKey, salesKey]) expect(app.output()).not.toContain(key);
  } finally {
    await app.stop();
    await supportNebuly.stop();
    await salesNebuly.stop();
  }
});
