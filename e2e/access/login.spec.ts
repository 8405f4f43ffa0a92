import { expect, test } from "@playwright/test";
import { startApp, tempDatabaseUrl, type AppServer } from "../support/app-server";
import { signedInContext } from "../support/sign-in";

const PASSWORD = "correct-horse-battery";
const REFUND_ID = "0b6f3c1e-8a2d-4f57-9c1e-2d7a4b9e6f01";

// Shared by the tests that only ever sign in with the right password: those spend no failures.
let app: AppServer;

test.beforeAll(async () => {
  app = await startApp({ DATABASE_URL: tempDatabaseUrl("login"), INSPECTOR_PASSWORD: PASSWORD });
});

test.afterAll(async () => {
  await app?.stop();
});

/**
 * An app and database of the test's own, for a test that spends the client's sign-in failures
 * (5 a minute, shared by every test, all from 127.0.0.1) or restarts the app.
 */
async function withOwnApp(label: string, run: (app: AppServer, databaseUrl: string) => Promise<void>) {
  const databaseUrl = tempDatabaseUrl(label);
  const own = await startApp({ DATABASE_URL: databaseUrl, INSPECTOR_PASSWORD: PASSWORD });
  try {
    await run(own, databaseUrl);
  } finally {
    await own.stop();
  }
}

