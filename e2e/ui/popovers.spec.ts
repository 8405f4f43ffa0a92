import { expect, test, type Locator, type Page } from "@playwright/test";
import { startApp, tempDatabaseUrl, type AppServer } from "../support/app-server";

// Demo mode, open access: the bundled refund interaction, with its Share and shortcuts controls.
const REFUND_ID = "0b6f3c1e-8a2d-4f57-9c1e-2d7a4b9e6f01";
let app: AppServer;

test.beforeAll(async () => {
  app = await startApp({ DATABASE_URL: tempDatabaseUrl("popovers") });
});

test.afterAll(async () => {
  await app?.stop();
});

async function openInteraction(page: Page) {
  await page.goto(`${app.url}/interactions/${REFUND_ID}`);
  await expect(page.locator("html[data-enhanced]")).toHaveCount(1);
}

/** The element's box lies wholly inside the viewport (whole pixels: borders may sit on a half). */
async function expectInsideViewport(page: Page, locator: Locator) {
  const box = (await locator.boundingBox())!;
  const { width, height } = page.viewportSize()!;
  expect(box.x, "left edge").toBeGreaterThanOrEqual(0);
  expect(box.y, "top edge").toBeGreaterThanOrEqual(0);
  expect(Math.floor(box.x + box.width), "right edge").toBeLessThanOrEqual(width);
  expect(Math.floor(box.y + box.height), "bottom edge").toBeLessThanOrEqual(height);
}

// 568 px tall: an iPhone SE, where the panel opens low on the screen.
for (const [width, height] of [[320, 568], [375, 667], [1280, 800]] as const) {
  test.describe(`at ${width} px`, () => {
    test.use({ viewport: { width, height } });

    test("the Share panel opens inside the screen, its button works, and Escape closes it back to Share", async ({ page }) => {
      await openInteraction(page);
      const share = page.locator("summary", { hasText: "Share" });
      await share.click();
      const panel = page.getByRole("group", { name: "Share this interaction" });
      await expect(panel).toBeVisible();
      await expectInsideViewport(page, panel);
      // No page-wide sideways scrolling either.
      expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);

      // A real click (Playwright refuses one on a covered or off-screen button).
      await page.getByRole("button", { name: "Create share link" }).click();
      const field = page.getByLabel("Share link", { exact: true });
      await expect(field).toHaveValue(new RegExp(`^${app.url}/s/[A-Za-z0-9_-]{43}$`));
      await expect(field).toBeFocused();
      await expectInsideViewport(page, field);

      await page.keyboard.press("Escape");
      await expect(panel).toBeHidden();
      await expect(share).toBeFocused();

      // Escape works from wherever focus is inside the panel, and a click elsewhere closes it too.
      await share.click();
      await page.getByLabel("Expires after").focus();
      await page.keyboard.press("Escape");
      await expect(panel).toBeHidden();
      await expect(share).toBeFocused();
      await share.click();
      await expect(panel).toBeVisible();
      // The page's left margin: outside the panel at every width.
      await page.mouse.click(2, Math.round(height / 2));
      await expect(panel).toBeHidden();
    });

    test("the keyboard shortcuts dialog fits the screen, and Escape closes it back to its button", async ({ page }) => {
      await openInteraction(page);
      const opener = page.getByRole("button", { name: "keyboard shortcuts" });
      await opener.click();
      const dialog = page.getByRole("dialog", { name: "Keyboard shortcuts" });
      await expect(dialog).toBeVisible();
      await expectInsideViewport(page, dialog);
      await expectInsideViewport(page, dialog.getByRole("button", { name: "Close" }));
      await page.keyboard.press("Escape");
      await expect(dialog).toBeHidden();
      await expect(opener).toBeFocused();
    });
  });
}
