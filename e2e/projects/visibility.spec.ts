import http from "node:http";
import { randomUUID } from "node:crypto";
import { expect, test, type APIRequestContext, type Browser, type BrowserContext } from "@playwright/test";
import type { FakeNebuly } from "../support/fake-nebuly";
import { ogDescription, startProjectsApp, type ProjectsApp } from "../support/projects";
import { signedInRequest } from "../support/sign-in";

/**
 * Who sees which project. Behind an SSO proxy (user and groups headers), project "alpha" is
 * everyone's and project "beta" only team-b's. Bob (team-b) opens, caches and shares a beta
 * interaction; for Ann (team-a) it must not exist, exactly as an id that does not exist, anywhere
 * she looks, and beta's Nebuly must see no call on her behalf.
 */

const USER = "X-Forwarded-User";
const PASSWORD = "correct-horse-battery";
const GROUPS = "X-Forwarded-Groups";
const BETA_ID = randomUUID();
// In beta's list, never opened: what Bob forgets from a list alone.
const LISTED_ID = randomUUID();
const ALPHA_ID = randomUUID();
// A word only beta's interaction holds: searching for it is how Ann would look for it.
const SECRET_WORD = "quokkadiscount";
const BETA_QUERY = `Is the ${SECRET_WORD} still valid?`;
// Suggestions and filters are built from cached interactions: these must not show up in Ann's.
const BETA_USER = "beta-customer@example.com";
const BETA_TOPIC = "Marsupial promotions";

let live: ProjectsApp;
let url: string;
let alpha: FakeNebuly;
let beta: FakeNebuly;
let ann: APIRequestContext;
let bob: APIRequestContext;
let anonymous: APIRequestContext;
let shareUrl: string;
let hiddenShareUrl: string;

const annHeaders = { [USER]: "ann@example.com", [GROUPS]: "team-a" };
const bobHeaders = { [USER]: "bob@example.com", [GROUPS]: "team-b,support" };

function browserAs(browser: Browser, headers: Record<string, string>): Promise<BrowserContext> {
  return browser.newContext({ extraHTTPHeaders: headers });
}

/** Replaces every occurrence of `from` so two answers about different ids or slugs can be compared. */
const neutral = (text: string, from: string, to = "<x>") => text.split(from).join(to);

/** A raw request from a chosen loopback address (127.0.0.5 plays a machine that is not the proxy). */
function rawRequest(target: string, headers: Record<string, string>, localAddress: string) {
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const request = http.request(target, { headers, localAddress }, (response) => {
      let body = "";
      response.setEncoding("utf8");
      response.on("data", (chunk) => (body += chunk));
      response.on("end", () => resolve({ status: response.statusCode ?? 0, body }));
    });
    request.on("error", reject);
    request.end();
  });
}

