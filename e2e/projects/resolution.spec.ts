import { randomUUID } from "node:crypto";
import { expect, test, type APIRequestContext } from "@playwright/test";
import type { FakeNebuly } from "../support/fake-nebuly";
import { ogDescription, startProjectsApp, type ProjectsApp } from "../support/projects";

/**
 * Several projects, each its own fake Nebuly with its own URL and key: an id is looked for in
 * every project at once, the first to have it wins; Browse merges the projects' lists.
 */

const PROJECT_BADGE = "The Nebuly project this interaction belongs to";

test.describe("opening an id across three projects", () => {
  let live: ProjectsApp;
  let alpha: FakeNebuly;
  let beta: FakeNebuly;
  let gamma: FakeNebuly;
  let url: string;

  test.beforeAll(async () => {
    live = await startProjectsApp("projects-resolution", [
      { slug: "alpha", name: "Alpha bot" },
      { slug: "beta", name: "Beta assistant" },
      { slug: "gamma", name: "Gamma helper" },
    ]);
    [alpha, beta, gamma] = live.projects.map((project) => project.nebuly);
    url = live.app.url;
  });

  test.afterAll(async () => {
    await live?.stop();
  });

  test.afterEach(() => {
    // Each project is only ever asked with its own key, and no key reaches the log.
    for (const project of live.projects) {
      for (const call of project.nebuly.calls) expect(call.authorization, `a call to ${project.slug}`).toBe(`Bearer ${project.key}`);
      expect(live.app.output()).not.toContain(project.key);
    }
  });

  const detailCalls = (id: string) => [alpha, beta, gamma].map((nebuly) => nebuly.callsFor(id).length);

  test("an id only the second project has opens with that project's name, and the next open is a cache HIT without a call", async ({ page, request }) => {
    const id = randomUUID();
    beta.serveInteraction(id, { user_query: "Where is my parcel?", output: "It left the depot this morning.", timestamp: "2026-11-20T10:00:00Z" });

    const response = await page.goto(`${url}/interactions/${id}`);
    expect(response?.status()).toBe(200);
    await expect(page.getByRole("heading", { level: 1, name: "Where is my parcel?" })).toBeVisible();
    await expect(page.getByTitle(PROJECT_BADGE)).toHaveText("Beta assistant");
    expect(ogDescription(await page.content())).toMatch(/^Beta assistant/);
    expect(beta.callsFor(id)).toHaveLength(1);
    const afterFirstOpen = detailCalls(id);

    const again = await request.get(`${url}/api/interactions/${id}`);
    expect(again.status()).toBe(200);
    expect(again.headers()["x-cache"]).toBe("HIT");
    expect((await again.json()).user_query).toBe("Where is my parcel?");
    await page.reload();
    await expect(page.getByTitle(PROJECT_BADGE)).toHaveText("Beta assistant");
    expect(detailCalls(id)).toEqual(afterFirstOpen);
  });

  test("an id no project has is not found, in the API and on the page, after asking each project once", async ({ page, request }) => {
    const id = randomUUID();
    const response = await request.get(`${url}/api/interactions/${id}`);
    expect(response.status()).toBe(404);
    const body = await response.json();
    expect(body).toEqual({ error: { code: "not_found", message: expect.any(String) } });
    expect(body.error.message).toContain(id);
    expect(detailCalls(id)).toEqual([1, 1, 1]);

    const pageResponse = await page.goto(`${url}/interactions/${id}`);
    expect(pageResponse?.status()).toBe(404);
    await expect(page.getByRole("heading", { name: "Interaction not found" })).toBeVisible();
  });

  test("a project that times out while the others say 404 makes the answer a 504 naming that project, not a 404", async ({ page, request }) => {
    const id = randomUUID();
    gamma.script(id, [{ delayMs: 4_500, body: { id } }]);
    const response = await request.get(`${url}/api/interactions/${id}`);
    expect(response.status()).toBe(504);
    const body = await response.json();
    expect(body.error.code).toBe("upstream_timeout");
    expect(body.error.message).toContain("Gamma helper");
    expect(body.error.message).not.toContain("Alpha bot");

    const pageResponse = await page.goto(`${url}/interactions/${id}`);
    expect(pageResponse?.status()).toBe(504);
    await expect(page.getByRole("heading", { level: 1, name: "Nebuly is unavailable" })).toBeVisible();
    await expect(page.getByRole("heading", { name: "Interaction not found" })).toHaveCount(0);
  });

  test("the page for a lookup that failed in one project names that project, as the API does", async ({ page }) => {
    const id = randomUUID();
    gamma.script(id, [{ delayMs: 4_500, body: { id } }]);
    const pageResponse = await page.goto(`${url}/interactions/${id}`);
    expect(pageResponse?.status()).toBe(504);
    // With three projects, "Nebuly did not answer in time" alone does not tell the reader (or the operator) which one.
    await expect(page.getByRole("main")).toContainText("Gamma helper");
  });

  test("the first project to answer wins at once, and the slower project's request is cancelled", async ({ page, request }) => {
    const id = randomUUID();
    // Both have it (as if the id were reused): the slower one must neither delay nor decide the answer.
    alpha.script(id, [{ delayMs: 2_500, body: { id, user_query: "answer from alpha" } }]);
    beta.script(id, [{ delayMs: 100, body: { id, user_query: "answer from beta" } }]);

    const started = Date.now();
    const response = await request.get(`${url}/api/interactions/${id}`);
    const answeredAfter = Date.now() - started;
    expect(response.status()).toBe(200);
    expect((await response.json()).user_query).toBe("answer from beta");
    expect(answeredAfter).toBeLessThan(2_000);

    // Alpha was asked, and the inspector hung up on it before its answer was due.
    expect(alpha.callsFor(id)).toHaveLength(1);
    await expect.poll(() => alpha.callsFor(id)[0]!.closedBeforeReplyAt, { timeout: 2_000 }).toBeDefined();
    expect(alpha.callsFor(id)[0]!.closedBeforeReplyAt! - alpha.callsFor(id)[0]!.receivedAt).toBeLessThan(2_500);

    await page.goto(`${url}/interactions/${id}`);
    await expect(page.getByTitle(PROJECT_BADGE)).toHaveText("Beta assistant");
    await expect(page.getByRole("heading", { level: 1, name: "answer from beta" })).toBeVisible();
  });

  test("30 concurrent first requests for one id make one request per project", async ({ request }) => {
    const id = randomUUID();
    alpha.script(id, [{ delayMs: 300, status: 404, body: { detail: "Interaction not found" } }]);
    gamma.script(id, [{ delayMs: 300, status: 404, body: { detail: "Interaction not found" } }]);
    beta.script(id, [{ delayMs: 700, body: { id, user_query: "busy id" } }]);
    const responses = await Promise.all(Array.from({ length: 30 }, () => request.get(`${url}/api/interactions/${id}`)));
    expect(responses.map((response) => response.status())).toEqual(Array(30).fill(200));
    expect(detailCalls(id)).toEqual([1, 1, 1]);
  });
});

