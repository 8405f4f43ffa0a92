import { expect, test } from "@playwright/test";
import { startApp, tempDatabaseUrl, type AppServer } from "../support/app-server";

const DEMO_IDS = [
  "0b6f3c1e-8a2d-4f57-9c1e-2d7a4b9e6f01",
  "9e0a2c4d-1f3b-4c5e-8a7d-8b9c0d1e2f10",
  "f5a6b7c8-d9e0-4f1a-8b2c-4d5e6f7a8b16",
];

test.describe("demo mode (no NEBULY_API_KEY)", () => {
  let app: AppServer;

  test.beforeAll(async () => {
    app = await startApp({ DATABASE_URL: tempDatabaseUrl("demo") });
  });

  test.afterAll(async () => {
    await app?.stop();
  });

  test("health says demo", async ({ request }) => {
    expect(await (await request.get(`${app.url}/api/health`)).json()).toEqual({ status: "ok", mode: "demo", db: "ok" });
  });

  test("serves bundled interactions through the cache", async ({ request }) => {
    for (const id of DEMO_IDS) {
      const first = await request.get(`${app.url}/api/interactions/${id}`);
      expect(first.status()).toBe(200);
      expect(first.headers()["x-cache"]).toBe("MISS");
      expect((await first.json()).id).toBe(id);
      expect((await request.get(`${app.url}/api/interactions/${id}`)).headers()["x-cache"]).toBe("HIT");
    }
  });

  test("answers 404 for an id that is not in the demo data", async ({ request }) => {
    const response = await request.get(`${app.url}/api/interactions/00000000-0000-4000-8000-000000000000`);
    expect(response.status()).toBe(404);
    expect((await response.json()).error.code).toBe("not_found");
  });

  test("the home page labels demo data", async ({ page }) => {
    await page.goto(app.url);
    await expect(page.getByText("Demo data", { exact: true })).toBeVisible();
  });

  test("with no password or SSO header the app says it is open: a banner and a start-up warning", async ({ page }) => {
    await page.goto(app.url);
    await expect(page.getByRole("note").filter({ hasText: "Open access" })).toBeVisible();
    expect(app.output()).toMatch(/"level":40.*open access/);
  });
});
