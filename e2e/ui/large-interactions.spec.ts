import { expect, test } from "@playwright/test";
import { HUGE_ID, HUGE_MARKER, LONG_ID, hugeInteraction, longInteraction } from "../support/fixtures";
import { startLiveApp, type LiveApp } from "../support/live-app";

// Trace snapshots serialise the whole DOM at every step: megabytes here, for no insight.
test.use({ trace: "off" });

let live: LiveApp;
const pageUrl = (id: string) => `${live.app.url}/interactions/${id}`;

test.beforeAll(async () => {
  live = await startLiveApp("large", [longInteraction(), hugeInteraction()]);
});

test.afterAll(async () => {
  await live?.stop();
});

test.describe("large interactions", () => {
  test("a 3,000-turn conversation opens on its chosen turn, and j/k move the highlight and the view", async ({ page }) => {
    await page.goto(pageUrl(LONG_ID));
    // Enhancing 3,000 turns takes longer than the default 5 s on a loaded 2-core machine.
    await expect(page.locator("html[data-enhanced]")).toHaveCount(1, { timeout: 30_000 });
    await expect(page.locator("article[id^='turn-']")).toHaveCount(3_000);
    // The chosen turn (1,501, half-way down) is where the reader lands, not the top of the page.
    // (aria-current alone proves nothing here: the server writes it whatever the scroll.)
    await expect(page.locator("#turn-1501")).toBeInViewport();
    await expect(page.locator("#turn-1")).not.toBeInViewport();

    const scrollY = () => page.evaluate(() => window.scrollY);
    const highlighted = page.locator("article[data-targeted='true']");
    const turnInUrl = () => Number(/#turn-(\d+)$/.exec(page.url())?.[1]);

    // j picks the turn at the top of the view: one of those around the chosen turn.
    await page.keyboard.press("j");
    await expect(page).toHaveURL(/#turn-\d+$/);
    const first = turnInUrl();
    expect(Math.abs(first - 1_501), `j went to turn ${first}`).toBeLessThanOrEqual(5);
    await expect(highlighted).toHaveAttribute("id", `turn-${first}`);
    await expect(page.locator(`#turn-${first}`)).toBeInViewport();

    const before = await scrollY();
    await page.keyboard.press("j");
    await expect(page).toHaveURL(new RegExp(`#turn-${first + 1}$`));
    await expect(highlighted).toHaveAttribute("id", `turn-${first + 1}`);
    await expect.poll(scrollY).toBeGreaterThan(before);
    await expect(page.locator(`#turn-${first + 1}`)).toBeInViewport();

    const after = await scrollY();
    // One key at a time, as a reader presses them: each move is seen before the next.
    await page.keyboard.press("k");
    await expect(page).toHaveURL(new RegExp(`#turn-${first}$`));
    await page.keyboard.press("k");
    await expect(page).toHaveURL(new RegExp(`#turn-${first - 1}$`));
    await expect(highlighted).toHaveAttribute("id", `turn-${first - 1}`);
    await expect.poll(scrollY).toBeLessThan(after);
    await expect(page.locator(`#turn-${first - 1}`)).toBeInViewport();
  });

  test("a deep link reaches the last of 3,000 turns, and k goes back from it", async ({ page }) => {
    await page.goto(`${pageUrl(LONG_ID)}#turn-3000`);
    // Enhancing 3,000 turns takes longer than the default 5 s on a loaded 2-core machine.
    await expect(page.locator("html[data-enhanced]")).toHaveCount(1, { timeout: 30_000 });
    await expect(page.locator("#turn-3000")).toBeInViewport();
    await expect(page.locator("#turn-3000")).toContainText("item 3000 is fine");
    await expect(page.locator("#turn-1501")).not.toBeInViewport();
    await page.keyboard.press("k");
    await expect(page).toHaveURL(/#turn-2999$/);
    await expect(page.locator("article[data-targeted='true']")).toHaveAttribute("id", "turn-2999");
    await expect(page.locator("#turn-2999")).toBeInViewport();
  });

  test("a 1 MB output loads collapsed, and Show more reveals the end", async ({ page }) => {
    await page.goto(pageUrl(HUGE_ID));
    const turn = page.locator("#turn-1");
    await expect(turn.getByText("Shown as plain text")).toBeVisible();
    // The remainder is hidden="until-found": out of sight, but reachable by browser find.
    const rest = turn.locator("[data-rest]", { hasText: HUGE_MARKER });
    await expect(rest).toHaveAttribute("hidden", "until-found");
    await turn.getByRole("button", { name: /Show more/ }).click();
    await expect(rest).not.toHaveAttribute("hidden");
    await turn.getByText(HUGE_MARKER).scrollIntoViewIfNeeded();
    await expect(turn.getByText(HUGE_MARKER)).toBeInViewport();
  });
});

test("turns far from the chosen one arrive as plain text and are formatted as they scroll into view", async ({ page }) => {
  // Wait on the network rather than polling a locator: polling a 60,000-node page starves the
  // page's own observers on two cores.
  const formatted = page.waitForResponse((response) => response.url().includes("/turns?") && response.ok());
  await page.goto(`${pageUrl(LONG_ID)}#turn-2500`);
  await formatted;
  await expect(page.locator("#turn-2500 [data-rendered].md strong")).toHaveText("2500");
  // A turn never scrolled near stays plain, complete text that browser find still matches.
  await expect(page.locator("#turn-700 [data-lite]")).toContainText("Answer **700**");
});
