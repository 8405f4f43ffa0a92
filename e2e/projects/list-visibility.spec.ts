import { randomUUID } from "node:crypto";
import { expect, test, type APIRequestContext } from "@playwright/test";
import type { FakeNebuly } from "../support/fake-nebuly";
import { startProjectsApp, type ProjectsApp } from "../support/projects";

/**
 * The list an interaction was opened from, seen by someone who may not see all of it. Behind an
 * SSO proxy, project "alpha" is everyone's and "beta" only team-b's. Bob (team-b) moves through
 * a list holding a beta interaction and sends Ann (team-a) a link from it: for Ann the beta row
 * must not exist in that list (not counted, not linked), and a list naming project beta must
 * answer as one naming a project that does not exist, without asking beta's Nebuly anything.
 */

const USER = "X-Forwarded-User";
const GROUPS = "X-Forwarded-Groups";
const ALPHA_OLD = randomUUID();
const BETA_ID = randomUUID();
const ALPHA_NEW = randomUUID();

let live: ProjectsApp;
let beta: FakeNebuly;
let ann: APIRequestContext;
let bob: APIRequestContext;

const b64 = (text: string) => Buffer.from(text, "utf8").toString("base64url");
const unescape = (href: string) => href.replace(/&amp;/g, "&");

test.beforeAll(async ({ playwright }) => {
  live = await startProjectsApp(
    "list-visibility",
    [
      { slug: "alpha", name: "Alpha bot" },
      { slug: "beta", name: "Beta bot", allowGroups: ["team-b"] },
    ],
    { INSPECTOR_TRUSTED_USER_HEADER: USER, INSPECTOR_TRUSTED_GROUPS_HEADER: GROUPS },
  );
  const alpha = live.project("alpha").nebuly;
  beta = live.project("beta").nebuly;
  alpha.serveInteraction(ALPHA_OLD, { user_query: "Old alpha question", output: "a", timestamp: "2026-11-20T08:00:00Z" });
  alpha.serveInteraction(ALPHA_NEW, { user_query: "New alpha question", output: "b", timestamp: "2026-11-20T10:00:00Z" });
  beta.serveInteraction(BETA_ID, { user_query: "Beta's secret question", output: "c", timestamp: "2026-11-20T09:00:00Z" });

  const context = (headers: Record<string, string>) => playwright.request.newContext({ baseURL: live.app.url, extraHTTPHeaders: headers });
  ann = await context({ [USER]: "ann@example.com", [GROUPS]: "team-a" });
  bob = await context({ [USER]: "bob@example.com", [GROUPS]: "team-b" });
  // Bob opens all three: Recently viewed is then new alpha, beta, old alpha.
  for (const id of [ALPHA_OLD, BETA_ID, ALPHA_NEW]) expect((await bob.get(`/interactions/${id}`)).status()).toBe(200);
});

test.afterAll(async () => {
  await ann?.dispose();
  await bob?.dispose();
  await live?.stop();
});

test("a Recently viewed link Bob sends Ann: the beta row is neither counted nor linked for her", async () => {
  const home = await (await bob.get("/")).text();
  const href = unescape(new RegExp(`href="(/interactions/${ALPHA_OLD}\\?list=r1\\.[^"]+)"`).exec(home)![1]!);
  const bobs = await (await bob.get(href)).text();
  expect(bobs).toContain("3 of 3");
  expect(bobs).toContain(`href="/interactions/${BETA_ID}?`);

  const callsBefore = beta.calls.length;
  const response = await ann.get(href);
  expect(response.status()).toBe(200);
  const anns = await response.text();
  expect(anns).toContain("2 of 2");
  expect(anns).toContain(`href="/interactions/${ALPHA_NEW}?`);
  expect(anns).not.toContain(`/interactions/${BETA_ID}`);
  expect(anns).not.toContain("Beta&#x27;s secret question");
  expect(beta.calls.length).toBe(callsBefore);
});

test("a list naming project beta answers Ann as one naming a project that does not exist", async () => {
  const range = "from=2026-11-01T00%3A00%3A00.000Z&to=2026-11-25T00%3A00%3A00.000Z";
  const pageWith = async (list: string) => {
    const response = await ann.get(`/interactions/${ALPHA_OLD}?list=${list}&at=1`);
    expect(response.status()).toBe(200);
    const html = await response.text();
    // The line the navigation shows, with the list's own address and the slug taken out.
    return /<p role="status"[^>]*>(.*?)<\/p>/s.exec(html)![1]!.split(list).join("<list>");
  };
  const callsBefore = beta.calls.length;
  for (const [hidden, missing] of [
    [`c1.${b64("project=beta")}`, `c1.${b64("project=gamma")}`],
    [`b1.${b64(`${range}&project=beta`)}`, `b1.${b64(`${range}&project=gamma`)}`],
  ]) {
    const seenHidden = await pageWith(hidden);
    expect(seenHidden).not.toContain("Beta bot");
    expect(seenHidden.split("beta").join("<slug>")).toBe((await pageWith(missing)).split("gamma").join("<slug>"));
  }
  expect(beta.calls.length).toBe(callsBefore);
});