test.beforeAll(async ({ playwright }) => {
  live = await startProjectsApp(
    "projects-visibility",
    [
      { slug: "alpha", name: "Alpha bot" },
      { slug: "beta", name: "Beta bot", allowGroups: ["team-b"] },
    ],
    // 0.0.0.0 so that a request can come from 127.0.0.5, a peer that is not the trusted proxy.
    { INSPECTOR_TRUSTED_USER_HEADER: USER, INSPECTOR_TRUSTED_GROUPS_HEADER: GROUPS, INSPECTOR_PASSWORD: PASSWORD, HOSTNAME: "0.0.0.0" },
  );
  url = live.app.url.replace("0.0.0.0", "127.0.0.1");
  alpha = live.project("alpha").nebuly;
  beta = live.project("beta").nebuly;
  beta.serveInteraction(BETA_ID, {
    user_query: BETA_QUERY,
    input: BETA_QUERY,
    output: `The ${SECRET_WORD} ends on Friday.`,
    user: BETA_USER,
    topic: BETA_TOPIC,
    timestamp: "2026-11-20T10:00:00Z",
  });
  alpha.serveInteraction(ALPHA_ID, { user_query: "How do I reset my password?", input: "How do I reset my password?", output: "Use the reset link.", timestamp: "2026-11-20T09:00:00Z" });
  beta.scriptList([
    {
      body: {
        total: 2,
        offset: 0,
        limit: 100,
        data: [
          { id: BETA_ID, user_query: BETA_QUERY, timestamp: "2026-11-20T10:00:00Z" },
          { id: LISTED_ID, user_query: "Listed, never opened", timestamp: "2026-11-19T10:00:00Z" },
        ],
      },
    },
  ]);
  alpha.scriptList([{ body: { total: 1, offset: 0, limit: 100, data: [{ id: ALPHA_ID, user_query: "How do I reset my password?", timestamp: "2026-11-20T09:00:00Z" }] } }]);

  const context = (headers: Record<string, string>) => playwright.request.newContext({ baseURL: url, extraHTTPHeaders: { ...headers, Origin: url } });
  ann = await context(annHeaders);
  bob = await context(bobHeaders);
  anonymous = await playwright.request.newContext({ baseURL: url });

  // Bob opens both interactions (caching them and putting them in Recently viewed) and shares beta's.
  expect((await bob.get(`/interactions/${BETA_ID}`)).status()).toBe(200);
  expect((await bob.get(`/interactions/${ALPHA_ID}`)).status()).toBe(200);
  const shared = await bob.post("/api/share-links", { data: { interactionId: BETA_ID, expiresIn: "7d" } });
  expect(shared.status()).toBe(201);
  shareUrl = (await shared.json()).url;
  const hidden = await bob.post("/api/share-links", { data: { interactionId: BETA_ID, expiresIn: "7d", hideSensitive: true } });
  expect(hidden.status()).toBe(201);
  hiddenShareUrl = (await hidden.json()).url;
});

test.afterAll(async () => {
  await ann?.dispose();
  await bob?.dispose();
  await anonymous?.dispose();
  await live?.stop();
});