test("a page redirects to the login form, and signing in lands on it, at the turn its address named", async ({ page }) => withOwnApp("login-form", async (app) => {
  await page.goto(`${app.url}/interactions/${REFUND_ID}#turn-2`);
  await expect(page).toHaveURL(/\/login\?next=.*#turn-2$/);
  await expect(page.getByText("Open access")).toHaveCount(0);
  const field = page.getByLabel("Password");
  await field.fill("wrong password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.locator("main").getByRole("alert")).toHaveText("That password is not right.");
  // The refused password is gone and the cursor is back in the field for the next try.
  await expect(field).toHaveValue("");
  await expect(field).toBeFocused();
  await page.keyboard.type(PASSWORD);
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(`${app.url}/interactions/${REFUND_ID}#turn-2`);
  await expect(page.locator("#turn-2")).toHaveAttribute("data-targeted", "true");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Yes please, refund the duplicate.");

  await page.getByRole("button", { name: "Sign out", exact: true }).click();
  await expect(page).toHaveURL(/\/login/);
  expect((await page.request.get(`${app.url}/api/interactions/${REFUND_ID}`)).status()).toBe(401);
}));

test("without JavaScript a wrong password still says so, and the right one still signs in", async ({ browser }) => withOwnApp("login-nojs", async (app) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(`${app.url}/login?next=${encodeURIComponent(`/interactions/${REFUND_ID}`)}`);
  await page.getByLabel("Password").fill("wrong password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/login\?.*error=invalid/);
  await expect(page.locator("main").getByRole("alert")).toHaveText("That password is not right.");
  await expect(page.getByLabel("Password")).toHaveValue("");
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(`${app.url}/interactions/${REFUND_ID}`);
  await context.close();
}));

test("sign out everywhere asks first: dismissing keeps every session, confirming ends them all", async ({ browser }) => withOwnApp("login-everywhere", async (app) => {
  const signedIn = async () => {
    const context = await browser.newContext();
    expect((await context.request.post(`${app.url}/api/session`, { headers: { Origin: app.url }, data: { password: PASSWORD } })).status()).toBe(204);
    return context;
  };
  const mine = await signedIn();
  const colleague = await signedIn();
  const page = await mine.newPage();
  await page.goto(`${app.url}/cached`);
  const questions: string[] = [];
  page.once("dialog", (dialog) => (questions.push(dialog.message()), void dialog.dismiss()));
  await page.getByRole("button", { name: "Sign out everywhere…" }).click();
  await expect.poll(() => questions.length).toBe(1);
  expect(questions[0]).toContain("everyone who uses it");
  expect((await colleague.request.get(`${app.url}/api/share-links`)).status()).toBe(200);

  page.once("dialog", (dialog) => void dialog.accept());
  await page.getByRole("button", { name: "Sign out everywhere…" }).click();
  await expect(page).toHaveURL(/\/login/);
  expect((await colleague.request.get(`${app.url}/api/share-links`)).status()).toBe(401);
  await mine.close();
  await colleague.close();
}));

test("someone already signed in who opens /login goes to next, or home", async ({ browser }) => {
  const context = await signedInContext(browser, app.url, PASSWORD);
  const page = await context.newPage();

  await page.goto(`${app.url}/login?next=${encodeURIComponent(`/interactions/${REFUND_ID}`)}#turn-3`);
  await expect(page).toHaveURL(`${app.url}/interactions/${REFUND_ID}#turn-3`);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Yes please, refund the duplicate.");

  for (const next of ["", "//evil.example/x", "/login", "/login?next=/login"]) {
    await page.goto(`${app.url}/login${next ? `?next=${encodeURIComponent(next)}` : ""}`);
    await expect(page, next).toHaveURL(`${app.url}/`);
  }
  await context.close();
});

test("POST /api/session sets a signed, httpOnly, SameSite=Lax cookie; DELETE clears it", async ({ request }) => withOwnApp("login-api", async (app) => {
  const wrong = await request.post(`${app.url}/api/session`, { headers: { Origin: app.url }, data: { password: "nope-nope" } });
  expect(wrong.status()).toBe(401);
  expect((await wrong.json()).error.code).toBe("invalid_credentials");

  const right = await request.post(`${app.url}/api/session`, { headers: { Origin: app.url }, data: { password: PASSWORD } });
  expect(right.status()).toBe(204);
  const cookie = right.headers()["set-cookie"];
  expect(cookie).toMatch(/^inspector_session=[\w-]+\.[\w-]+;/);
  expect(cookie).toContain("HttpOnly");
  expect(cookie).toContain("SameSite=Lax");
  expect(cookie).toContain("Max-Age=43200");
  expect(cookie).not.toContain(PASSWORD);
  expect((await request.get(`${app.url}/api/interactions/${REFUND_ID}`)).status()).toBe(200);

  const out = await request.delete(`${app.url}/api/session`, { headers: { Origin: app.url } });
  expect(out.status()).toBe(204);
  expect(out.headers()["set-cookie"]).toContain("Max-Age=0");
  expect((await request.get(`${app.url}/api/interactions/${REFUND_ID}`)).status()).toBe(401);
}));

test("a tampered session cookie is refused", async ({ request }) => {
  const right = await request.post(`${app.url}/api/session`, { headers: { Origin: app.url }, data: { password: PASSWORD } });
  expect(right.status()).toBe(204);
  const value = /inspector_session=([^;]+)/.exec(right.headers()["set-cookie"])![1];
  const [payload, mac] = value.split(".");
  const forged = Buffer.from(JSON.stringify({ sub: "admin", exp: 9_999_999_999 })).toString("base64url");
  for (const bad of [`${forged}.${mac}`, `${payload}.${mac.slice(0, -3)}abc`, "garbage"]) {
    const response = await request.get(`${app.url}/api/interactions/${REFUND_ID}`, { headers: { Cookie: `inspector_session=${bad}` } });
    expect(response.status()).toBe(401);
  }
});

for (const next of ["//evil.example/x", "https://evil.example", "/\\evil.example", "javascript:alert(1)"]) {
  test(`next=${next} cannot send the reader off the site`, async ({ request }) => {
    const response = await request.post(`${app.url}/api/session`, {
      headers: { Origin: app.url },
      form: { password: PASSWORD, next },
      maxRedirects: 0,
    });
    expect(response.status()).toBe(303);
    expect(response.headers().location).toBe("/");
  });
}

test("the login form keeps a safe next path", async ({ request }) => {
  const response = await request.post(`${app.url}/api/session`, { headers: { Origin: app.url }, form: { password: PASSWORD, next: `/interactions/${REFUND_ID}?x=1` }, maxRedirects: 0 });
  expect(response.status()).toBe(303);
  expect(response.headers().location).toBe(`/interactions/${REFUND_ID}?x=1`);
});

test("sessions survive a restart: the generated secret is kept in the database", async ({ request }) => withOwnApp("login-restart", async (first, databaseUrl) => {
  const right = await request.post(`${first.url}/api/session`, { headers: { Origin: first.url }, data: { password: PASSWORD } });
  expect(right.status()).toBe(204);
  const cookie = /inspector_session=[^;]+/.exec(right.headers()["set-cookie"])![0];
  await first.stop();
  const second = await startApp({ DATABASE_URL: databaseUrl, INSPECTOR_PASSWORD: PASSWORD });
  try {
    const response = await request.get(`${second.url}/api/interactions/${REFUND_ID}`, { headers: { Cookie: cookie } });
    expect(response.status()).toBe(200);
  } finally {
    await second.stop();
  }
}));
