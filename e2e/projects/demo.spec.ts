import { expect, test } from "@playwright/test";
import { startApp, tempDatabaseUrl, type AppServer } from "../support/app-server";
import { ogDescription } from "../support/projects";

/** Demo mode (no key at all) serves its bundled data as two projects, so the switcher can be tried. */

const REFUND_ID = "0b6f3c1e-8a2d-4f57-9c1e-2d7a4b9e6f01"; // topic Billing: the billing assistant's
const SQL_ID = "c2d3e4f5-a6b7-4c8d-9e0f-1a2b3c4d5e13"; // a support question
const PROJECT_BADGE = "The Nebuly project this interaction belongs to";

let app: AppServer;

test.beforeAll(async () => {
  app = await startApp({ DATABASE_URL: tempDatabaseUrl("projects-demo") });
});

test.afterAll(async () => {
  await app?.stop();
});

test("Browse offers All projects, Support bot and Billing assistant, and each narrows the list to its own rows", async ({ page }) => {
  await page.goto(`${app.url}/interactions?range=30d`);
  const switcher = page.getByRole("navigation", { name: "Projects" });
  await expect(switcher.getByRole("link")).toHaveText(["All projects", "Support bot", "Billing assistant"]);
  await expect(switcher.getByRole("link", { name: "All projects" })).toHaveAttribute("aria-current", "page");
  const rows = page.getByRole("list", { name: "Interactions" }).getByRole("listitem");
  await expect(rows.filter({ hasText: "Billing assistant" }).first()).toBeVisible();
  await expect(rows.filter({ hasText: "Support bot" }).first()).toBeVisible();

  await switcher.getByRole("link", { name: "Billing assistant" }).click();
  await expect(page).toHaveURL(/project=billing/);
  await expect(page.getByRole("navigation", { name: "Projects" }).getByRole("link", { name: "Billing assistant" })).toHaveAttribute("aria-current", "page");
  await expect(rows.first()).toBeVisible();
  // One project chosen: no row is the support bot's.
  await expect(rows.filter({ hasText: "Support bot" })).toHaveCount(0);
  await expect(page.getByRole("link", { name: /refund/i }).first()).toBeVisible();
});

test("a billing demo id opens under the Billing assistant's name, a support one under the Support bot's", async ({ page, request }) => {
  const billing = await page.goto(`${app.url}/interactions/${REFUND_ID}`);
  expect(billing?.status()).toBe(200);
  await expect(page.getByTitle(PROJECT_BADGE)).toHaveText("Billing assistant");
  expect(ogDescription(await page.content())).toMatch(/^Billing assistant/);

  await page.goto(`${app.url}/interactions/${SQL_ID}`);
  await expect(page.getByTitle(PROJECT_BADGE)).toHaveText("Support bot");

  const projects = await request.get(`${app.url}/api/projects`);
  expect(((await projects.json()).projects as { slug: string; name: string }[]).map(({ slug, name }) => [slug, name])).toEqual([
    ["support", "Support bot"],
    ["billing", "Billing assistant"],
  ]);
});

test("an interaction's topic and user lead to Browse within its project, and Clear keeps the project and the range", async ({ page }) => {
  await page.goto(`${app.url}/interactions/${REFUND_ID}`);
  const topic = page.getByRole("complementary", { name: "Feedback and analysis" }).getByRole("link", { name: "Billing", exact: true });
  await expect(topic).toHaveAttribute("href", /project=billing/);
  await topic.click();
  await expect(page).toHaveURL(/project=billing/);
  await expect(page.getByRole("navigation", { name: "Projects" }).getByRole("link", { name: "Billing assistant" })).toHaveAttribute("aria-current", "page");
  await page.getByRole("link", { name: "Clear", exact: true }).click();
  await expect(page).toHaveURL(/project=billing/);
  await expect(page).toHaveURL(/range=30d/);
  await expect(page).not.toHaveURL(/topic=/);
});

test("the compact header names the project once the page's own title has scrolled away", async ({ page }) => {
  await page.goto(`${app.url}/interactions/${REFUND_ID}`);
  await page.mouse.wheel(0, 3_000);
  await expect(page.locator(".sticky-title")).toBeVisible();
  await expect(page.locator(".sticky-title")).toContainText("Billing assistant ·");
});

test("/cached says plainly that a project does not exist, and offers every project instead", async ({ page }) => {
  await page.goto(`${app.url}/cached?project=nonexistent`);
  // (Next's route announcer is an alert region too.)
  await expect(page.getByRole("alert").filter({ hasText: "There is no project" })).toContainText("There is no project “nonexistent” on this inspector");
  await page.getByRole("link", { name: "Search every project" }).click();
  await expect(page).toHaveURL(/\/cached$/);
});