test.describe("Ann (team-a) and beta's interaction", () => {
  let betaCallsBefore: number;

  test.beforeEach(() => {
    betaCallsBefore = beta.calls.length;
  });

  test.afterEach(() => {
    // Nothing Ann does reaches beta's Nebuly, so nothing is ever asked with beta's key for her.
    expect(beta.calls.slice(betaCallsBefore)).toEqual([]);
  });

  test("the page answers 404 exactly as for an id that does not exist", async ({ browser }) => {
    const unknown = randomUUID();
    const context = await browserAs(browser, annHeaders);
    try {
      const page = await context.newPage();
      const hiddenResponse = await page.goto(`${url}/interactions/${BETA_ID}`);
      expect(hiddenResponse?.status()).toBe(404);
      await expect(page.getByRole("heading", { name: "Interaction not found" })).toBeVisible();
      const hiddenText = neutral(await page.getByRole("main").innerText(), BETA_ID);
      expect(await page.content()).not.toContain(SECRET_WORD);
      expect(await page.content()).not.toContain("Beta bot");

      const unknownResponse = await page.goto(`${url}/interactions/${unknown}`);
      expect(unknownResponse?.status()).toBe(404);
      expect(neutral(await page.getByRole("main").innerText(), unknown)).toBe(hiddenText);
    } finally {
      await context.close();
    }
  });

  test("the API answers 404 with the same body as for an id that does not exist, refresh or not", async () => {
    const unknown = randomUUID();
    for (const suffix of ["", "?refresh=1", "/transcript"]) {
      const hidden = await ann.get(`/api/interactions/${BETA_ID}${suffix}`);
      const missing = await ann.get(`/api/interactions/${unknown}${suffix}`);
      expect(hidden.status(), suffix).toBe(404);
      expect(missing.status(), suffix).toBe(404);
      expect(neutral(await hidden.text(), BETA_ID), suffix).toBe(neutral(await missing.text(), unknown));
    }
    // Bob still gets it, from the cache.
    const forBob = await bob.get(`/api/interactions/${BETA_ID}`);
    expect(forBob.status()).toBe(200);
    expect(forBob.headers()["x-cache"]).toBe("HIT");
  });

  test("Browse with project=beta is the 400 of a project that does not exist, in the API and on the page", async ({ browser }) => {
    const hidden = await ann.get("/api/interactions?project=beta");
    const missing = await ann.get("/api/interactions?project=gamma");
    expect(hidden.status()).toBe(400);
    expect(missing.status()).toBe(400);
    const body = await hidden.json();
    expect(body.error.code).toBe("invalid_query");
    expect(body.error.message).toContain('there is no project "beta"');
    expect(neutral(JSON.stringify(body), "beta")).toBe(neutral(await missing.text(), "gamma"));

    const context = await browserAs(browser, annHeaders);
    try {
      const page = await context.newPage();
      await page.goto(`${url}/interactions?project=beta`);
      await expect(page.getByText('there is no project "beta"')).toBeVisible();
      const hiddenText = neutral(await page.getByRole("main").innerText(), "beta");
      await page.goto(`${url}/interactions?project=gamma`);
      expect(neutral(await page.getByRole("main").innerText(), "gamma")).toBe(hiddenText);
    } finally {
      await context.close();
    }
  });

  test("All projects never lists beta's rows for Ann, and has no switcher with one project to show; Bob's has both", async ({ browser }) => {
    // The same list for Bob does hold beta's row: what Ann misses is really there.
    const forBob = await bob.get("/api/interactions?range=30d");
    expect(((await forBob.json()).data as { id: string; project: string }[]).map((row) => [row.id, row.project])).toEqual([
      [BETA_ID, "beta"],
      [ALPHA_ID, "alpha"],
      [LISTED_ID, "beta"],
    ]);
    betaCallsBefore = beta.calls.length;

    const forAnn = await ann.get("/api/interactions?range=30d");
    expect(forAnn.status()).toBe(200);
    const annRows = (await forAnn.json()).data as { id: string; project: string }[];
    expect(annRows.map((row) => [row.id, row.project])).toEqual([[ALPHA_ID, "alpha"]]);

    const annContext = await browserAs(browser, annHeaders);
    try {
      const page = await annContext.newPage();
      await page.goto(`${url}/interactions?range=30d`);
      await expect(page.getByRole("list", { name: "Interactions" }).getByRole("listitem")).toHaveCount(1);
      await expect(page.getByRole("navigation", { name: "Projects" })).toHaveCount(0);
      const html = await page.content();
      expect(html).not.toContain(SECRET_WORD);
      // Nor do the filter suggestions, built from what is cached here, offer beta's user or topic.
      expect(html).not.toContain(BETA_USER);
      expect(html).not.toContain(BETA_TOPIC);
    } finally {
      await annContext.close();
    }
  });

  test("/cached finds beta's interaction for Bob but not for Ann, by word or by project", async ({ browser }) => {
    const search = async (context: BrowserContext, query: string) => {
      const page = await context.newPage();
      await page.goto(`${url}/cached${query}`);
      return page;
    };
    const bobContext = await browserAs(browser, bobHeaders);
    const annContext = await browserAs(browser, annHeaders);
    try {
      const bobPage = await search(bobContext, `?q=${SECRET_WORD}`);
      await expect(bobPage.getByRole("heading", { name: "1 interaction matches" })).toBeVisible();
      await expect(bobPage.getByRole("list", { name: "Cached interactions" }).getByRole("listitem").first()).toContainText("Beta bot");
      betaCallsBefore = beta.calls.length;

      const byWord = await search(annContext, `?q=${SECRET_WORD}`);
      await expect(byWord.getByRole("heading", { name: "Nothing matches." })).toBeVisible();
      const byProject = await search(annContext, "?project=beta");
      await expect(byProject.getByRole("heading", { name: "Nothing matches." })).toBeVisible();
      const everything = await search(annContext, "");
      await expect(everything.getByRole("list", { name: "Cached interactions" }).getByRole("listitem")).toHaveCount(1);
      for (const page of [byWord, byProject, everything]) {
        const html = await page.content();
        // The search box holds Ann's own words; nothing of beta's interaction may be anywhere else.
        expect(html).not.toContain(BETA_ID);
        expect(html).not.toContain("ends on Friday");
        expect(html).not.toContain("Beta bot");
        expect(html).not.toContain(BETA_TOPIC);
      }
    } finally {
      await bobContext.close();
      await annContext.close();
    }
  });

  test("Recently viewed on the home page shows beta's interaction to Bob, never to Ann", async ({ browser }) => {
    const bobContext = await browserAs(browser, bobHeaders);
    const annContext = await browserAs(browser, annHeaders);
    try {
      const bobPage = await bobContext.newPage();
      await bobPage.goto(url);
      await expect(bobPage.getByRole("list", { name: "Recently viewed interactions" })).toContainText(BETA_QUERY);
      betaCallsBefore = beta.calls.length;

      const annPage = await annContext.newPage();
      await annPage.goto(url);
      const recent = annPage.getByRole("list", { name: "Recently viewed interactions" });
      await expect(recent.getByRole("listitem")).toHaveCount(1);
      await expect(recent).toContainText("How do I reset my password?");
      expect(await annPage.content()).not.toContain(SECRET_WORD);
      expect(await annPage.content()).not.toContain(BETA_ID);
    } finally {
      await bobContext.close();
      await annContext.close();
    }
  });

  test("/api/projects lists only alpha for Ann, both for Bob", async () => {
    expect(await (await ann.get("/api/projects")).json()).toEqual({ projects: [{ slug: "alpha", name: "Alpha bot", key: "ok" }] });
    expect(((await (await bob.get("/api/projects")).json()).projects as { slug: string }[]).map((project) => project.slug)).toEqual(["alpha", "beta"]);
  });

  test("forgetting beta's interaction is a 404 for Ann, as for an id never stored, and Bob's copy stays", async () => {
    const unknown = randomUUID();
    const hidden = await ann.delete(`/api/interactions/${BETA_ID}`);
    const missing = await ann.delete(`/api/interactions/${unknown}`);
    expect(hidden.status()).toBe(404);
    expect(missing.status()).toBe(404);
    expect(neutral(await hidden.text(), BETA_ID)).toBe(neutral(await missing.text(), unknown));
    const forBob = await bob.get(`/api/interactions/${BETA_ID}`);
    expect(forBob.status()).toBe(200);
    expect(forBob.headers()["x-cache"]).toBe("HIT");
  });

  test("an id of beta's that Bob forgot from a list alone stays a 404 for Ann, not 'forgotten', and out of her audit log", async () => {
    // Bob sees beta's list (so its page names LISTED_ID), then forgets the id without ever opening it.
    expect((await bob.get("/api/interactions?range=30d&project=beta")).status()).toBe(200);
    const forgotten = await bob.delete(`/api/interactions/${LISTED_ID}`);
    expect(forgotten.status()).toBe(200);
    const removed = await forgotten.json();
    expect(removed).toMatchObject({ snapshotDeleted: false, alreadyForgotten: false });
    expect(removed.listPagesDeleted).toBeGreaterThanOrEqual(1);
    expect((await bob.get(`/api/interactions/${LISTED_ID}`)).status()).toBe(410);
    betaCallsBefore = beta.calls.length;

    const unknown = randomUUID();
    const hidden = await ann.get(`/api/interactions/${LISTED_ID}`);
    const missing = await ann.get(`/api/interactions/${unknown}`);
    expect(hidden.status()).toBe(404);
    expect(neutral(await hidden.text(), LISTED_ID)).toBe(neutral(await missing.text(), unknown));
    expect((await ann.delete(`/api/interactions/${LISTED_ID}`)).status()).toBe(404);
    expect(await (await ann.get(`/api/audit?target=${LISTED_ID}`)).json()).toMatchObject({ events: [] });
    // Bob's mark is untouched by Ann's attempts.
    expect((await bob.get(`/api/interactions/${LISTED_ID}`)).status()).toBe(410);
  });

  test("sharing beta's interaction is a 404 for Ann, as for an id that does not exist", async () => {
    const unknown = randomUUID();
    const hidden = await ann.post("/api/share-links", { data: { interactionId: BETA_ID, expiresIn: "1d" } });
    const missing = await ann.post("/api/share-links", { data: { interactionId: unknown, expiresIn: "1d" } });
    expect(hidden.status()).toBe(404);
    expect(missing.status()).toBe(404);
    expect(neutral(await hidden.text(), BETA_ID)).toBe(neutral(await missing.text(), unknown));
  });

  test("opening several ids at once settles on a cached one for Bob, but for Ann beta's counts as not cached", async () => {
    const q = `${BETA_ID} ${randomUUID()}`;
    const forBob = await bob.get(`/open?q=${encodeURIComponent(q)}`, { maxRedirects: 0 });
    expect(forBob.status()).toBe(303);
    expect(forBob.headers().location).toBe(`/interactions/${BETA_ID}`);
    betaCallsBefore = beta.calls.length;
    const forAnn = await ann.get(`/open?q=${encodeURIComponent(q)}`, { maxRedirects: 0 });
    expect(forAnn.status()).toBe(303);
    expect(forAnn.headers().location).toMatch(/^\/\?.*open=choose/);
  });

  test("the audit log shows Ann no event about beta's interaction; Bob sees his share", async () => {
    const forBob = await bob.get("/api/audit");
    expect(forBob.status()).toBe(200);
    expect(await forBob.text()).toContain(BETA_ID);
    const forAnn = await ann.get("/api/audit");
    expect(forAnn.status()).toBe(200);
    expect(await forAnn.text()).not.toContain(BETA_ID);
  });

  test("Bob's links to beta's interaction are not in Ann's /shared, nor in her /api/share-links", async ({ browser }) => {
    const bobLinks = (await (await bob.get("/api/share-links")).json()).links as { interactionId: string }[];
    expect(bobLinks.filter((link) => link.interactionId === BETA_ID)).toHaveLength(2);
    const annLinks = (await (await ann.get("/api/share-links")).json()).links as { interactionId: string }[];
    expect(annLinks.filter((link) => link.interactionId === BETA_ID)).toEqual([]);

    const context = await browserAs(browser, annHeaders);
    try {
      const page = await context.newPage();
      expect((await page.goto(`${url}/shared`))?.status()).toBe(200);
      const html = await page.content();
      expect(html).not.toContain(BETA_ID);
      expect(html).not.toContain(SECRET_WORD);
    } finally {
      await context.close();
    }
  });
});

