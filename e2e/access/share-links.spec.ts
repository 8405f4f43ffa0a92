import Database from "better-sqlite3";
import { expect, test, type APIRequestContext } from "@playwright/test";
import { NEBULY_TEST_KEY, startApp, tempDatabaseUrl, type AppServer } from "../support/app-server";
import { FakeNebuly } from "../support/fake-nebuly";
import { RICH_ID, richInteraction } from "../support/fixtures";
import { HIDDEN_SHARE_HIDES } from "../../lib/sharing/redaction";

const PASSWORD = "correct-horse-battery";
let nebuly: FakeNebuly;
let app: AppServer;
let databaseUrl: string;
let signedIn: APIRequestContext;

test.beforeAll(async ({ playwright }) => {
  nebuly = await new FakeNebuly(NEBULY_TEST_KEY).start();
  nebuly.script(RICH_ID, [{ body: richInteraction() }]);
  databaseUrl = tempDatabaseUrl("share");
  app = await startApp({ NEBULY_API_KEY: NEBULY_TEST_KEY, NEBULY_API_URL: nebuly.url, DATABASE_URL: databaseUrl, INSPECTOR_PASSWORD: PASSWORD });
  signedIn = await playwright.request.newContext({ baseURL: app.url, extraHTTPHeaders: { Origin: app.url } });
  expect((await signedIn.post("/api/session", { data: { password: PASSWORD } })).status()).toBe(204);
});

test.afterAll(async () => {
  await signedIn?.dispose();
  await app?.stop();
  await nebuly?.stop();
});

async function createLink(body: Record<string, unknown>) {
  const response = await signedIn.post("/api/share-links", { data: { interactionId: RICH_ID, expiresIn: "7d", ...body } });
  expect(response.status()).toBe(201);
  return (await response.json()) as { id: string; url: string; expiresAt: string | null };
}

const linkRow = async (id: string) => ((await (await signedIn.get("/api/share-links")).json()).links as { id: string; views: number; status: string; hiddenFields: string[] }[]).find((link) => link.id === id)!;

test("creates a link whose token is long, random and separate from the interaction id", async () => {
  const link = await createLink({ expiresIn: "1d" });
  const token = new URL(link.url).pathname.split("/").at(-1)!;
  expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
  expect(link.url).not.toContain(RICH_ID);
  expect(new Date(link.expiresAt!).getTime() - Date.now()).toBeGreaterThan(23 * 3_600_000);
  const never = await createLink({ expiresIn: "never" });
  expect(never.expiresAt).toBeNull();
});

test("rejects a bad create request", async () => {
  for (const data of [{ interactionId: RICH_ID, expiresIn: "1y" }, { interactionId: "nope", expiresIn: "1d" }, {}]) {
    const response = await signedIn.post("/api/share-links", { data });
    expect(response.status()).toBe(400);
  }
});

test("anyone with the link reads the interaction without signing in, and each view counts", async ({ browser }) => {
  const link = await createLink({});
  const context = await browser.newContext();
  const page = await context.newPage();
  const response = await page.goto(link.url);
  expect(response?.status()).toBe(200);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("How do I rotate my API key?");
  await expect(page.getByText("Shared, read-only view")).toBeVisible();
  await expect(page.getByText("ana@example.com")).toBeVisible();
  await expect(page.getByRole("button", { name: "Refresh" })).toHaveCount(0);
  await expect(page.getByRole("link", { name: "Browse" })).toHaveCount(0);
  // The share view can reach nothing else.
  expect((await page.request.get(`${app.url}/api/interactions/${RICH_ID}`)).status()).toBe(401);
  await page.reload();
  expect((await linkRow(link.id)).views).toBe(2);
  await context.close();
});

test("hideSensitive hides the user, conversation id, tags, sources and action details, in the page and its metadata", async ({ request }) => {
  const link = await createLink({ hideSensitive: true });
  const html = await (await request.get(link.url)).text();
  // (The conversation itself still links the guide: only the RAG source details are hidden.)
  for (const secret of ["ana@example.com", "conv-rich-1", "proj-1", "Key rotation guide", '"score"', ">plan<", "The first answer was wrong."]) expect(html).not.toContain(secret);
  expect(html).toContain("How do I rotate my API key?");
  expect((await linkRow(link.id)).hiddenFields).toEqual([...HIDDEN_SHARE_HIDES]);
});

