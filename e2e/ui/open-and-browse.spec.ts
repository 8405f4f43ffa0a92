import { expect, test, type Browser, type Page } from "@playwright/test";
import { startApp, tempDatabaseUrl, type AppServer } from "../support/app-server";

// Demo mode: the bundled interactions, all of one demo project.
const PROJECT_ID = "5b0c4e9a-2f61-4d8e-9a57-3c1d7e2b8f40";
const REFUND_ID = "0b6f3c1e-8a2d-4f57-9c1e-2d7a4b9e6f01";
const PRICING_ID = "2d3f5b7c-4e6a-4b8d-9f0c-1a2b3c4d5e03";
const SQL_ID = "c2d3e4f5-a6b7-4c8d-9e0f-1a2b3c4d5e13";
const UNKNOWN_ID = "9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a";
const NEBULY_LINK = `https://app.example/project/${PROJECT_ID}/interactions?interactionId=${REFUND_ID}`;

let app: AppServer;

test.beforeAll(async () => {
  app = await startApp({ DATABASE_URL: tempDatabaseUrl("open-browse") });
});

test.afterAll(async () => {
  await app?.stop();
});

async function withoutJavaScript(browser: Browser, run: (page: Page) => Promise<void>) {
  const context = await browser.newContext({ javaScriptEnabled: false });
  try {
    await run(await context.newPage());
  } finally {
    await context.close();
  }
}

async function openFromHome(page: Page, input: string) {
  await page.goto(app.url);
  await page.getByLabel("Open interaction").fill(input);
  await page.getByRole("button", { name: "Open", exact: true }).click();
}

const utcDay = (offsetDays: number) => new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10);
const filters = (page: Page) => page.getByRole("form", { name: "Filters" });
const rows = (page: Page) => page.getByRole("list", { name: "Interactions" }).getByRole("listitem");

test.describe("the open box", () => {
  test("opens the interaction id of a link that also holds a project id", async ({ page }) => {
    await openFromHome(page, NEBULY_LINK);
    await expect(page).toHaveURL(`${app.url}/interactions/${REFUND_ID}`);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Yes please, refund the duplicate.");
  });

  test("opens the interaction id of a two-id link without JavaScript too", async ({ browser }) => {
    await withoutJavaScript(browser, async (page) => {
      await openFromHome(page, NEBULY_LINK);
      await expect(page).toHaveURL(`${app.url}/interactions/${REFUND_ID}`);
      await expect(page.getByRole("heading", { level: 1 })).toHaveText("Yes please, refund the duplicate.");
    });
  });

  test("keeps the pasted #turn-N, with and without JavaScript", async ({ page, browser }) => {
    const link = `https://inspector.example.com/interactions/${REFUND_ID}#turn-3`;
    await openFromHome(page, link);
    await expect(page).toHaveURL(`${app.url}/interactions/${REFUND_ID}#turn-3`);
    await expect(page.locator("article#turn-3")).toHaveAttribute("data-targeted", "true");
    await withoutJavaScript(browser, async (noJs) => {
      await openFromHome(noJs, `https://app.example/project/${PROJECT_ID}/interactions/${REFUND_ID}#turn-3`);
      await expect(noJs).toHaveURL(`${app.url}/interactions/${REFUND_ID}#turn-3`);
    });
  });

  test("with several unmarked ids, opens the one cached here", async ({ page }) => {
    await page.goto(`${app.url}/interactions/${SQL_ID}`);
    await openFromHome(page, `https://app.example/p/${PROJECT_ID}/x/${SQL_ID}`);
    await expect(page).toHaveURL(`${app.url}/interactions/${SQL_ID}`);
  });

  test("with several unmarked ids and none cached, lets the person choose instead of opening the project id", async ({ page, browser }) => {
    const link = `https://app.example/p/${PROJECT_ID}/x/${UNKNOWN_ID}#turn-2`;
    const check = async (p: Page) => {
      await openFromHome(p, link);
      const choice = p.getByRole("list", { name: /This link holds 2 ids/ });
      await expect(choice.getByRole("link")).toHaveText([PROJECT_ID, UNKNOWN_ID]);
      await expect(choice.getByRole("link", { name: UNKNOWN_ID })).toHaveAttribute("href", `/interactions/${UNKNOWN_ID}#turn-2`);
      await expect(choice).toContainText("not cached here");
      await expect(p.getByLabel("Open interaction")).toHaveValue(link);
      expect(new URL(p.url()).pathname).toBe("/");
    };
    await check(page);
    await withoutJavaScript(browser, check);
  });

  test("refuses text far longer than a link, with a message", async ({ page }) => {
    await openFromHome(page, `${"x".repeat(2_100)} ${REFUND_ID}`);
    await expect(page.locator("main").getByRole("alert")).toContainText("longer than 2,000 characters");
    expect(new URL(page.url()).pathname).toBe("/");
  });
});

