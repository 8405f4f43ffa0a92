import { expect, test, type Browser, type Page } from "@playwright/test";
import { NEBULY_TEST_KEY, startApp, tempDatabaseUrl, type AppServer } from "../support/app-server";
import { startLiveApp, type LiveApp } from "../support/live-app";
import { RICH_ID, richInteraction } from "../support/fixtures";

// Live mode against the fake Nebuly: the rich interaction (4 turns, turn 2 chosen, a code block),
// a long one (260 turns, turn 200 chosen, so far turns are formatted as they scroll near) and one
// whose turns cross midnight UTC.

const LONG_ID = "11111111-2222-4333-8444-55555555a001";
const MIDNIGHT_ID = "11111111-2222-4333-8444-55555555a002";

function longConversation() {
  return {
    id: LONG_ID,
    user_query: "A long conversation about deployment scripts that goes on and on until nobody remembers the start",
    conversation: Array.from({ length: 260 }, (_, index) => ({
      input: `Question ${index + 1}`,
      output: `Answer ${index + 1}:\n\n\`\`\`sh\necho turn-${index + 1}\n\`\`\``,
      timestamp: new Date(Date.UTC(2026, 10, 20, 10, 0, index)).toISOString(),
      is_chosen: index === 199,
    })),
  };
}

function midnightConversation() {
  return {
    id: MIDNIGHT_ID,
    user_query: "Late night",
    conversation: [
      { input: "one", output: "1", timestamp: "2026-11-20T23:50:00Z" },
      { input: "two", output: "2", timestamp: "2026-11-20T23:55:00Z" },
      { input: "three", output: "3", timestamp: "2026-11-21T00:05:00Z" },
      { input: "four", output: "4", timestamp: "2026-11-21T00:06:00Z" },
    ],
  };
}

let live: LiveApp;
let app: AppServer;

test.beforeAll(async () => {
  live = await startLiveApp("polish", [richInteraction(), longConversation(), midnightConversation()]);
  ({ app } = live);
});

test.afterAll(async () => {
  await live?.stop();
});

test.afterEach(() => {
  expect(app.output()).not.toContain(NEBULY_TEST_KEY);
});

const pageUrl = (id: string) => `${app.url}/interactions/${id}`;

/** Opens a page and waits until its client controls are live (hydrated). */
async function open(page: Page, url: string) {
  await page.goto(url);
  await expect(page.locator("html[data-enhanced]")).toHaveCount(1);
}

/** The turns a reader sees highlighted (outlined), by id. */
const highlightedTurns = (page: Page) =>
  page.locator("article[id^='turn-']").evaluateAll((turns) => turns.filter((turn) => getComputedStyle(turn).outlineStyle !== "none").map((turn) => turn.id));

const clipboard = (page: Page) => page.evaluate(() => navigator.clipboard.readText());

/** The page as the server sent it, before any script ran. */
async function serverRendered(browser: Browser, url: string, run: (page: Page) => Promise<void>) {
  const context = await browser.newContext({ javaScriptEnabled: false });
  try {
    const page = await context.newPage();
    await page.goto(url);
    await run(page);
  } finally {
    await context.close();
  }
}

