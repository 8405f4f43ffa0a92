import { expect, test, type APIRequestContext, type Browser, type BrowserContextOptions } from "@playwright/test";
import { NEBULY_TEST_KEY, startApp, tempDatabaseUrl, type AppServer } from "../support/app-server";
import { queryDatabase } from "../support/database";
import { FakeNebuly } from "../support/fake-nebuly";
import { RICH_ID, richInteraction } from "../support/fixtures";
import { signedInContext, signedInRequest } from "../support/sign-in";
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
  signedIn = await signedInRequest(playwright, app.url, PASSWORD);
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
  await queryDatabase(databaseUrl, "UPDATE share_links SET expires_at = ? WHERE id = ?", [new Date(Date.now() - 1_000), expiring.id]);
  expect((await request.get(expiring.url)).status()).toBe(404);
  expect((await linkRow(expiring.id)).status).toBe("expired");
});

test("a link keeps working while Nebuly is down, from the snapshot alone: Nebuly is not asked", async ({ request }) => {
  const link = await createLink({});
  // Age the snapshot past its TTL: a view that went through the cache-then-fetch service would now
  // ask Nebuly for a fresh copy (behind the response), which this test must see.
  const [{ fetched_at: fetchedAt }] = await queryDatabase<{ fetched_at: number }>(databaseUrl, "SELECT fetched_at FROM interactions WHERE id = ?", [RICH_ID]);
  await queryDatabase(databaseUrl, "UPDATE interactions SET fetched_at = ? WHERE id = ?", [new Date(Date.now() - 86_400_000), RICH_ID]);
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
    await queryDatabase(databaseUrl, "UPDATE interactions SET fetched_at = ? WHERE id = ?", [new Date(fetchedAt), RICH_ID]);
  }
});

test.describe("the shared links page", () => {
  const signedInPage = async (browser: Browser, options: BrowserContextOptions = {}) => {
    const context = await signedInContext(browser, app.url, PASSWORD, options);
    return { context, page: await context.newPage() };
  };

  test("says a link's address cannot be shown again, and shows each link's interaction and options", async ({ browser }) => {
    // Five links to one interaction, each made differently: the page must tell them apart.
    const made = [
      { expiresIn: "1h", hideSensitive: true, expiry: "After 1 hour" },
      { expiresIn: "1d", hideSensitive: false, expiry: "After 1 day" },
      { expiresIn: "7d", hideSensitive: true, expiry: "After 7 days" },
      { expiresIn: "30d", hideSensitive: false, expiry: "After 30 days" },
      { expiresIn: "never", hideSensitive: false, expiry: "Never expires" },
    ];
    const links = [];
    for (const { expiresIn, hideSensitive } of made) links.push(await createLink({ expiresIn, hideSensitive }));
    // One of them has been opened.
    expect((await (await browser.newContext()).request.get(links[1].url)).status()).toBe(200);

    const { context, page } = await signedInPage(browser);
    await page.goto(`${app.url}/shared`);
    await expect(page.getByText("A link's address cannot be shown again.")).toBeVisible();
    await expect(page.getByText(/only a fingerprint of it \(a hash\) is stored/)).toBeVisible();
    for (const [index, link] of links.entries()) {
      const card = page.locator(`#link-${link.id}`);
      await expect(card.getByRole("link", { name: "How do I rotate my API key?" })).toBeVisible();
      await expect(card).toContainText(`Interaction ${RICH_ID}`);
      await expect(card).toContainText(made[index].expiry);
      await expect(card).toContainText(made[index].hideSensitive ? HIDDEN_SHARE_HIDES.join(", ") : "Nothing: the full interaction");
      await expect(card).toContainText("by someone using the shared password");
      await expect(card).toContainText(index === 1 ? /1 view\s*last/ : /0 views\s*never opened/);
      // The link's own spot says why its address is not there.
      await expect(card).toContainText("Not stored: shown once, when the link was made");
      expect(await card.textContent()).not.toContain("/s/");
    }
    await context.close();
  });

  test("revoking asks first, then revokes and says so", async ({ browser }) => {
    const link = await createLink({});
    const { context, page } = await signedInPage(browser);
    await page.goto(`${app.url}/shared`);
    const card = page.locator(`#link-${link.id}`);
    await card.getByText("Revoke…").click();
    await expect(card.getByText("Revoke this link? Anyone who opens it will be told it was revoked or has expired.")).toBeVisible();
    // Asking is not revoking.
    expect((await page.request.get(link.url)).status()).toBe(200);
    // Changed their mind: "Keep the link" folds the question away.
    await card.getByText("Keep the link").click();
    await expect(card.getByRole("button", { name: "Revoke link" })).toBeHidden();

    await card.getByText("Revoke…").click();
    await card.getByRole("button", { name: "Revoke link" }).click();
    await expect(page.getByRole("status").filter({ hasText: "Revoked the link to How do I rotate my API key?" })).toBeVisible();
    await expect(page.locator(`#link-${link.id}`)).toContainText("revoked");
    await expect(page.locator(`#link-${link.id}`).getByText("Revoke…")).toHaveCount(0);
    expect((await page.request.get(link.url)).status()).toBe(404);
    expect((await linkRow(link.id)).status).toBe("revoked");
    await context.close();
  });

  test("revoking works without JavaScript too", async ({ browser }) => {
    const link = await createLink({});
    const { context, page } = await signedInPage(browser, { javaScriptEnabled: false });
    await page.goto(`${app.url}/shared`);
    const card = page.locator(`#link-${link.id}`);
    await card.getByText("Revoke…").click();
    await card.getByRole("button", { name: "Revoke link" }).click();
    await expect(page).toHaveURL(new RegExp(`/shared\\?revoked=${link.id}`));
    await expect(page.getByRole("status").filter({ hasText: "Revoked the link to" })).toBeVisible();
    await expect(page.locator(`#link-${link.id}`)).toContainText("revoked");
    expect((await linkRow(link.id)).status).toBe("revoked");
    await context.close();
  });

  test("fits a 375 px phone without sideways scrolling", async ({ browser }) => {
    await createLink({ hideSensitive: true });
    const { context, page } = await signedInPage(browser, { viewport: { width: 375, height: 800 } });
    await page.goto(`${app.url}/shared`);
    await expect(page.locator("li[id^='link-']").first()).toBeVisible();
    expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
    await context.close();
  });
});

