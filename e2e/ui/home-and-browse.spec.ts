import { expect, test } from "@playwright/test";
import { startApp, tempDatabaseUrl, type AppServer } from "../support/app-server";

// Demo mode: both lists and the pages serve the bundled demo data.
const REFUND_ID = "0b6f3c1e-8a2d-4f57-9c1e-2d7a4b9e6f01";
const SQL_ID = "c2d3e4f5-a6b7-4c8d-9e0f-1a2b3c4d5e13";

let app: AppServer;

test.beforeAll(async () => {
  app = await startApp({ DATABASE_URL: tempDatabaseUrl("home") });
});

test.afterAll(async () => {
  await app?.stop();
});

test.describe("open an interaction from the home page", () => {
  for (const [label, input, fragment] of [
    ["a UUID", REFUND_ID.toUpperCase(), ""],
    ["an inspector link with a turn", `https://inspector.example.com/interactions/${REFUND_ID}#turn-2`, "#turn-2"],
    ["another URL carrying the id", `https://app.nebuly.com/p/x/interactions?id=${REFUND_ID}`, ""],
  ]) {
    test(`accepts ${label}`, async ({ page }) => {
      await page.goto(app.url);
      await page.getByLabel("Open interaction").fill(input);
      await page.getByRole("button", { name: "Open" }).click();
      await expect(page).toHaveURL(`${app.url}/interactions/${REFUND_ID}${fragment}`);
      await expect(page.getByRole("heading", { level: 1 })).toHaveText("Yes please, refund the duplicate.");
    });
  }

  test("bad input shows an inline message and goes nowhere", async ({ page }) => {
    await page.goto(app.url);
    await page.getByLabel("Open interaction").fill("not an id at all");
    await page.getByRole("button", { name: "Open" }).click();
    await expect(page.locator("main").getByRole("alert")).toContainText("No interaction id found");
    await expect(page).toHaveURL(`${app.url}/`);
  });

  test("without JavaScript the form still works through /open", async ({ browser }) => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(app.url);
    await page.getByLabel("Open interaction").fill("nonsense");
    await page.getByRole("button", { name: "Open" }).click();
    await expect(page.getByText("No interaction id found")).toBeVisible();
    await page.getByLabel("Open interaction").fill(SQL_ID);
    await page.getByRole("button", { name: "Open" }).click();
    await expect(page).toHaveURL(`${app.url}/interactions/${SQL_ID}`);
    await context.close();
  });
});

test("a fresh instance offers the latest interactions, and opened ones appear under Recently viewed", async ({ page }) => {
  await page.goto(app.url);
  const latest = page.getByRole("list", { name: "Latest interactions" });
  await expect(latest.getByRole("listitem")).toHaveCount(10);
  await page.goto(`${app.url}/interactions/${SQL_ID}`);
  await page.goto(`${app.url}/interactions/${REFUND_ID}`);
  await page.goto(app.url);
  const recent = page.getByRole("list", { name: "Recently viewed interactions" }).getByRole("link");
  await expect(recent.first()).toContainText("Yes please, refund the duplicate.");
  await expect(recent.nth(1)).toContainText("Write a query for monthly active users");
});

test("browse → filter → open a row → back keeps the filters", async ({ page }) => {
  await page.goto(`${app.url}/interactions`);
  await page.getByRole("link", { name: "Last 30 days" }).click();
  await expect(page).toHaveURL(/range=30d/);
  const filters = page.getByRole("form", { name: "Filters" });
  await filters.getByLabel("Topic").fill("Billing");
  await filters.getByRole("button", { name: "Apply filters" }).click();
  await expect(page).toHaveURL(/topic=Billing/);
  await expect(page).toHaveURL(/range=30d/);
  const rows = page.getByRole("list", { name: "Interactions" }).getByRole("link");
  await expect(rows).toHaveCount(4);
  await expect(page.getByText("1–4 of 4 interactions")).toBeVisible();
  await rows.first().click();
  // The row's address carries the list it was opened from (e2e/ui/list-navigation.spec.ts).
  await expect(page).toHaveURL(/\/interactions\/[0-9a-f-]{36}\?list=b1\.[A-Za-z0-9_-]+&at=1$/);
  await page.goBack();
  await expect(page).toHaveURL(/topic=Billing/);
  await expect(page.getByRole("form", { name: "Filters" }).getByLabel("Topic")).toHaveValue("Billing");
  await expect(page.getByRole("list", { name: "Interactions" }).getByRole("link")).toHaveCount(4);
});

test("tag filters from the form become tag.{name} in the address, and chips remove filters", async ({ page }) => {
  await page.goto(`${app.url}/interactions?range=30d`);
  const filters = page.getByRole("form", { name: "Filters" });
  await filters.getByLabel("Tag name").fill("plan");
  await filters.getByLabel("Tag value").fill("pro");
  await filters.getByRole("button", { name: "Apply filters" }).click();
  await expect(page).toHaveURL(/tag\.plan=pro/);
  await expect(page.getByRole("list", { name: "Interactions" }).getByRole("link")).toHaveCount(4);
  await page.getByRole("link", { name: "Remove filter plan: pro" }).click();
  await expect(page).not.toHaveURL(/tag\.plan/);
});

test("pagination pages through the list with the total", async ({ page }) => {
  await page.goto(`${app.url}/interactions?range=30d&limit=10`);
  await expect(page.getByText("1–10 of 30 interactions")).toBeVisible();
  await page.getByRole("link", { name: "Next →" }).click();
  await expect(page).toHaveURL(/offset=10/);
  await expect(page.getByText("11–20 of 30 interactions")).toBeVisible();
  await page.getByRole("link", { name: "← Previous" }).click();
  await expect(page.getByText("1–10 of 30 interactions")).toBeVisible();
});

test("invalid list parameters show an inline message, not an error page", async ({ page }) => {
  const response = await page.goto(`${app.url}/interactions?limit=500&from=yesterday`);
  expect(response?.status()).toBe(200);
  await expect(page.locator("main").getByRole("alert")).toContainText("is not an ISO 8601 date");
  await expect(page.getByRole("link", { name: "Reset the filters" })).toBeVisible();
});

test("cached search finds words from any turn and survives hostile search text", async ({ page }) => {
  await page.goto(`${app.url}/interactions/${SQL_ID}`);
  await page.goto(`${app.url}/cached`);
  await page.getByLabel("Search inputs, outputs and queries").fill("monthly active");
  await page.getByRole("button", { name: "Search" }).click();
  await expect(page.getByRole("list", { name: "Cached interactions" }).getByRole("link")).toHaveCount(1);
  for (const hostile of ['"unbalanced', "a AND (b", "NEAR(x y)", "-minus *", "'; DROP TABLE interactions; --"]) {
    const response = await page.goto(`${app.url}/cached?q=${encodeURIComponent(hostile)}`);
    expect(response?.status()).toBe(200);
    await expect(page.getByRole("heading", { name: "Cached interactions" })).toBeVisible();
  }
  await page.goto(`${app.url}/cached?sort=viewed&page=0&topic=%3Cb%3E`);
  await expect(page.getByRole("heading", { name: "Cached interactions" })).toBeVisible();
});