test("Bob's share link opens for a reader with no sign-in at all, naming the project unless it hides sensitive fields", async () => {
  const opened = await anonymous.get(shareUrl);
  expect(opened.status()).toBe(200);
  const html = await opened.text();
  expect(html).toContain(SECRET_WORD);
  expect(ogDescription(html)).toMatch(/^Beta bot/);

  const hidden = await anonymous.get(hiddenShareUrl);
  expect(hidden.status()).toBe(200);
  const hiddenHtml = await hidden.text();
  expect(hiddenHtml).toContain(SECRET_WORD);
  expect(ogDescription(hiddenHtml)).toBeDefined();
  expect(ogDescription(hiddenHtml)).not.toContain("Beta bot");
  expect(hiddenHtml).not.toContain("Beta bot");
});

test("a groups header without the user header gives no access at all", async () => {
  const before = beta.calls.length;
  for (const path of [`/api/interactions/${BETA_ID}`, "/api/projects", "/api/interactions?project=beta"]) {
    const response = await anonymous.get(path, { headers: { [GROUPS]: "team-b" } });
    expect(response.status(), path).toBe(401);
    expect(await response.text(), path).not.toContain(SECRET_WORD);
  }
  expect(beta.calls.length).toBe(before);
});

test("user and groups headers from a peer that is not the trusted proxy are ignored", async () => {
  const before = beta.calls.length;
  const forged = await rawRequest(`${url}/api/interactions/${BETA_ID}`, bobHeaders, "127.0.0.5");
  expect(forged.status).toBe(401);
  expect(forged.body).not.toContain(SECRET_WORD);
  const forgedProjects = await rawRequest(`${url}/api/projects`, bobHeaders, "127.0.0.5");
  expect(forgedProjects.status).toBe(401);
  // The same headers from the proxy's address count.
  const fromProxy = await rawRequest(`${url}/api/interactions/${BETA_ID}`, bobHeaders, "127.0.0.1");
  expect(fromProxy.status).toBe(200);
  expect(beta.calls.length).toBe(before);
});

