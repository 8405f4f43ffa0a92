import { expect, test } from "@playwright/test";
import { startApp, tempDatabaseUrl, type AppServer } from "../support/app-server";

const REFUND_ID = "0b6f3c1e-8a2d-4f57-9c1e-2d7a4b9e6f01";

/** Retry-After on a per-minute limit: whole seconds, at least 1, at most the minute. */
function expectRetryAfterWithinTheMinute(value: string | undefined) {
  expect(value).toMatch(/^\d+$/);
  expect(Number(value)).toBeGreaterThanOrEqual(1);
  expect(Number(value)).toBeLessThanOrEqual(60);
}

test.describe("failed sign-ins", () => {
  let app: AppServer;
  test.beforeAll(async () => {
    app = await startApp({ DATABASE_URL: tempDatabaseUrl("lockout"), INSPECTOR_PASSWORD: "correct-horse-battery" });
  });
  test.afterAll(async () => {
    await app?.stop();
  });

  test("more than 5 failures a minute answer 429 with Retry-After, even for the right password", async ({ request }) => {
    for (let i = 0; i < 5; i++) {
      expect((await request.post(`${app.url}/api/session`, { headers: { Origin: app.url }, data: { password: `wrong-${i}` } })).status()).toBe(401);
    }
    const limited = await request.post(`${app.url}/api/session`, { headers: { Origin: app.url }, data: { password: "correct-horse-battery" } });
    expect(limited.status()).toBe(429);
    expectRetryAfterWithinTheMinute(limited.headers()["retry-after"]);
    expect((await limited.json()).error.code).toBe("rate_limited");
  });
});

test.describe("single sign-on header and the proxy budget", () => {
  // Each test gets its own app: they spend the same client's per-minute budget, so sharing one
  // would make each test's outcome depend on which ran before it.
  let app: AppServer;
  test.beforeEach(async () => {
    app = await startApp({ DATABASE_URL: tempDatabaseUrl("sso"), INSPECTOR_TRUSTED_USER_HEADER: "X-Forwarded-User", RATE_LIMIT_PER_MINUTE: "8" });
  });
  test.afterEach(async () => {
    await app?.stop();
  });

  test("a request with the trusted header is let in and named; one without is not", async ({ request }) => {
    expect((await request.get(`${app.url}/api/interactions/${REFUND_ID}`)).status()).toBe(401);
    const headers = { "X-Forwarded-User": "ana@example.com" };
    expect((await request.get(`${app.url}/api/interactions/${REFUND_ID}`, { headers })).status()).toBe(200);
    const created = await request.post(`${app.url}/api/share-links`, { headers: { ...headers, Origin: app.url }, data: { interactionId: REFUND_ID, expiresIn: "1d" } });
    expect(created.status()).toBe(201);
    const { links } = await (await request.get(`${app.url}/api/share-links`, { headers })).json();
    expect(links).toHaveLength(1);
    expect(links[0].createdBy).toBe("ana@example.com");
  });

  test("routes that spend the Nebuly quota answer 429 with Retry-After past the per-minute budget", async ({ request }) => {
    const headers = { "X-Forwarded-User": "ana@example.com" };
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) statuses.push((await request.get(`${app.url}/api/interactions/${REFUND_ID}`, { headers })).status());
    // Exactly the budget of 8 goes through, then every request is refused until the minute is over.
    expect(statuses).toEqual([...Array(8).fill(200), ...Array(4).fill(429)]);
    const limited = await request.get(`${app.url}/api/interactions/${REFUND_ID}`, { headers });
    expect(limited.status()).toBe(429);
    expectRetryAfterWithinTheMinute(limited.headers()["retry-after"]);
    expect((await limited.json()).error.code).toBe("rate_limited");
    // The health check spends nothing: monitoring keeps working while a client is limited.
    expect((await request.get(`${app.url}/api/health`)).status()).toBe(200);
  });
});

test("reading pages does not spend the budget behind the reader's back: links are not prefetched into quota routes", async ({ page, request }) => {
  const app = await startApp({ DATABASE_URL: tempDatabaseUrl("prefetch-budget"), RATE_LIMIT_PER_MINUTE: "8" });
  try {
    // One unit: the interaction page itself. The pages after it link to Browse and to interactions
    // (nav, Recently viewed, lists, pager, audit), and a router prefetch of each would spend a unit.
    await page.goto(`${app.url}/interactions/${REFUND_ID}`);
    for (const path of ["/", "/cached", "/audit", "/shared"]) {
      await page.goto(`${app.url}${path}`);
      await page.waitForLoadState("networkidle");
    }
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) statuses.push((await request.get(`${app.url}/api/interactions/${REFUND_ID}`)).status());
    expect(statuses).toEqual([...Array(7).fill(200), 429]);
  } finally {
    await app.stop();
  }
});
