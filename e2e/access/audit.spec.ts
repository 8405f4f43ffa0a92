import { expect, test, type APIRequestContext } from "@playwright/test";
import { NEBULY_TEST_KEY, startApp, tempDatabaseUrl, type AppServer } from "../support/app-server";
import { FakeNebuly } from "../support/fake-nebuly";
import { RICH_ID, richInteraction } from "../support/fixtures";
import type { AuditPage } from "../../lib/audit";

/**
 * The audit log's read side, end to end: a share link is created, viewed and revoked, and the
 * API and the page both report those three events with who did them and what they were about.
 * The signed-in person comes from an SSO header so the actor is a known name; a password is set
 * too, so a request with neither is refused.
 */
const PASSWORD = "correct-horse-battery";
const USER_HEADER = "X-Forwarded-User";
const AUDITOR = "auditor@example.test";
let nebuly: FakeNebuly;
let app: AppServer;
let auditor: APIRequestContext;

test.beforeAll(async ({ playwright }) => {
  nebuly = await new FakeNebuly(NEBULY_TEST_KEY).start();
  nebuly.script(RICH_ID, [{ body: richInteraction() }]);
  app = await startApp({
    NEBULY_API_KEY: NEBULY_TEST_KEY,
    NEBULY_API_URL: nebuly.url,
    DATABASE_URL: tempDatabaseUrl("audit"),
    INSPECTOR_PASSWORD: PASSWORD,
    INSPECTOR_TRUSTED_USER_HEADER: USER_HEADER,
  });
  // Origin: a CSRF check wants JSON writes to come from the app's own origin.
  auditor = await playwright.request.newContext({ baseURL: app.url, extraHTTPHeaders: { [USER_HEADER]: AUDITOR, Origin: app.url } });
});

test.afterAll(async () => {
  await auditor?.dispose();
  await app?.stop();
  await nebuly?.stop();
});

/** Creates a link, opens it anonymously, revokes it; returns the link's id. */
async function shareViewRevoke(request: APIRequestContext): Promise<string> {
  const created = await auditor.post("/api/share-links", {
    data: { interactionId: RICH_ID, expiresIn: "7d", hideSensitive: true },
    headers: { "Content-Type": "application/json" },
  });
  expect(created.status()).toBe(201);
  const link = (await created.json()) as { id: string; url: string };
  expect((await request.get(link.url)).status()).toBe(200);
  const revoked = await auditor.delete(`/api/share-links/${link.id}`, { headers: { "Content-Type": "application/json" } });
  expect(revoked.status()).toBe(204);
  return link.id;
}

/** GET /api/audit answers with the page the service builds, as JSON. */
async function events(query: string): Promise<AuditPage> {
  const response = await auditor.get(`/api/audit${query}`);
  expect(response.status()).toBe(200);
  expect(response.headers()["cache-control"]).toContain("no-store");
  return response.json();
}

test("the API lists a share link's creation, view and revocation with actor and target", async ({ request }) => {
  const linkId = await shareViewRevoke(request);
  const { events: found } = await events(`?target=${linkId}`);
  expect(found.map((event) => event.action)).toEqual(["share_link_revoked", "share_link_viewed", "share_link_created"]);
  const [revoked, viewed, created] = found;
  expect(created).toMatchObject({ actor: AUDITOR, target: linkId, detail: { interactionId: RICH_ID, expiresIn: "7d", hideSensitive: true } });
  expect(viewed).toMatchObject({ actor: null, target: linkId, detail: { interactionId: RICH_ID } });
  expect(revoked).toMatchObject({ actor: AUDITOR, target: linkId });
  for (const event of found) {
    expect(event.client).toBeTruthy();
    expect(Date.parse(event.at)).toBeGreaterThan(Date.now() - 60_000);
  }
  // Filters: by action (repeatable) and by actor.
  expect((await events(`?target=${linkId}&action=share_link_viewed`)).events.map((event) => event.action)).toEqual(["share_link_viewed"]);
  expect((await events(`?target=${linkId}&action=share_link_created&action=share_link_revoked`)).events).toHaveLength(2);
  expect((await events(`?actor=${encodeURIComponent(AUDITOR)}&target=${linkId}`)).events).toHaveLength(2);
});