test("group names must match whole: team-b-readers or steam-b is not team-b", async ({ playwright }) => {
  const before = beta.calls.length;
  const carl = await playwright.request.newContext({ baseURL: url, extraHTTPHeaders: { [USER]: "carl@example.com", [GROUPS]: "team-b-readers, steam-b,team-" } });
  try {
    expect(await (await carl.get("/api/projects")).json()).toEqual({ projects: [{ slug: "alpha", name: "Alpha bot", key: "ok" }] });
    expect((await carl.get(`/api/interactions/${BETA_ID}`)).status()).toBe(404);
  } finally {
    await carl.dispose();
  }
  expect(beta.calls.length).toBe(before);
});

test("a password session has no groups: it sees the open project only", async ({ playwright }) => {
  const before = beta.calls.length;
  const session = await signedInRequest(playwright, url, PASSWORD);
  try {
    expect(await (await session.get("/api/projects")).json()).toEqual({ projects: [{ slug: "alpha", name: "Alpha bot", key: "ok" }] });
    expect((await session.get(`/api/interactions/${BETA_ID}`)).status()).toBe(404);
    expect((await session.get(`/api/interactions/${ALPHA_ID}`)).status()).toBe(200);
    // A groups header beside a session (not from the SSO proxy's user request) grants nothing.
    expect((await session.get(`/api/interactions/${BETA_ID}`, { headers: { [GROUPS]: "team-b" } })).status()).toBe(404);
  } finally {
    await session.dispose();
  }
  expect(beta.calls.length).toBe(before);
});

