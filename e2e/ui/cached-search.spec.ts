import { expect, test, type Page } from "@playwright/test";
import { startApp, tempDatabaseUrl, type AppServer } from "../support/app-server";

// Demo mode: interactions from lib/demo/interactions.ts, cached by opening them.
const CHINESE = { id: "5f6a7b8c-9d0e-45b6-9d7d-8e9f0a1b2c22", title: "可以开具增值税专用发票吗？" };
const JAPANESE = { id: "6b7d9f1a-8c0e-4f2b-9d4a-5e6f7a8b9c07", title: "東京リージョンはありますか？" };
const REFUND = { id: "0b6f3c1e-8a2d-4f57-9c1e-2d7a4b9e6f01", title: "Yes please, refund the duplicate." };
const DEPLOY_SCRIPT = { id: "1c2e4a6b-3d5f-4a7c-8e9b-0f1a2b3c4d02", title: "My deploy script fails" };
const SLOW_SITE = { id: "e4f5a6b7-c8d9-4e0f-9a1b-3c4d5e6f7a15", title: "Why is my site so slow since yesterday's deploy?" };

let app: AppServer;

test.beforeAll(async () => {
  app = await startApp({ DATABASE_URL: tempDatabaseUrl("cached-search") });
  // Opening an interaction caches it; /cached searches what is cached.
  for (const { id } of [CHINESE, JAPANESE, REFUND, DEPLOY_SCRIPT, SLOW_SITE]) {
    expect((await fetch(`${app.url}/interactions/${id}`)).status).toBe(200);
  }
});

test.afterAll(async () => {
  await app?.stop();
});

async function searchFor(page: Page, text: string) {
  await page.goto(`${app.url}/cached`);
  await page.getByLabel("Search inputs, outputs and queries").fill(text);
  await page.getByRole("button", { name: "Search" }).click();
  await expect(page).toHaveURL(/[?&]q=/);
}

const results = (page: Page) => page.getByRole("list", { name: "Cached interactions" }).getByRole("listitem");

for (const [word, expected] of [
  ["增值税", CHINESE],
  ["专用", CHINESE],
  ["ご利用", JAPANESE],
  ["移行", JAPANESE],
  ["選択", JAPANESE],
] as const) {
  test(`finds ${word} inside a sentence and marks it`, async ({ page }) => {
    await searchFor(page, word);
    await expect(page.getByRole("heading", { name: "1 interaction matches" })).toBeVisible();
    await expect(results(page)).toHaveCount(1);
    await expect(results(page).first()).toContainText(expected.title);
    // Exactly the searched text is marked (wherever the snippet shows it), not the run of characters around it.
    const marks = results(page).first().locator("mark");
    await expect(marks.first()).toHaveText(word);
    for (const text of await marks.allTextContents()) expect(text).toBe(word);
  });
}

test("an exact phrase matches the words together, not apart", async ({ page }) => {
  await searchFor(page, '"refund the duplicate"');
  await expect(results(page)).toHaveCount(1);
  await expect(results(page).first()).toContainText(REFUND.title);
  await expect(results(page).first().locator("mark").first()).toHaveText(/refund the duplicate/i);

  await searchFor(page, '"duplicate refund"');
  await expect(page.getByRole("heading", { name: "Nothing matches." })).toBeVisible();
  await searchFor(page, "duplicate refund");
  await expect(results(page)).toHaveCount(1);
});

test("a minus or NOT leaves interactions out, and OR accepts either word", async ({ page }) => {
  await searchFor(page, "deploy");
  await expect(page.getByRole("heading", { name: "2 interactions match" })).toBeVisible();
  await expect(results(page)).toHaveCount(2);

  for (const text of ["deploy -yesterday", "deploy NOT yesterday"]) {
    await searchFor(page, text);
    await expect(page.getByRole("heading", { name: "1 interaction matches" })).toBeVisible();
    await expect(results(page).first()).toContainText(DEPLOY_SCRIPT.title);
  }

  await searchFor(page, "增值税 OR 移行");
  await expect(page.getByRole("heading", { name: "2 interactions match" })).toBeVisible();
  await expect(results(page).filter({ hasText: CHINESE.title })).toHaveCount(1);
  await expect(results(page).filter({ hasText: JAPANESE.title })).toHaveCount(1);
});

test("search text with nothing searchable in it says so instead of listing everything", async ({ page }) => {
  for (const text of ['"*"', "-", "🙂"]) {
    await searchFor(page, text);
    await expect(page.getByRole("heading", { name: `Nothing to search for in “${text}”` })).toBeVisible();
    await expect(page.getByRole("list", { name: "Cached interactions" })).toHaveCount(0);
  }
});

test("a long search says which part was left out", async ({ page }) => {
  const words = Array.from({ length: 40 }, (_, i) => `word${i}`).join(" ");
  await page.goto(`${app.url}/cached?q=${encodeURIComponent(`refund ${words}`)}`);
  await expect(page.getByRole("list", { name: "How the search was read" })).toContainText("left out: “word31 word32");
});

test("counts every cached interaction, and matches when searching", async ({ page }) => {
  await page.goto(`${app.url}/cached`);
  await expect(page.getByRole("heading", { name: "5 cached interactions" })).toBeVisible();
  await searchFor(page, "the");
  const count = await results(page).count();
  expect(count).toBeGreaterThan(1);
  await expect(page.getByRole("heading", { name: `${count} interactions match` })).toBeVisible();
});

test("feedback reads as words in rows and in the filter", async ({ page }) => {
  await page.goto(`${app.url}/cached`);
  await expect(results(page).filter({ hasText: SLOW_SITE.title })).toContainText("Explicit negative");
  await expect(page.getByText("explicit_negative")).toHaveCount(0);
  const feedback = page.getByLabel("Feedback");
  await expect(feedback.getByRole("option")).toContainText(["Any", "Explicit negative", "Explicit positive", "Implicit positive"]);
  await feedback.selectOption({ label: "Explicit negative" });
  await page.getByRole("button", { name: "Search" }).click();
  await expect(page).toHaveURL(/feedback_type=explicit_negative/);
  await expect(results(page)).toHaveCount(1);
  await expect(results(page).first()).toContainText(SLOW_SITE.title);
});
