import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { startApp, tempDatabaseUrl, type AppServer } from "../support/app-server";

const REFUND_ID = "0b6f3c1e-8a2d-4f57-9c1e-2d7a4b9e6f01";
let open: AppServer;
let locked: AppServer;
let shareUrl: string;
let revokedShareUrl: string;

async function createShareLink(): Promise<{ id: string; url: string }> {
  const response = await fetch(`${open.url}/api/share-links`, {
    method: "POST",
    headers: { Origin: open.url, "Content-Type": "application/json" },
    body: JSON.stringify({ interactionId: REFUND_ID, expiresIn: "1d" }),
  });
  expect(response.status).toBe(201);
  return response.json();
}

test.beforeAll(async () => {
  open = await startApp({ DATABASE_URL: tempDatabaseUrl("a11y") });
  locked = await startApp({ DATABASE_URL: tempDatabaseUrl("a11y-login"), INSPECTOR_PASSWORD: "correct-horse-battery" });
  shareUrl = (await createShareLink()).url;
  const revoked = await createShareLink();
  revokedShareUrl = revoked.url;
  const response = await fetch(`${open.url}/api/share-links/${revoked.id}`, { method: "DELETE", headers: { Origin: open.url, "Content-Type": "application/json" } });
  expect(response.status).toBe(204);
});

test.afterAll(async () => {
  await open?.stop();
  await locked?.stop();
});

/**
 * Serious and critical violations, and always "region" (content outside every landmark): axe rates
 * it moderate, but someone moving by landmarks never reaches such content at all.
 */
async function seriousViolations(page: Page) {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter((violation) => violation.impact === "serious" || violation.impact === "critical" || violation.id === "region")
    .map((violation) => `${violation.id}: ${violation.nodes.map((node) => node.target).join(", ")}`);
}

const pages = [
  ["home", () => `${open.url}/`],
  ["interaction", () => `${open.url}/interactions/${REFUND_ID}`],
  ["share view", () => shareUrl],
  ["revoked share link", () => revokedShareUrl],
  ["browse", () => `${open.url}/interactions?range=30d&topic=Billing`],
  ["browse without filters", () => `${open.url}/interactions`],
  ["browse with a tag error", () => `${open.url}/interactions?topic=Billing&tag.plan=`],
  ["home choosing between ids", () => `${open.url}/?open=choose&q=${encodeURIComponent(`/p/5b0c4e9a-2f61-4d8e-9a57-3c1d7e2b8f40/x/${REFUND_ID}`)}`],
  ["cached search", () => `${open.url}/cached?q=refund`],
  ["cached search inside words", () => `${open.url}/cached?q=${encodeURIComponent("efun -paypal")}`],
  ["cached search with nothing to search for", () => `${open.url}/cached?q=${encodeURIComponent('"*"')}`],
  ["shared links", () => `${open.url}/shared`],
  ["audit log", () => `${open.url}/audit`],
  ["invalid id", () => `${open.url}/interactions/not-an-id`],
  ["page not found", () => `${open.url}/no-such-page`],
  ["sign in", () => `${locked.url}/login`],
] as const;

for (const colorScheme of ["light", "dark"] as const) {
  for (const [name, url] of pages) {
    test(`${name} has no serious, critical or landmark ("region") axe violations (${colorScheme})`, async ({ page }) => {
      await page.emulateMedia({ colorScheme });
      // Open one interaction first so the cached lists have something to show.
      await page.goto(`${open.url}/interactions/${REFUND_ID}`);
      await page.goto(url());
      expect(await seriousViolations(page)).toEqual([]);
    });
  }
}

test("the interaction page's Share panel and shortcuts dialog, open, have no serious violations", async ({ page }) => {
  await page.goto(`${open.url}/interactions/${REFUND_ID}`);
  await expect(page.locator("html[data-enhanced]")).toHaveCount(1);
  await page.locator("summary", { hasText: "Share" }).click();
  await expect(page.getByRole("group", { name: "Share this interaction" })).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);
  await page.keyboard.press("Escape");
  await page.getByRole("button", { name: "keyboard shortcuts" }).click();
  await expect(page.getByRole("dialog", { name: "Keyboard shortcuts" })).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);
});

test("the home page and browse list fit a 375 px phone", async ({ page }) => {
  await page.setViewportSize({ width: 375, height: 800 });
  for (const url of [`${open.url}/`, `${open.url}/interactions`, `${open.url}/cached`]) {
    await page.goto(url);
    expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth), url).toBeLessThanOrEqual(0);
  }
});