test("a tampered, revoked or expired token answers 404 and reveals nothing", async ({ request }) => {
  const link = await createLink({});
  const tampered = link.url.slice(0, -1) + (link.url.endsWith("A") ? "B" : "A");
  for (const url of [tampered, `${app.url}/s/short`, `${app.url}/s/${RICH_ID}`]) {
    const response = await request.get(url);
    expect(response.status()).toBe(404);
    const html = await response.text();
    expect(html).not.toContain("rotate");
    expect(html).not.toContain("ana@example.com");
  }

  expect((await signedIn.delete(`/api/share-links/${link.id}`)).status()).toBe(204);
  expect((await request.get(link.url)).status()).toBe(404);
  expect((await linkRow(link.id)).status).toBe("revoked");
  expect((await signedIn.delete(`/api/share-links/no-such-link`)).status()).toBe(404);

  const expiring = await createLink({ expiresIn: "1h" });
  expect((await request.get(expiring.url)).status()).toBe(200);
  const db = new Database(databaseUrl.replace(/^file:/, ""));
  db.prepare("UPDATE share_links SET expires_at = ? WHERE id = ?").run(Date.now() - 1_000, expiring.id);
  db.close();
  expect((await request.get(expiring.url)).status()).toBe(404);
  expect((await linkRow(expiring.id)).status).toBe("expired");
});

test("a link keeps working while Nebuly is down, from the snapshot alone: Nebuly is not asked", async ({ request }) => {
  const link = await createLink({});
  // Age the snapshot past its TTL: a view that went through the cache-then-fetch service would now
  // ask Nebuly for a fresh copy (behind the response), which this test must see.
  const db = new Database(databaseUrl.replace(/^file:/, ""));
  const { fetched_at: fetchedAt } = db.prepare("SELECT fetched_at FROM interactions WHERE id = ?").get(RICH_ID) as { fetched_at: number };
  db.prepare("UPDATE interactions SET fetched_at = ? WHERE id = ?").run(Date.now() - 86_400_000, RICH_ID);
  // "Down" as a 503 rather than a stopped server, so that a call would still be recorded.
  nebuly.script(RICH_ID, [{ status: 503 }]);
  const CONTROL_ID = "33333333-4444-4555-8666-777777777701";
  nebuly.script(CONTROL_ID, [{ body: { id: CONTROL_ID } }]);
  try {
    const before = nebuly.calls.length;
    const response = await request.get(link.url);
    expect(response.status()).toBe(200);
    expect(await response.text()).toContain("How do I rotate my API key?");
    expect((await request.head(link.url)).status()).toBe(200);
    // A request that does call Nebuly, made after the views: once its call is recorded, a call the
    // views had started would be too. It also shows the fake is up and recording.
    expect((await signedIn.get(`/api/interactions/${CONTROL_ID}`)).status()).toBe(200);
    expect(nebuly.calls.slice(before)).toEqual(nebuly.callsFor(CONTROL_ID));
    expect(nebuly.callsFor(CONTROL_ID)).toHaveLength(1);
    // The precondition held: through the service, this same copy is served STALE and Nebuly is asked.
    const richCalls = nebuly.callsFor(RICH_ID).length;
    expect((await signedIn.get(`/api/interactions/${RICH_ID}`)).headers()["x-cache"]).toBe("STALE");
    await expect.poll(() => nebuly.callsFor(RICH_ID).length).toBeGreaterThan(richCalls);
  } finally {
    nebuly.script(RICH_ID, [{ body: richInteraction() }]);
    db.prepare("UPDATE interactions SET fetched_at = ? WHERE id = ?").run(fetchedAt, RICH_ID);
    db.close();
  }
});

test("the shared links page lists links and revokes them", async ({ browser }) => {
  const link = await createLink({ hideSensitive: true });
  const context = await browser.newContext({ storageState: await signedIn.storageState() });
  const page = await context.newPage();
  await page.goto(`${app.url}/shared`);
  const row = page.getByRole("row").filter({ has: page.getByRole("button", { name: /Revoke/ }) }).first();
  await expect(row).toContainText("How do I rotate my API key?");
  await expect(row).toContainText(HIDDEN_SHARE_HIDES.join(", "));
  // Newest first: the first row is the link just created.
  const before = await page.getByRole("button", { name: /Revoke/ }).count();
  await row.getByRole("button", { name: /Revoke/ }).click();
  await expect(page.getByRole("button", { name: /Revoke/ })).toHaveCount(before - 1);
  expect((await page.request.get(link.url)).status()).toBe(404);
  await context.close();
});