test.describe("browse filters", () => {
  test("offer the values that exist and say what each field takes", async ({ page }) => {
    await page.goto(`${app.url}/interactions/${REFUND_ID}`);
    await page.goto(`${app.url}/interactions?range=30d`);
    const user = filters(page).getByLabel("User", { exact: true });
    await expect(user).toHaveAccessibleDescription(/exact user id/i);
    const users = page.locator(`datalist#${await user.getAttribute("list")} option`);
    await expect(users.and(page.locator('[value="maria.lopez@northwind.example"]'))).toHaveCount(1);
    const topics = page.locator(`datalist#${await filters(page).getByLabel("Topic", { exact: true }).getAttribute("list")} option`);
    await expect(topics.and(page.locator('[value="Billing"]'))).toHaveCount(1);
    await expect(filters(page).getByLabel("Keyword")).toHaveAccessibleDescription(/anywhere in the conversation/);

    const feedback = filters(page).getByRole("combobox", { name: "Feedback" });
    await expect(feedback.getByRole("option", { name: "Positive (explicit or implicit)" })).toHaveCount(1);
    await feedback.selectOption("positive");
    await filters(page).getByRole("button", { name: "Apply filters" }).click();
    await expect(page).toHaveURL(`${app.url}/interactions?range=30d&user_feedback=positive`);
    await expect(page.getByText(/^1–14 of 14 interactions/)).toBeVisible();
  });

  test("show topic, sentiment and feedback badges on rows cached here", async ({ page }) => {
    await page.goto(`${app.url}/interactions/${REFUND_ID}`);
    await page.goto(`${app.url}/interactions?range=30d&user=maria.lopez@northwind.example`);
    const refundRow = rows(page).filter({ has: page.locator(`a[href^="/interactions/${REFUND_ID}?"]`) });
    await expect(refundRow).toContainText("Billing");
    await expect(refundRow).toContainText("positive");
    await expect(refundRow).toContainText("explicit positive");
  });

  test("a tag name without a value is an inline error naming it, with the other filters kept", async ({ page }) => {
    await page.goto(`${app.url}/interactions?range=30d&topic=Billing`);
    await filters(page).getByLabel("Tag name").fill("plan");
    await filters(page).getByRole("button", { name: "Apply filters" }).click();
    await expect(page.locator("main").getByRole("alert")).toContainText('tag.plan: give a value for the tag "plan"');
    await expect(filters(page).getByLabel("Tag name")).toHaveValue("plan");
    await expect(filters(page).getByLabel("Tag value")).toHaveAttribute("aria-invalid", "true");
    await expect(filters(page).getByLabel("Topic", { exact: true })).toHaveValue("Billing");
  });

  test("empty fields stay out of the address, with and without JavaScript", async ({ page, browser }) => {
    const check = async (p: Page) => {
      await p.goto(`${app.url}/interactions`);
      await filters(p).getByLabel("Topic", { exact: true }).fill("Billing");
      await filters(p).getByRole("button", { name: "Apply filters" }).click();
      await expect(p).toHaveURL(`${app.url}/interactions?range=7d&topic=Billing`);
      await expect(rows(p).first()).toBeVisible();
    };
    await check(page);
    await withoutJavaScript(browser, check);
  });
});

test.describe("browse dates", () => {
  test("the chosen preset is marked (last 7 days by default) and the dates it covers are shown", async ({ page }) => {
    await page.goto(`${app.url}/interactions`);
    const presets = page.getByRole("group", { name: "Preset ranges" });
    await expect(presets.getByRole("link", { name: "Last 7 days" })).toHaveAttribute("aria-current", "true");
    await expect(presets.locator("[aria-current]")).toHaveCount(1);
    await expect(page.getByLabel("From (UTC)")).toHaveValue(utcDay(-7));
    await expect(page.getByLabel("To (UTC)")).toHaveValue(utcDay(0));
    await presets.getByRole("link", { name: "Last 30 days" }).click();
    await expect(presets.getByRole("link", { name: "Last 30 days" })).toHaveAttribute("aria-current", "true");
    await expect(page.getByLabel("From (UTC)")).toHaveValue(utcDay(-30));
  });
});

