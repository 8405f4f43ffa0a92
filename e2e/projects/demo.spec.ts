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