test("a revoked or expired link says so, with 404 and nothing else; an unknown token stays a plain not found", async ({ browser }) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const auditEvents = async (id: string) => (await (await signedIn.get(`/api/audit?action=share_link_viewed&target=${id}`)).json()).events.length;

  const revoked = await createLink({});
  expect((await signedIn.delete(`/api/share-links/${revoked.id}`)).status()).toBe(204);
  const expired = await createLink({ expiresIn: "1h" });
  await queryDatabase(databaseUrl, "UPDATE share_links SET expires_at = ? WHERE id = ?", [new Date(Date.now() - 1_000), expired.id]);

  const closedTexts: string[] = [];
  for (const link of [revoked, expired]) {
    const response = await page.goto(link.url);
    expect(response?.status()).toBe(404);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("This link was revoked or has expired");
    const html = await response!.text();
    // Not the interaction, not who shared it, not when: nothing but that it no longer opens.
    for (const secret of ["rotate", "ana@example.com", RICH_ID, "password"]) expect(html, secret).not.toContain(secret);
    await expect(page).toHaveTitle("Link revoked or expired · Interaction Inspector");
    await expect(page.getByText("Page not found")).toHaveCount(0);
    closedTexts.push((await page.locator("main").innerText()).trim());
    // Nothing counted or logged: a closed link's view is not a view.
    expect((await linkRow(link.id)).views).toBe(0);
    expect(await auditEvents(link.id)).toBe(0);
  }
  // Revoked and expired read the same: the reader is not told which.
  expect(closedTexts[0]).toBe(closedTexts[1]);

  const working = await createLink({});
  const tampered = working.url.slice(0, -1) + (working.url.endsWith("A") ? "B" : "A");
  for (const url of [tampered, `${app.url}/s/short`, `${app.url}/s/${"x".repeat(43)}`]) {
    const response = await page.goto(url);
    expect(response?.status()).toBe(404);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Page not found");
    await expect(page.getByText("revoked")).toHaveCount(0);
  }
  // The share-view audit event is unchanged: one per view of a working link.
  expect((await page.goto(working.url))?.status()).toBe(200);
  expect(await auditEvents(working.id)).toBe(1);
  await context.close();
});

test("a share view shows every time in the reader's time zone, header and turns alike", async ({ browser }) => {
  const link = await createLink({});
  // UTC+9: the interaction's 10:00 UTC turn is 7:00 PM there.
  const context = await browser.newContext({ timezoneId: "Asia/Tokyo", locale: "en-US" });
  const page = await context.newPage();
  await page.goto(link.url);
  await expect(page.locator("html[data-enhanced]")).toHaveCount(1);
  const header = page.locator("header.card");
  await expect(header.getByText("Nov 20, 2026, 7:00:00 PM")).toBeVisible();
  await expect(page.locator("#turn-2 time").first()).toHaveText("7:00:00 PM");
  // Every time on the page, notice, header and turns: shown in the reader's zone, never in UTC.
  const times = await page.locator("time").evaluateAll((elements) =>
    elements.map((element) => ({ text: element.textContent ?? "", title: element.getAttribute("title") ?? "" })),
  );
  expect(times.length).toBeGreaterThanOrEqual(8);
  for (const time of times) {
    expect(time.text).not.toContain("UTC");
    expect(time.title).toMatch(/\(Asia\/Tokyo\)$/);
  }
  // Nor does any other text on the page name a time in UTC (a hidden share's page alike).
  expect(await page.locator("body").innerText()).not.toMatch(/UTC|\d\d:\d\d:\d\d(?! [AP]M)/);
  await page.goto((await createLink({ hideSensitive: true })).url);
  await expect(page.locator("html[data-enhanced]")).toHaveCount(1);
  await expect(page.locator("#turn-2 time").first()).toHaveText("7:00:00 PM");
  expect(await page.locator("body").innerText()).not.toMatch(/UTC|\d\d:\d\d:\d\d(?! [AP]M)/);
  await context.close();
});

test("creating a link from the interaction page shows a copyable URL", async ({ browser }) => {
  const context = await signedInContext(browser, app.url, PASSWORD, { permissions: ["clipboard-read", "clipboard-write"] });
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
  // The address cannot be shown again: the id tells this link from the others on /shared, and leads to its card.
  const listed = page.getByText(/listed as id \S+/);
  const id = /id (\S+)\.?$/.exec((await listed.innerText()).trim())![1].replace(/\.$/, "");
  await listed.getByRole("link", { name: "Shared links" }).click();
  await expect(page).toHaveURL(`${app.url}/shared#link-${id}`);
  await expect(page.locator(`[id="link-${id}"]`)).toContainText(`id ${id}`);
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
    const context = await signedInContext(browser, app.url, PASSWORD);
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