test.describe("Browse across projects", () => {
  let live: ProjectsApp;
  let url: string;
  const at = (hour: number) => `2026-11-20T${String(hour).padStart(2, "0")}:00:00Z`;
  const row = (query: string, hour: number) => ({ id: randomUUID(), user_query: query, input_text: query, output_text: "ok", end_user: "u", timestamp: at(hour) });
  const rows = {
    alpha: [row("alpha at ten", 10), row("alpha at seven", 7)],
    beta: [row("beta at nine", 9), row("beta at six", 6)],
    gamma: [row("gamma at eight", 8)],
  };
  const listCalls = (slug: string) => live.project(slug).nebuly.calls.filter((call) => call.path === "/api/external/get-interactions").length;
  const allListCalls = () => ["alpha", "beta", "gamma"].map(listCalls);
  const scriptLists = () => {
    for (const [slug, data] of Object.entries(rows)) live.project(slug).nebuly.scriptList([{ body: { total: data.length, offset: 0, limit: 100, data } }]);
  };
  const list = (request: APIRequestContext, query: string) => request.get(`${url}/api/interactions${query}`);

  test.beforeAll(async () => {
    live = await startProjectsApp("projects-browse", [
      { slug: "alpha", name: "Alpha bot" },
      { slug: "beta", name: "Beta assistant" },
      { slug: "gamma", name: "Gamma helper" },
    ]);
    url = live.app.url;
    scriptLists();
  });

  test.afterAll(async () => {
    await live?.stop();
  });

  test("All projects merges the lists newest first, each row naming its project", async ({ page, request }) => {
    const response = await list(request, "");
    expect(response.status()).toBe(200);
    const body = await response.json();
    expect(body.data.map((item: { user_query: string; project: string }) => [item.user_query, item.project])).toEqual([
      ["alpha at ten", "alpha"],
      ["beta at nine", "beta"],
      ["gamma at eight", "gamma"],
      ["alpha at seven", "alpha"],
      ["beta at six", "beta"],
    ]);
    expect(body.total).toBe(5);
    expect(body.failedProjects).toBeUndefined();

    await page.goto(`${url}/interactions`);
    const switcher = page.getByRole("navigation", { name: "Projects" });
    await expect(switcher.getByRole("link")).toHaveText(["All projects", "Alpha bot", "Beta assistant", "Gamma helper"]);
    await expect(switcher.getByRole("link", { name: "All projects" })).toHaveAttribute("aria-current", "page");
    const listed = page.getByRole("list", { name: "Interactions" }).getByRole("listitem");
    await expect(listed).toHaveCount(5);
    await expect(listed.nth(0)).toContainText("Alpha bot");
    await expect(listed.nth(0)).toContainText("alpha at ten");
    await expect(listed.nth(1)).toContainText("Beta assistant");
    await expect(listed.nth(2)).toContainText("Gamma helper");
  });

  test("project= lists only the projects named and asks no other", async ({ page, request }) => {
    const before = allListCalls();
    const one = await list(request, "?project=alpha&range=30d");
    expect(one.status()).toBe(200);
    expect((await one.json()).data.map((item: { user_query: string; project: string }) => [item.user_query, item.project])).toEqual([
      ["alpha at ten", "alpha"],
      ["alpha at seven", "alpha"],
    ]);
    expect(allListCalls()).toEqual([before[0]! + 1, before[1], before[2]]);

    const two = await list(request, "?project=gamma&project=alpha&range=30d");
    expect((await two.json()).data.map((item: { user_query: string }) => item.user_query)).toEqual(["alpha at ten", "gamma at eight", "alpha at seven"]);
    expect(listCalls("beta")).toBe(before[1]);

    await page.goto(`${url}/interactions?project=beta`);
    await expect(page.getByRole("navigation", { name: "Projects" }).getByRole("link", { name: "Beta assistant" })).toHaveAttribute("aria-current", "page");
    await expect(page.getByRole("list", { name: "Interactions" }).getByRole("listitem")).toHaveText([/beta at nine/, /beta at six/]);
  });

  test("a slug that is no project is a 400 that says so", async ({ request }) => {
    const before = allListCalls();
    const response = await list(request, "?project=delta");
    expect(response.status()).toBe(400);
    const body = await response.json();
    expect(body.error.code).toBe("invalid_query");
    expect(body.error.message).toContain('there is no project "delta"');
    expect(allListCalls()).toEqual(before);
  });

  test("past the first 1,000 merged rows the answer is a 400 asking to pick a project, on the page too", async ({ page, request }) => {
    const before = allListCalls();
    const response = await list(request, "?offset=990&limit=25");
    expect(response.status()).toBe(400);
    const body = await response.json();
    expect(body.error.code).toBe("invalid_query");
    expect(body.error.message).toMatch(/1,000/);
    expect(body.error.message).toMatch(/Pick one project/);
    expect(allListCalls()).toEqual(before);
    // One project pages as deep as Nebuly does.
    expect((await list(request, "?project=alpha&offset=990&limit=25")).status()).toBe(200);

    await page.goto(`${url}/interactions?offset=990&limit=25`);
    await expect(page.getByText(/Pick one project to page further/)).toBeVisible();
  });

  test("a project whose list fails is named, and the other projects are still listed", async ({ page, request }) => {
    live.project("gamma").nebuly.scriptList([{ status: 500, body: "upstream broke" }]);
    try {
      const response = await list(request, "?range=24h");
      expect(response.status()).toBe(200);
      const body = await response.json();
      expect(body.data.map((item: { project: string }) => item.project)).toEqual(["alpha", "beta", "alpha", "beta"]);
      expect(body.failedProjects).toEqual([{ slug: "gamma", name: "Gamma helper", message: expect.any(String) }]);
      await page.goto(`${url}/interactions?range=30d&user=u`);
      await expect(page.getByRole("alert").filter({ hasText: "Could not list Gamma helper" })).toBeVisible();
      await expect(page.getByRole("list", { name: "Interactions" }).getByRole("listitem")).toHaveCount(4);
    } finally {
      scriptLists();
    }
  });
});