test("the API pages with a cursor and refuses bad parameters", async ({ request }) => {
  await shareViewRevoke(request);
  const first = await events("?limit=2");
  expect(first.events).toHaveLength(2);
  const second = await events(`?limit=2&cursor=${first.nextCursor}`);
  expect(second.events[0].id).toBeLessThan(first.events[1].id);

  for (const query of ["?limit=0", "?limit=201", "?action=drop_table", "?cursor=nope", "?from=yesterday", "?page=2"]) {
    const response = await auditor.get(`/api/audit${query}`);
    expect(response.status(), query).toBe(400);
    expect((await response.json()).error.code, query).toBe("invalid_query");
  }
});

test("the page shows the three events, filters them with a plain GET form, and links their targets", async ({ browser, request }) => {
  const linkId = await shareViewRevoke(request);
  const context = await browser.newContext({ extraHTTPHeaders: { [USER_HEADER]: AUDITOR } });
  const page = await context.newPage();
  await page.goto(`${app.url}/`);
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Audit log" }).click();
  await expect(page).toHaveURL(`${app.url}/audit`);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Audit log");
  // The layout adds the product name once.
  await expect(page).toHaveTitle("Audit log · Interaction Inspector");

  await page.getByLabel("Target (link or interaction id)").fill(linkId);
  await page.getByRole("button", { name: "Filter" }).click();
  await expect(page).toHaveURL(new RegExp(`target=${linkId}`));
  const rows = page.locator("tbody tr");
  await expect(rows).toHaveCount(3);
  await expect(rows.nth(0)).toContainText("Share link revoked");
  await expect(rows.nth(0)).toContainText(AUDITOR);
  await expect(rows.nth(1)).toContainText("Share link viewed");
  await expect(rows.nth(1)).toContainText("Anonymous");
  await expect(rows.nth(2)).toContainText("Share link created");
  await expect(rows.nth(2)).toContainText("sensitive fields hidden");
  await expect(rows.nth(2)).toContainText(AUDITOR);
  await expect(rows.nth(2).getByRole("link", { name: `Link ${linkId}` })).toHaveAttribute("href", `/shared#link-${linkId}`);
  await expect(rows.nth(2).getByRole("link", { name: `Interaction ${RICH_ID}` })).toHaveAttribute("href", `/interactions/${RICH_ID}`);
  // Local time, not the server's UTC rendering.
  await expect(rows.nth(0).locator("time").first()).not.toContainText("UTC");

  await page.getByLabel("Share link viewed").check();
  await page.getByRole("button", { name: "Filter" }).click();
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText("Share link viewed");
  await expect(page.getByLabel("Share link viewed")).toBeChecked();

  // Two events a page: older and back, the filters kept.
  await page.goto(`${app.url}/audit?target=${linkId}&limit=2`);
  await expect(rows).toHaveCount(2);
  const pages = page.getByRole("navigation", { name: "Pages" });
  await expect(pages.getByRole("link")).toHaveCount(1);
  await pages.getByRole("link", { name: "Older →" }).click();
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText("Share link created");
  await expect(pages.getByRole("link", { name: "Older →" })).toHaveCount(0);
  await expect(pages.getByRole("link", { name: "← Newer" })).toHaveAttribute("rel", "prev");
  await pages.getByRole("link", { name: "← Newer" }).click();
  await expect(rows).toHaveCount(2);
  await expect(rows.first()).toContainText("Share link revoked");
  await expect(page).toHaveURL(new RegExp(`target=${linkId}`));

  await page.goto(`${app.url}/audit?actor=nobody-at-all`);
  await expect(page.getByText("No events match these filters.")).toBeVisible();
  await page.goto(`${app.url}/audit?limit=0`);
  await expect(page.getByRole("main").getByRole("alert")).toContainText("limit:");
  await context.close();
});

test("the page fits a 375 px phone", async ({ browser, request }) => {
  await shareViewRevoke(request);
  const context = await browser.newContext({ extraHTTPHeaders: { [USER_HEADER]: AUDITOR }, viewport: { width: 375, height: 800 } });
  const page = await context.newPage();
  await page.goto(`${app.url}/audit`);
  await expect(page.locator("tbody tr").first()).toBeVisible();
  expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
  await context.close();
});

test("without a session or SSO header, the API answers 401 and the page sends to sign-in", async ({ request }) => {
  const api = await request.get(`${app.url}/api/audit`);
  expect(api.status()).toBe(401);
  expect((await api.json()).error.code).toBe("unauthenticated");
  const page = await request.get(`${app.url}/audit`, { maxRedirects: 0 });
  expect(page.status()).toBe(307);
  expect(page.headers().location).toContain("/login");
});
