import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { startApp, tempDatabaseUrl, type AppServer } from "../support/app-server";

const REFUND_ID = "0b6f3c1e-8a2d-4f57-9c1e-2d7a4b9e6f01";
let open: AppServer;
let locked: AppServer;
let shareUrl: string;
let revokedShareUrl: string;
let hiddenShareUrl: string;

async function createShareLink(hideSensitive = false): Promise<{ id: string; url: string }> {
  const response = await fetch(`${open.url}/api/share-links`, {
    method: "POST",
    headers: { Origin: open.url, "Content-Type": "application/json" },
    body: JSON.stringify({ interactionId: REFUND_ID, expiresIn: "1d", hideSensitive }),
  });
  expect(response.status).toBe(201);
  return response.json();
}

test.beforeAll(async () => {
  open = await startApp({ DATABASE_URL: tempDatabaseUrl("a11y") });
  locked = await startApp({ DATABASE_URL: tempDatabaseUrl("a11y-login"), INSPECTOR_PASSWORD: "correct-horse-battery" });
  // Open one interaction first so the cached lists and recently viewed have something to show.
  expect((await fetch(`${open.url}/interactions/${REFUND_ID}`)).status).toBe(200);
  shareUrl = (await createShareLink()).url;
  hiddenShareUrl = (await createShareLink(true)).url;
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

const LONG_ID = "9e0a2c4d-1f3b-4c5e-8a7d-8b9c0d1e2f10";
const PROJECT_ID = "5b0c4e9a-2f61-4d8e-9a57-3c1d7e2b8f40";
const UNKNOWN_ID = "00000000-0000-4000-8000-000000000000";

/** Every page a person can reach: each state a page has that shows different content. */
const pages = [
  ["home", () => `${open.url}/`],
  ["home with a bad open box entry", () => `${open.url}/open?q=not-an-id`],
  ["home choosing between ids (the open box's list)", () => `${open.url}/open?q=${encodeURIComponent(`/p/${PROJECT_ID}/x/${UNKNOWN_ID}`)}`],
  ["interaction", () => `${open.url}/interactions/${REFUND_ID}`],
  ["a 37-turn interaction with a task list", () => `${open.url}/interactions/${LONG_ID}#turn-37`],
  ["share view", () => shareUrl],
  ["hidden share view", () => hiddenShareUrl],
  ["revoked share link", () => revokedShareUrl],
  ["unknown share link", () => `${open.url}/s/${"x".repeat(43)}`],
  ["browse", () => `${open.url}/interactions?range=30d&topic=Billing`],
  ["browse without filters", () => `${open.url}/interactions`],
  ["browse with a tag error", () => `${open.url}/interactions?topic=Billing&tag.plan=`],
  ["cached", () => `${open.url}/cached`],
  ["cached search", () => `${open.url}/cached?q=refund`],
  ["cached search inside words", () => `${open.url}/cached?q=${encodeURIComponent("efun -paypal")}`],
  ["cached search with nothing to search for", () => `${open.url}/cached?q=${encodeURIComponent('"*"')}`],
  ["shared links", () => `${open.url}/shared`],
  ["audit log", () => `${open.url}/audit`],
  ["invalid id", () => `${open.url}/interactions/not-an-id`],
  ["unknown interaction", () => `${open.url}/interactions/${UNKNOWN_ID}`],
  ["page not found", () => `${open.url}/no-such-page`],
  ["sign in", () => `${locked.url}/login?next=%2Fcached`],
] as const;

const looks = [
  { name: "light", colorScheme: "light", width: null },
  { name: "dark", colorScheme: "dark", width: null },
  { name: "light, 375 px", colorScheme: "light", width: 375 },
  { name: "dark, 375 px", colorScheme: "dark", width: 375 },
] as const;

for (const look of looks) {
  for (const [name, url] of pages) {
    test(`${name} has no serious, critical or landmark ("region") axe violations (${look.name})`, async ({ page }) => {
      await page.emulateMedia({ colorScheme: look.colorScheme });
      if (look.width) await page.setViewportSize({ width: look.width, height: 800 });
      await page.goto(url());
      expect(await seriousViolations(page)).toEqual([]);
      if (look.width) {
        // Nothing needs sideways scrolling on a phone.
        expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
      }
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