test.describe("the state of each project's key", () => {
  let live: ProjectsApp;
  let url: string;

  test.beforeAll(async () => {
    live = await startProjectsApp("projects-keys", [
      { slug: "good", name: "Good bot" },
      { slug: "refused", name: "Refused bot", refusesKey: true },
    ]);
    url = live.app.url;
  });

  test.afterAll(async () => {
    await live?.stop();
  });

  test("after Nebuly refuses one project's key, /api/projects says auth_failed and /api/ready names it, while the other project works", async ({ page, request }) => {
    const projectsNow = async () => (await (await request.get(`${url}/api/projects`)).json()).projects;
    expect(await projectsNow()).toEqual([
      { slug: "good", name: "Good bot", key: "unknown" },
      { slug: "refused", name: "Refused bot", key: "unknown" },
    ]);
    const readyBefore = await request.get(`${url}/api/ready`);
    expect(readyBefore.status()).toBe(200);
    expect((await readyBefore.json()).nebulyKeysRefused).toBeUndefined();

    // Good does not have it, Refused cannot say: the answer is the refusal, naming the project, not a 404.
    const id = randomUUID();
    const failed = await request.get(`${url}/api/interactions/${id}`);
    expect(failed.status()).toBe(502);
    const failure = (await failed.json()).error;
    expect(failure.code).toBe("upstream_auth_failed");
    expect(failure.message).toContain("Refused bot");

    expect(await projectsNow()).toEqual([
      { slug: "good", name: "Good bot", key: "ok" },
      { slug: "refused", name: "Refused bot", key: "auth_failed" },
    ]);
    const ready = await request.get(`${url}/api/ready`);
    expect(ready.status()).toBe(200);
    expect(await ready.json()).toEqual({ status: "ready", nebulyKeysRefused: 1 });

    const failedPage = await page.goto(`${url}/interactions/${id}`);
    expect(failedPage?.status()).toBe(502);
    await expect(page.getByRole("main")).toContainText("upstream_auth_failed");

    const goodId = randomUUID();
    live.project("good").nebuly.serveInteraction(goodId);
    expect((await request.get(`${url}/api/interactions/${goodId}`)).status()).toBe(200);

    // The log says it once, naming the project, not the key.
    const refusals = live.app.output().split("\n").filter((line) => line.includes("refused this project's API key"));
    expect(refusals).toHaveLength(1);
    expect(refusals[0]).toContain('"project":"refused"');
    for (const key of live.keys()) {
      expect(live.app.output()).not.toContain(key);
      expect(failure.message).not.toContain(key);
    }
  });

  test("the page for a refused key names the project and its setting, not NEBULY_API_KEY (which is not set)", async ({ page }) => {
    const id = randomUUID();
    const response = await page.goto(`${url}/interactions/${id}`);
    expect(response?.status()).toBe(502);
    const main = page.getByRole("main");
    await expect(main).toContainText("upstream_auth_failed");
    // The operator configured NEBULY_PROJECTS: sending them to NEBULY_API_KEY sends them to the wrong place.
    await expect(main).not.toContainText("NEBULY_API_KEY");
    await expect(main).toContainText("Refused bot");
  });
});