test.describe("moving between turns", () => {
  test.use({ permissions: ["clipboard-read", "clipboard-write"] });

  test("opened at #turn-2, j goes to turn 3 and k back to turn 2; one turn is highlighted throughout", async ({ page }) => {
    await open(page, `${pageUrl(RICH_ID)}#turn-2`);
    expect(await highlightedTurns(page)).toEqual(["turn-2"]);
    await page.keyboard.press("j");
    await expect(page).toHaveURL(/#turn-3$/);
    expect(await highlightedTurns(page)).toEqual(["turn-3"]);
    await page.keyboard.press("k");
    await expect(page).toHaveURL(/#turn-2$/);
    expect(await highlightedTurns(page)).toEqual(["turn-2"]);
  });

  test("after clicking a turn's link, j goes to the turn after it and only that turn is highlighted", async ({ page }) => {
    await open(page, `${pageUrl(RICH_ID)}#turn-1`);
    await page.getByRole("link", { name: "Copy link to turn 3" }).click();
    await expect(page).toHaveURL(/#turn-3$/);
    expect(await highlightedTurns(page)).toEqual(["turn-3"]);
    await page.keyboard.press("j");
    await expect(page).toHaveURL(/#turn-4$/);
    expect(await highlightedTurns(page)).toEqual(["turn-4"]);
    await page.keyboard.press("k");
    await expect(page).toHaveURL(/#turn-3$/);
    await page.keyboard.press("k");
    await expect(page).toHaveURL(/#turn-2$/);
    expect(await highlightedTurns(page)).toEqual(["turn-2"]);
  });

  test("after clicking in a turn, j goes to the turn after the one clicked", async ({ page }) => {
    await open(page, pageUrl(RICH_ID));
    await page.locator("#turn-3").getByText("thanks").click();
    await page.keyboard.press("j");
    await expect(page).toHaveURL(/#turn-4$/);
    expect(await highlightedTurns(page)).toEqual(["turn-4"]);
  });

  test("opened on a long conversation's chosen turn, j goes to the turn after it, k to the one before", async ({ page }) => {
    await open(page, pageUrl(LONG_ID));
    await expect(page.locator("#turn-200")).toBeInViewport();
    await page.keyboard.press("j");
    await expect(page).toHaveURL(/#turn-201$/);
    await page.goto("about:blank");
    await open(page, pageUrl(LONG_ID));
    await page.keyboard.press("k");
    await expect(page).toHaveURL(/#turn-199$/);
  });

  test("c copies the link with the #turn-N the address shows", async ({ page }) => {
    await open(page, `${pageUrl(RICH_ID)}#turn-3`);
    await page.keyboard.press("c");
    await expect(page.locator("#toast")).toHaveText("Link to turn 3 copied");
    expect(await clipboard(page)).toBe(`${pageUrl(RICH_ID)}#turn-3`);
    await page.keyboard.press("j");
    await expect(page).toHaveURL(/#turn-4$/);
    await page.keyboard.press("c");
    await expect(page.locator("#toast")).toHaveText("Link to turn 4 copied");
    expect(await clipboard(page)).toBe(`${pageUrl(RICH_ID)}#turn-4`);
  });
});

test.describe("the compact header", () => {
  for (const { name, viewport, colorScheme } of [
    { name: "desktop, light", viewport: { width: 1280, height: 800 }, colorScheme: "light" },
    { name: "375 px, dark", viewport: { width: 375, height: 667 }, colorScheme: "dark" },
  ] as const) {
    test.describe(name, () => {
      test.use({ viewport, colorScheme });

      test("a long conversation opens at its turn with the title, Copy link, Refresh and Share on one line above it", async ({ page }) => {
        await open(page, `${pageUrl(LONG_ID)}#turn-230`);
        const turn = page.locator("#turn-230");
        await expect(turn).toBeInViewport();
        const header = page.locator("[data-sticky-header]");
        await expect(header.getByText(/^A long conversation about deployment/)).toBeVisible();
        for (const control of [
          page.getByRole("button", { name: "Copy link to this interaction" }),
          page.getByRole("button", { name: "Refresh" }),
          page.locator("summary", { hasText: "Share" }),
        ]) {
          await expect(control).toBeInViewport({ ratio: 1 });
        }
        const bar = (await header.boundingBox())!;
        expect(bar.y).toBe(0);
        expect(bar.height, "one line").toBeLessThanOrEqual(56);
        // The header does not cover the turn it scrolled to.
        const box = (await turn.boundingBox())!;
        expect(box.y).toBeGreaterThanOrEqual(bar.y + bar.height);
        // Opaque: the conversation scrolling under it does not show through.
        expect(await header.evaluate((element) => getComputedStyle(element).backgroundColor)).toMatch(/^rgb\(/);
        expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);

        // Share works from there, in view.
        await page.locator("summary", { hasText: "Share" }).click();
        const panel = page.getByRole("group", { name: "Share this interaction" });
        await expect(panel).toBeInViewport({ ratio: 1 });
        await page.keyboard.press("Escape");
        await expect(panel).toBeHidden();
      });

      test("j and k keep the turn they go to clear of the header", async ({ page }) => {
        // Turns formatted on load (near the chosen one): turns formatted late can still shift the view.
        await open(page, `${pageUrl(LONG_ID)}#turn-170`);
        await page.keyboard.press("j");
        await expect(page).toHaveURL(/#turn-171$/);
        const bar = (await page.locator("[data-sticky-header]").boundingBox())!;
        await expect.poll(async () => (await page.locator("#turn-171").boundingBox())!.y).toBeGreaterThanOrEqual(bar.height);
      });
    });
  }

  test("at the top of the page the title is not repeated in the header; scrolled away, it is", async ({ page }) => {
    // No chosen turn: the page stays at the top.
    await open(page, pageUrl(MIDNIGHT_ID));
    const echo = page.locator("[data-sticky-header]").getByText("Late night");
    await expect(page.getByRole("heading", { level: 1 })).toBeInViewport();
    await expect(echo).toBeHidden();
    await page.locator("#turn-4").evaluate((turn) => turn.scrollIntoView({ block: "start" }));
    await page.mouse.wheel(0, 2_000);
    await expect(page.getByRole("heading", { level: 1 })).not.toBeInViewport();
    await expect(echo).toBeVisible();
  });
});

test.describe("times", () => {
  test("relative times are right in the server's HTML and do not change when the page takes over", async ({ page, browser }) => {
    const started = (p: Page) => p.locator("dt", { hasText: "Started" }).locator("xpath=following-sibling::dd[1]");
    let serverText = "";
    await serverRendered(browser, pageUrl(RICH_ID), async (plain) => {
      serverText = (await started(plain).innerText()).split(" · ")[1];
    });
    // The fixture's interaction started on 2026-11-20, well before this test runs.
    expect(serverText).not.toBe("now");
    await open(page, pageUrl(RICH_ID));
    await expect(started(page)).toContainText(` · ${serverText}`);
  });

  test("the page does not shift when the browser takes over the times", async ({ page }) => {
    await page.setViewportSize({ width: 375, height: 800 });
    await page.addInitScript(() => {
      const shifts: number[] = [];
      (window as unknown as { __shifts: number[] }).__shifts = shifts;
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries() as (PerformanceEntry & { value: number; hadRecentInput: boolean })[]) {
          if (!entry.hadRecentInput) shifts.push(entry.value);
        }
      }).observe({ type: "layout-shift", buffered: true });
    });
    await open(page, pageUrl(RICH_ID));
    await page.waitForTimeout(500);
    const total = await page.evaluate(() => (window as unknown as { __shifts: number[] }).__shifts.reduce((sum, value) => sum + value, 0));
    expect(total).toBeLessThan(0.01);
  });

  test.describe("turn timestamps in UTC", () => {
    test.use({ timezoneId: "UTC", locale: "en-US" });

    test("show the date on the first turn and where the day changes, otherwise the time only", async ({ page, browser }) => {
      const times = (p: Page) => p.locator("article[id^='turn-'] time").allInnerTexts();
      await serverRendered(browser, pageUrl(MIDNIGHT_ID), async (plain) => {
        expect(await times(plain)).toEqual(["2026-11-20 23:50:00 UTC", "23:55:00 UTC", "2026-11-21 00:05:00 UTC", "00:06:00 UTC"]);
      });
      await open(page, pageUrl(MIDNIGHT_ID));
      await expect.poll(() => times(page)).toEqual(["Nov 20, 2026, 11:50:00 PM", "11:55:00 PM", "Nov 21, 2026, 12:05:00 AM", "12:06:00 AM"]);
    });
  });

  test.describe("turn timestamps in New York", () => {
    test.use({ timezoneId: "America/New_York", locale: "en-US" });

    test("follow the reader's day: turns on one local day show the date once", async ({ page }) => {
      await open(page, pageUrl(MIDNIGHT_ID));
      await expect.poll(() => page.locator("article[id^='turn-'] time").allInnerTexts()).toEqual(["Nov 20, 2026, 6:50:00 PM", "6:55:00 PM", "7:05:00 PM", "7:06:00 PM"]);
    });
  });
});

test.describe("message controls", () => {
  test.use({ permissions: ["clipboard-read", "clipboard-write"] });

  test("Raw keeps its name and says whether it is on with aria-pressed", async ({ page }) => {
    await open(page, pageUrl(RICH_ID));
    const turn = page.locator("#turn-2");
    const raw = turn.getByRole("button", { name: "Raw", exact: true });
    await expect(raw).toHaveAttribute("aria-pressed", "false");
    await raw.click();
    await expect(turn.locator("pre[data-raw]")).toBeVisible();
    await expect(raw).toHaveAttribute("aria-pressed", "true");
    await expect(turn.getByRole("button", { name: "Raw", exact: true, pressed: true })).toBeVisible();
    await raw.click();
    await expect(raw).toHaveAttribute("aria-pressed", "false");
    await expect(turn.locator("[data-rendered]")).toBeVisible();
    await expect(turn.locator("pre[data-raw]")).toBeHidden();
  });

  test("Copy JSON copies the interaction as pretty-printed JSON", async ({ page }) => {
    await open(page, pageUrl(RICH_ID));
    await page.getByRole("button", { name: "Copy JSON" }).click();
    await expect(page.locator("#toast")).toHaveText("JSON copied");
    const text = await clipboard(page);
    expect(text).toBe(JSON.stringify(JSON.parse(text), null, 2));
    expect(text).toContain(`\n  "id": "${RICH_ID}",\n`);
  });

  test("code blocks have a copy button, added in the browser, reachable by keyboard, that says Copied", async ({ page, browser }) => {
    await serverRendered(browser, pageUrl(RICH_ID), async (plain) => {
      await expect(plain.locator("#turn-2 pre code")).toHaveCount(1);
      await expect(plain.getByRole("button", { name: "Copy code" })).toHaveCount(0);
    });
    await open(page, pageUrl(RICH_ID));
    const copy = page.locator("#turn-2").getByRole("button", { name: "Copy code" });
    await expect(copy).toBeVisible();
    // From the turn's Raw toggle, Tab reaches it.
    await page.locator("#turn-2").getByRole("button", { name: "Raw" }).focus();
    for (let presses = 0; presses < 5 && !(await copy.evaluate((element) => element === document.activeElement)); presses++) {
      await page.keyboard.press("Tab");
    }
    await expect(copy).toBeFocused();
    await page.keyboard.press("Enter");
    await expect(page.locator("#toast")).toHaveText("Copied");
    expect(await clipboard(page)).toBe("def rotate():\n    return True\n");
  });

  test("code blocks in turns formatted later (on scroll) get their copy button too", async ({ page }) => {
    await open(page, `${pageUrl(LONG_ID)}#turn-40`);
    const turn = page.locator("#turn-40");
    await expect(turn.getByRole("button", { name: "Copy code" })).toBeVisible();
    await turn.getByRole("button", { name: "Copy code" }).click();
    await expect(page.locator("#toast")).toHaveText("Copied");
    expect(await clipboard(page)).toBe("echo turn-40\n");
  });
});

test.describe("Refresh in demo mode", () => {
  let demo: AppServer;
  const REFUND_ID = "0b6f3c1e-8a2d-4f57-9c1e-2d7a4b9e6f01";

  test.beforeAll(async () => {
    demo = await startApp({ DATABASE_URL: tempDatabaseUrl("polish-demo") });
  });

  test.afterAll(async () => {
    await demo?.stop();
  });

  test("says the demo data was reloaded, not that it was fetched from Nebuly", async ({ page }) => {
    await open(page, `${demo.url}/interactions/${REFUND_ID}`);
    await page.getByRole("button", { name: "Refresh" }).click();
    await expect(page.getByRole("status").filter({ hasText: "Demo data reloaded" })).toBeVisible();
    await expect(page.getByText("Fetched the latest version from Nebuly")).toHaveCount(0);
  });
});
