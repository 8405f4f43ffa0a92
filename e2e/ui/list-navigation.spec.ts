import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { startApp, tempDatabaseUrl, type AppServer } from "../support/app-server";

/*
 * Moving through a list from an interaction's page: "12 of 30 · ‹ Previous · Next ›", by link and
 * by [ and ], across a page boundary, at the ends, from each list, from a copied link, without
 * JavaScript, and with a list parameter a client made up. Demo mode: 30 interactions in the last
 * 7 days, in two demo projects (Browse merges them, newest first).
 */

let app: AppServer;
/** The demo ids in Browse's order (newest first, by the list's times). */
let newestFirst: string[] = [];
/** The ids in /cached's order (by each interaction's own time, which can differ a little from the list's). */
let cachedOrder: string[] = [];

async function idsLinkedFrom(path: string): Promise<string[]> {
  const html = await (await fetch(`${app.url}${path}`)).text();
  return [...html.matchAll(/href="\/interactions\/([0-9a-f-]{36})\?list=/g)].map((match) => match[1]!);
}

test.beforeAll(async () => {
  app = await startApp({ DATABASE_URL: tempDatabaseUrl("list-navigation"), RATE_LIMIT_PER_MINUTE: "5000" });
  const list = await (await fetch(`${app.url}/api/interactions?range=7d&limit=100`)).json();
  newestFirst = list.data.map((item: { id: string }) => item.id);
  expect(newestFirst).toHaveLength(30);
  // Opening caches: /cached then lists all 30 (two pages of 25).
  for (const id of newestFirst) expect((await fetch(`${app.url}/api/interactions/${id}`)).status).toBe(200);
  // Opening pages records views: Recently viewed then has its ten rows.
  for (const id of newestFirst.slice(0, 12)) expect((await fetch(`${app.url}/interactions/${id}`)).status).toBe(200);
  cachedOrder = [...(await idsLinkedFrom("/cached")), ...(await idsLinkedFrom("/cached?page=2"))];
  expect(new Set(cachedOrder).size).toBe(30);
});

test.afterAll(async () => {
  await app?.stop();
});

const listNav = (page: Page) => page.getByRole("navigation", { name: "Move through the list" });
const idInAddress = (page: Page) => new URL(page.url()).pathname.split("/").at(-1);

/** Where the page says it is, e.g. "Cached interactions: 25 of 30", and that it is that row of the list. */
async function expectAt(page: Page, name: "Browse" | "Cached interactions", position: number, total: number) {
  await expect(listNav(page)).toContainText(`${name}: ${position} of ${total}`);
  expect(idInAddress(page)).toBe((name === "Browse" ? newestFirst : cachedOrder)[position - 1]);
}

test("from a /cached search: Next and Previous by link and by ] and [", async ({ page }) => {
  await page.goto(`${app.url}/cached`);
  await page.getByLabel("Search inputs, outputs and queries").fill("deploy");
  await page.getByRole("button", { name: "Search" }).click();
  const rows = page.getByRole("list", { name: "Cached interactions" }).getByRole("link");
  const count = await rows.count();
  expect(count).toBeGreaterThan(2);
  const ids = await rows.evaluateAll((links) => links.map((link) => new URL((link as HTMLAnchorElement).href).pathname.split("/").at(-1)));
  await rows.nth(0).click();

  await expect(listNav(page)).toContainText(`Cached search: 1 of ${count}`);
  await expect(listNav(page)).toContainText("First in this list");
  await listNav(page).getByRole("link", { name: "Next" }).click();
  await expect(listNav(page)).toContainText(`Cached search: 2 of ${count}`);
  expect(idInAddress(page)).toBe(ids[1]);
  await listNav(page).getByRole("link", { name: "Previous" }).click();
  await expect(listNav(page)).toContainText(`Cached search: 1 of ${count}`);

  await expect(page.locator("html[data-enhanced]")).toHaveCount(1);
  await page.keyboard.press("]");
  await expect(listNav(page)).toContainText(`Cached search: 2 of ${count}`);
  await expect(page.locator("html[data-enhanced]")).toHaveCount(1);
  await page.keyboard.press("]");
  await expect(listNav(page)).toContainText(`Cached search: 3 of ${count}`);
  expect(idInAddress(page)).toBe(ids[2]);
  await expect(page.locator("html[data-enhanced]")).toHaveCount(1);
  await page.keyboard.press("[");
  await expect(listNav(page)).toContainText(`Cached search: 2 of ${count}`);
  // j and k still move between turns, not interactions.
  await expect(page.locator("html[data-enhanced]")).toHaveCount(1);
  await page.keyboard.press("j");
  await expect(page).toHaveURL(/#turn-\d+$/);
  expect(idInAddress(page)).toBe(ids[1]);
});

test("the ? dialog lists [ and ]", async ({ page }) => {
  await page.goto(`${app.url}/interactions/${newestFirst[0]}`);
  await expect(page.locator("html[data-enhanced]")).toHaveCount(1);
  await page.keyboard.press("?");
  const dialog = page.getByRole("dialog", { name: "Keyboard shortcuts" });
  await expect(dialog).toContainText("Next interaction in the list it was opened from");
  await expect(dialog).toContainText("Previous interaction in that list");
});

test("across a page boundary of /cached, and at both ends", async ({ page }) => {
  await page.goto(`${app.url}/cached`);
  await page.getByRole("list", { name: "Cached interactions" }).getByRole("link").nth(24).click();
  await expectAt(page, "Cached interactions", 25, 30);
  await listNav(page).getByRole("link", { name: "Next" }).click();
  await expectAt(page, "Cached interactions", 26, 30);
  // "Back to the list" is the list's own page holding this row.
  await expect(listNav(page).getByRole("link", { name: "Cached interactions" })).toHaveAttribute("href", "/cached?page=2");
  await listNav(page).getByRole("link", { name: "Previous" }).click();
  await expectAt(page, "Cached interactions", 25, 30);

  await page.goto(`${app.url}/cached?page=2`);
  await page.getByRole("list", { name: "Cached interactions" }).getByRole("link").last().click();
  await expectAt(page, "Cached interactions", 30, 30);
  await expect(listNav(page)).toContainText("Last in this list");
  await expect(listNav(page).getByRole("link", { name: "Next" })).toHaveCount(0);
  await expect(page.locator("html[data-enhanced]")).toHaveCount(1);
  await page.keyboard.press("]");
  await expectAt(page, "Cached interactions", 30, 30);
});

test("from Browse, across its page of 25", async ({ page }) => {
  await page.goto(`${app.url}/interactions`);
  await page.getByRole("list", { name: "Interactions" }).getByRole("link").nth(24).click();
  await expectAt(page, "Browse", 25, 30);
  await listNav(page).getByRole("link", { name: "Next" }).click();
  await expectAt(page, "Browse", 26, 30);
});

test("from the home page's Latest: Next past its ten rows goes on to the eleventh", async ({ page }) => {
  await page.goto(app.url);
  await page.getByRole("list", { name: "Latest interactions" }).getByRole("link").nth(9).click();
  await expectAt(page, "Browse", 10, 30);
  await listNav(page).getByRole("link", { name: "Next" }).click();
  await expectAt(page, "Browse", 11, 30);
});

test("from Recently viewed: the batch shown stays the batch, though opening reorders the list", async ({ page }) => {
  await page.goto(app.url);
  const recent = page.getByRole("list", { name: "Recently viewed interactions" }).getByRole("link");
  await expect(recent).toHaveCount(10);
  const ids = await recent.evaluateAll((links) => links.map((link) => new URL((link as HTMLAnchorElement).href).pathname.split("/").at(-1)));
  await recent.nth(1).click();
  await expect(listNav(page)).toContainText("Recently viewed: 2 of 10");
  await listNav(page).getByRole("link", { name: "Next" }).click();
  await expect(listNav(page)).toContainText("Recently viewed: 3 of 10");
  expect(idInAddress(page)).toBe(ids[2]);
  await listNav(page).getByRole("link", { name: "Previous" }).click();
  await listNav(page).getByRole("link", { name: "Previous" }).click();
  await expect(listNav(page)).toContainText("Recently viewed: 1 of 10");
  expect(idInAddress(page)).toBe(ids[0]);
});

test.describe("a copied link", () => {
  test.use({ permissions: ["clipboard-read", "clipboard-write"] });

  test("keeps the list, so a colleague in a fresh browser lands in the same batch", async ({ page, browser }) => {
    await page.goto(`${app.url}/cached`);
    await page.getByRole("list", { name: "Cached interactions" }).getByRole("link").nth(4).click();
    await expectAt(page, "Cached interactions", 5, 30);
    await expect(page.locator("html[data-enhanced]")).toHaveCount(1);
    await page.getByRole("button", { name: "Copy link to this interaction" }).click();
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    expect(copied).toBe(page.url());
    expect(new URL(copied).searchParams.get("at")).toBe("5");

    const colleague = await browser.newContext();
    const theirs = await colleague.newPage();
    await theirs.goto(copied);
    await expectAt(theirs, "Cached interactions", 5, 30);
    await listNav(theirs).getByRole("link", { name: "Next" }).click();
    await expectAt(theirs, "Cached interactions", 6, 30);
    await colleague.close();
  });
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("the list's links are plain links that work", async ({ page }) => {
    await page.goto(`${app.url}/interactions`);
    await page.getByRole("list", { name: "Interactions" }).getByRole("link").first().click();
    await expectAt(page, "Browse", 1, 30);
    await listNav(page).getByRole("link", { name: "Next" }).click();
    await expectAt(page, "Browse", 2, 30);
    await listNav(page).getByRole("link", { name: "Previous" }).click();
    await expectAt(page, "Browse", 1, 30);
  });
});

test.describe("an address a client made up", () => {
  const id = () => cachedOrder[3];
  const hostile: [string, () => string][] = [
    ["script in the list", () => `list=${encodeURIComponent("<script>alert(1)</script>")}&at=1`],
    ["an unknown kind", () => "list=z9.AAAA&at=1"],
    // Longer than any list this app writes, within what the server reads of an address (16 KB of headers).
    ["a very long list", () => `list=c1.${"A".repeat(13_000)}&at=1`],
    ["malformed base64", () => "list=c1.%FF%FE&at=2"],
    ["a repeated list parameter", () => "list=c1.&list=c1.&at=1"],
  ];
  for (const [name, search] of hostile) {
    test(`${name}: the interaction still shows, and says the list could not be read`, async ({ page }) => {
      const response = await page.goto(`${app.url}/interactions/${id()}?${search()}`);
      expect(response?.status()).toBe(200);
      await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
      await expect(page.getByText("The list in this address could not be read")).toBeVisible();
      await expect(listNav(page)).toHaveCount(0);
    });
  }

  test("a position past the end, a negative one, or a project that is not there: the page renders and says the list has no such place", async ({ page }) => {
    for (const at of ["999999", "-5", "1e9", "99999999999"]) {
      const response = await page.goto(`${app.url}/interactions/${id()}?list=c1.&at=${at}`);
      expect(response?.status()).toBe(200);
      await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
    }
    await page.goto(`${app.url}/interactions/${id()}?list=c1.&at=999999`);
    await expect(page.getByText("This interaction is no longer at this place in the list")).toBeVisible();
    // An unreadable position reads as the list's first page: the id is found there, position corrected.
    await page.goto(`${app.url}/interactions/${id()}?list=c1.&at=-5`);
    await expectAt(page, "Cached interactions", 4, 30);

    const noSuchProject = Buffer.from("project=no-such-project", "utf8").toString("base64url");
    const response = await page.goto(`${app.url}/interactions/${id()}?list=c1.${noSuchProject}&at=1`);
    expect(response?.status()).toBe(200);
    await expect(page.getByText("This interaction is no longer at this place in the list")).toBeVisible();
  });

  test("an unknown interaction opened from a list still offers the list", async ({ page }) => {
    await page.goto(`${app.url}/cached`);
    const href = await page.getByRole("list", { name: "Cached interactions" }).getByRole("link").first().getAttribute("href");
    const search = new URL(href!, app.url).search;
    const response = await page.goto(`${app.url}/interactions/00000000-0000-4000-8000-000000000000${search}`);
    expect(response?.status()).toBe(404);
    await expect(page.getByRole("heading", { name: "Interaction not found" })).toBeVisible();
    await expect(page.getByText("This interaction is no longer at this place in the list")).toBeVisible();
  });
});

test("a page opened from a list opens at its top (its place in the list, its labels), not scrolled to its chosen turn", async ({ page }) => {
  // A demo interaction whose chosen turn is far enough down that, opened alone, the page scrolls to it.
  const id = "0b6f3c1e-8a2d-4f57-9c1e-2d7a4b9e6f01";
  await page.goto(`${app.url}/interactions/${id}`);
  await expect(page.locator("html[data-enhanced]")).toHaveCount(1);
  await expect.poll(() => page.evaluate(() => window.scrollY)).toBeGreaterThan(0);
  await page.goto(`${app.url}/interactions`);
  await page.locator(`a[href^="/interactions/${id}?list="]`).first().click();
  await expect(listNav(page)).toBeVisible();
  await expect(page.locator("html[data-enhanced]")).toHaveCount(1);
  await page.waitForTimeout(500);
  // At the top (Next's own scroll to the new page may leave a few pixels), not at the chosen turn.
  expect(await page.evaluate(() => window.scrollY)).toBeLessThan(50);
  await expect(listNav(page)).toBeInViewport();
  await expect(page.getByRole("region", { name: "Labels" })).toBeInViewport();
});

test.describe("on a 375 px phone", () => {
  test.use({ viewport: { width: 375, height: 740 } });

  test("the page fits, Previous and Next stay at hand in the compact header, and work from the keyboard", async ({ page }) => {
    await page.goto(`${app.url}/cached`);
    await page.getByRole("list", { name: "Cached interactions" }).getByRole("link").nth(1).click();
    await expect(listNav(page)).toContainText("Cached interactions: 2 of 30");
    await expect(page.locator("html[data-enhanced]")).toHaveCount(1);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    // Wherever the page has scrolled to (the chosen turn), the compact header's links are in view.
    await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
    const next = page.getByRole("link", { name: "Next in Cached interactions (now 2 of 30)" });
    await expect(next).toBeInViewport();
    await next.focus();
    await page.keyboard.press("Enter");
    await expectAt(page, "Cached interactions", 3, 30);
    await listNav(page).getByRole("link", { name: "Previous" }).focus();
    await page.keyboard.press("Enter");
    await expectAt(page, "Cached interactions", 2, 30);
  });
});

test("no serious accessibility findings on a page with the list navigation", async ({ page }) => {
  await page.goto(`${app.url}/cached`);
  await page.getByRole("list", { name: "Cached interactions" }).getByRole("link").nth(1).click();
  await expect(listNav(page)).toBeVisible();
  await expect(page.locator("html[data-enhanced]")).toHaveCount(1);
  const results = await new AxeBuilder({ page }).analyze();
  const serious = results.violations
    .filter((violation) => violation.impact === "serious" || violation.impact === "critical" || violation.id === "region")
    .map((violation) => `${violation.id}: ${violation.nodes.map((node) => node.target).join(", ")}`);
  expect(serious).toEqual([]);
  for (const scheme of ["dark", "light"] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    const contrast = await new AxeBuilder({ page }).withRules(["color-contrast"]).analyze();
    expect(contrast.violations.map((violation) => violation.id)).toEqual([]);
  }
});
