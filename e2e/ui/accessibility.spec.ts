import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { startApp, tempDatabaseUrl, type AppServer } from "../support/app-server";

const REFUND_ID = "0b6f3c1e-8a2d-4f57-9c1e-2d7a4b9e6f01";
let open: AppServer;
let locked: AppServer;

test.beforeAll(async () => {
  open = await startApp({ DATABASE_URL: tempDatabaseUrl("a11y") });
  locked = await startApp({ DATABASE_URL: tempDatabaseUrl("a11y-login"), INSPECTOR_PASSWORD: "correct-horse-battery" });
});

test.afterAll(async () => {
  await open?.stop();
  await locked?.stop();
});

async function seriousViolations(page: Page) {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter((violation) => violation.impact === "serious" || violation.impact === "critical")
    .map((violation) => `${violation.id}: ${violation.nodes.map((node) => node.target).join(", ")}`);
}

const pages = [
  ["home", () => `${open.url}/`],
  ["browse", () => `${open.url}/interactions?range=30d&topic=Billing`],
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
    test(`${name} has no serious or critical axe violations (${colorScheme})`, async ({ page }) => {
      await page.emulateMedia({ colorScheme });
      // Open one interaction first so the cached lists have something to show.
      await page.goto(`${open.url}/interactions/${REFUND_ID}`);
      await page.goto(url());
      expect(await seriousViolations(page)).toEqual([]);
    });
  }
}

test("the home page and browse list fit a 375 px phone", async ({ page }) => {
  await page.setViewportSize({ width: 375, height: 800 });
  for (const url of [`${open.url}/`, `${open.url}/interactions`, `${open.url}/cached`]) {
    await page.goto(url);
    expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth), url).toBeLessThanOrEqual(0);
  }
});