test("creating a link from the interaction page shows a copyable URL", async ({ browser }) => {
  const context = await browser.newContext({ storageState: await signedIn.storageState(), permissions: ["clipboard-read", "clipboard-write"] });
  const page = await context.newPage();
  await page.goto(`${app.url}/interactions/${RICH_ID}`);
  await page.getByText("Share", { exact: true }).click();
  await page.getByLabel("Expires after").selectOption("1d");
  await page.getByLabel(/Hide the user/).check();
  await page.getByRole("button", { name: "Create share link" }).click();
  const field = page.getByLabel("Share link", { exact: true });
  await expect(field).toHaveValue(new RegExp(`^${app.url}/s/[A-Za-z0-9_-]{43}$`));
  await page.getByRole("button", { name: "Copy share link" }).click();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(await field.inputValue());
  await context.close();
});

test.describe("headers", () => {
  test("pages, API routes and share views carry the security headers", async ({ request }) => {
    const link = await createLink({});
    const responses = {
      page: await signedIn.get(`/interactions/${RICH_ID}`),
      samePageAgain: await signedIn.get(`/interactions/${RICH_ID}`),
      api: await signedIn.get(`/api/interactions/${RICH_ID}`),
      share: await request.get(link.url),
      login: await request.get(`${app.url}/login`),
    };
    const nonces: string[] = [];
    for (const [name, response] of Object.entries(responses)) {
      expect(response.status(), name).toBe(200);
      const headers = response.headers();
      const csp = headers["content-security-policy"] ?? "";
      const nonce = /script-src 'self' 'nonce-([\w+/=-]+)' 'strict-dynamic'(;|$)/.exec(csp)?.[1];
      expect(nonce, `${name}: ${csp}`).toBeDefined();
      nonces.push(nonce!);
      const directives = csp.split(";").map((directive) => directive.trim());
      for (const directive of ["object-src 'none'", "frame-ancestors 'none'", "base-uri 'none'"]) expect(directives, name).toContain(directive);
      expect(headers["x-frame-options"], name).toBe("DENY");
      expect(headers["x-content-type-options"], name).toBe("nosniff");
      // What the README promises: a share view sends no Referer at all (its URL is the token);
      // everything else sends one only to this site.
      expect(headers["referrer-policy"], name).toBe(name === "share" ? "no-referrer" : "same-origin");
    }
    // A fresh nonce per response: a nonce seen once (in a cached page, a log) opens nothing later.
    expect(new Set(nonces).size).toBe(nonces.length);
    // The page's own scripts carry its response's nonce (or they could not run).
    expect(await responses.page.text()).toContain(`nonce="${nonces[0]}"`);
    expect(responses.share.headers()["cache-control"]).toBe("private, no-store");
    expect(responses.page.headers()["cache-control"]).toBe("private, no-store");
  });

  test("the CSP blocks an injected inline script while the page's own scripts run", async ({ browser }) => {
    const context = await browser.newContext({ storageState: await signedIn.storageState() });
    const page = await context.newPage();
    const violations: string[] = [];
    page.on("console", (message) => {
      if (message.text().includes("Content Security Policy")) violations.push(message.text());
    });
    // Inject an inline script into the HTML as stored XSS would, keeping the server's headers.
    await page.route(`${app.url}/interactions/${RICH_ID}`, async (route) => {
      const response = await route.fetch();
      const body = (await response.text()).replace("</body>", "<script>window.__injected = true;</script></body>");
      await route.fulfill({ response, body });
    });
    await page.goto(`${app.url}/interactions/${RICH_ID}`);
    expect(await page.evaluate(() => (window as unknown as { __injected?: boolean }).__injected)).toBeUndefined();
    expect(violations.length).toBeGreaterThan(0);
    // The page's own (nonced) scripts ran: the enhancer localised the times and answers shortcuts.
    await expect(page.locator("#turn-1 time")).not.toContainText("UTC");
    await page.keyboard.press("?");
    await expect(page.getByRole("dialog", { name: "Keyboard shortcuts" })).toBeVisible();
    await context.close();
  });
});