test("a server bound to 127.0.0.1 re-sending a request to itself never lends the re-sent request the proxy's trust", async () => {
  // Bound to 127.0.0.1 and reached as such, Next proxies the rewrite of a 404 page to itself over
  // HTTP; that second request comes from 127.0.0.1, the address whose SSO headers count. A password
  // viewer elsewhere (127.0.0.5) forging Bob's headers must still get the page of an unknown id.
  const bound = await startProjectsApp(
    "projects-self-proxy",
    [
      { slug: "alpha", name: "Alpha bot" },
      { slug: "beta", name: "Beta bot", allowGroups: ["team-b"] },
    ],
    { INSPECTOR_TRUSTED_USER_HEADER: USER, INSPECTOR_TRUSTED_GROUPS_HEADER: GROUPS, INSPECTOR_PASSWORD: PASSWORD },
  );
  try {
    const base = bound.app.url;
    const id = randomUUID();
    bound.project("beta").nebuly.serveInteraction(id, { user_query: BETA_QUERY, output: `The ${SECRET_WORD} ends on Friday.`, timestamp: "2026-11-20T10:00:00Z" });
    // Bob (through the proxy) caches it.
    expect((await rawRequest(`${base}/api/interactions/${id}`, bobHeaders, "127.0.0.1")).status).toBe(200);

    const signIn = await new Promise<string>((resolve, reject) => {
      const request = http.request(`${base}/api/session`, { method: "POST", localAddress: "127.0.0.5", headers: { "Content-Type": "application/json", Origin: base } }, (response) => {
        response.resume();
        const cookie = (response.headers["set-cookie"] ?? []).find((value) => value.startsWith("inspector_session="));
        if (response.statusCode === 204 && cookie) resolve(cookie.split(";")[0]!);
        else reject(new Error(`sign-in answered ${response.statusCode}`));
      });
      request.on("error", reject);
      request.end(JSON.stringify({ password: PASSWORD }));
    });
    const forged = await rawRequest(`${base}/interactions/${id}`, { ...bobHeaders, Cookie: signIn }, "127.0.0.5");
    expect(forged.status).toBe(404);
    expect(forged.body).not.toContain(SECRET_WORD);
    expect(forged.body).toContain("Interaction not found");
    const forgedApi = await rawRequest(`${base}/api/interactions/${id}`, { ...bobHeaders, Cookie: signIn }, "127.0.0.5");
    expect(forgedApi.status).toBe(404);
  } finally {
    await bound.stop();
  }
});