test("paging past the end shows the last page", async ({ page }) => {
  await page.goto(`${app.url}/interactions?range=30d&limit=10&offset=500`);
  await expect(page).toHaveURL(/offset=20/);
  await expect(page.getByText("21–30 of 30 interactions")).toBeVisible();
  await expect(page.getByRole("link", { name: "← Previous" })).toHaveAttribute("href", /offset=10/);
  await page.goto(`${app.url}/interactions?range=30d&topic=No%20such%20topic&offset=50`);
  await expect(page).toHaveURL(`${app.url}/interactions?range=30d&topic=No+such+topic`);
  await expect(page.getByText("No interactions match.")).toBeVisible();
});

test("values on an interaction page lead to the list filtered by them, within the interaction's project", async ({ page }) => {
  await page.goto(`${app.url}/interactions/${REFUND_ID}`);
  await page.getByRole("link", { name: "maria.lopez@northwind.example" }).click();
  await expect(page).toHaveURL(`${app.url}/interactions?range=30d&project=billing&user=maria.lopez%40northwind.example`);
  await expect(page.getByRole("list", { name: "Active filters" })).toContainText("User: maria.lopez@northwind.example");
  await expect(rows(page).first()).toBeVisible();
  for (const row of await rows(page).all()) await expect(row).toContainText("maria.lopez@northwind.example");

  await page.goto(`${app.url}/interactions/${REFUND_ID}`);
  await page.getByRole("complementary").getByRole("link", { name: "plan: pro" }).click();
  await expect(page).toHaveURL(`${app.url}/interactions?range=30d&project=billing&tag.plan=pro`);
  // The demo's billing assistant has 2 of the 4 interactions on the pro plan.
  await expect(rows(page)).toHaveCount(2);

  await page.goto(`${app.url}/interactions/${REFUND_ID}`);
  await page.getByRole("complementary").getByRole("link", { name: "Request refund" }).click();
  await expect(page).toHaveURL(`${app.url}/interactions?range=30d&project=billing&user_intent=Request+refund`);
  await expect(rows(page)).toHaveCount(1);
  // One row reads as one, not "1–1 of 1 interactions".
  await expect(page.getByText("1 of 1 interaction", { exact: true })).toBeVisible();
});

test("a share view shows the values as text, not as links into Browse", async ({ page, request }) => {
  const response = await request.post(`${app.url}/api/share-links`, { data: { interactionId: REFUND_ID, expiresIn: "1h", hideSensitive: false }, headers: { Origin: app.url } });
  expect(response.status()).toBe(201);
  await page.goto((await response.json()).url);
  await expect(page.getByText("maria.lopez@northwind.example")).toBeVisible();
  await expect(page.locator('a[href^="/interactions?"]')).toHaveCount(0);
});

test.describe("on a 375 px phone", () => {
  test.use({ viewport: { width: 375, height: 800 } });

  test("the filters fold behind a Filters button, open when a filter is set", async ({ page }) => {
    await page.goto(`${app.url}/interactions`);
    const topic = page.getByLabel("Topic", { exact: true });
    await expect(topic).toBeHidden();
    await page.getByText("Filters", { exact: true }).click();
    await expect(topic).toBeVisible();
    await page.goto(`${app.url}/interactions?topic=Billing`);
    await expect(page.getByLabel("Topic", { exact: true })).toBeVisible();
    await expect(page.getByText("Filters (1)")).toBeVisible();
  });
});

test("on a wide screen the filters show without a Filters button", async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto(`${app.url}/interactions`);
  await expect(page.getByLabel("Topic", { exact: true })).toBeVisible();
  await expect(page.getByText("Filters", { exact: true })).toBeHidden();
});

test("list previews read a Markdown table as text", async ({ page }) => {
  await page.goto(`${app.url}/interactions?range=30d&topic=Pricing`);
  const row = rows(page).filter({ has: page.locator(`a[href^="/interactions/${PRICING_ID}?"]`) });
  await expect(row).toContainText("Here's a side-by-side comparison: Price per member: Team €8 / month, Pro €20 / month; Bandwidth: Team 100 GB");
  await expect(row).not.toContainText("· ·");
  await expect(row).not.toContainText("· Team");
  await expect(row).not.toContainText("|");
});
