import { expect, test } from "@playwright/test";
import type { AppServer } from "../support/app-server";
import type { FakeNebuly } from "../support/fake-nebuly";
import { startLiveApp, type LiveApp } from "../support/live-app";

const ID = "22222222-3333-4444-8555-666666666601";

test.describe("cached copy while Nebuly fails", () => {
  let live: LiveApp;
  let nebuly: FakeNebuly;
  let app: AppServer;

  test.beforeAll(async () => {
    live = await startLiveApp("stale", [], { CACHE_TTL_SECONDS: "1", UPSTREAM_TIMEOUT_MS: "500" });
    ({ nebuly, app } = live);
  });

  test.afterAll(async () => {
    await live?.stop();
  });

  test("shows the cached copy with a notice saying its age and that Nebuly is unavailable", async ({ page }) => {
    nebuly.serveInteraction(ID, { user_query: "Cached question" });
    expect((await page.goto(`${app.url}/interactions/${ID}`))?.status()).toBe(200);

    nebuly.script(ID, [{ status: 503 }]);
    try {
      // Reload until the copy is past its 1 s TTL and a refresh behind a response has failed:
      // every load meanwhile still answers 200 with the cached copy.
      await expect
        .poll(
          async () => {
            const response = await page.goto(`${app.url}/interactions/${ID}`);
            expect(response?.status()).toBe(200);
            return page.getByRole("status").filter({ hasText: "Nebuly unavailable" }).count();
          },
          { timeout: 20_000 },
        )
        .toBe(1);
      await expect(page.getByRole("heading", { level: 1 })).toHaveText("Cached question");
      await expect(page.getByText(/Cached .* ago — Nebuly unavailable/)).toBeVisible();
    } finally {
      nebuly.serveInteraction(ID, { user_query: "Cached question" });
    }
  });
});
