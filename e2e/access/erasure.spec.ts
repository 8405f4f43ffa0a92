import { expect, test, type APIRequestContext, type Browser, type BrowserContextOptions } from "@playwright/test";
import { NEBULY_TEST_KEY, startApp, tempDatabaseUrl, type AppServer } from "../support/app-server";
import { FakeNebuly } from "../support/fake-nebuly";
import { richInteraction } from "../support/fixtures";

// Erasure: "Forget" on the page and DELETE /api/interactions/{id}, with access protected so the
// server action's own viewer check and the API's cross-site checks are in play.

const PASSWORD = "correct-horse-battery";
const WITH_JS = "aaaaaaaa-1111-4222-8333-000000000001";
const WITHOUT_JS = "aaaaaaaa-1111-4222-8333-000000000002";
const VIA_API = "aaaaaaaa-1111-4222-8333-000000000003";
const NEVER_CACHED = "aaaaaaaa-1111-4222-8333-000000000009";
const wordOf = (id: string) => `quokka${id.slice(-1)}`;

let nebuly: FakeNebuly;
let app: AppServer;
let signedIn: APIRequestContext;

test.beforeAll(async ({ playwright }) => {
  nebuly = await new FakeNebuly(NEBULY_TEST_KEY).start();
  for (const id of [WITH_JS, WITHOUT_JS, VIA_API]) {
    nebuly.script(id, [{ body: { ...richInteraction(), id, user_query: `Please delete my data ${wordOf(id)}`, input: `Please delete my data ${wordOf(id)}` } }]);
  }
  app = await startApp({ NEBULY_API_KEY: NEBULY_TEST_KEY, NEBULY_API_URL: nebuly.url, DATABASE_URL: tempDatabaseUrl("erasure"), INSPECTOR_PASSWORD: PASSWORD });
  signedIn = await playwright.request.newContext({ baseURL: app.url, extraHTTPHeaders: { Origin: app.url } });
  expect((await signedIn.post("/api/session", { data: { password: PASSWORD } })).status()).toBe(204);
});

test.afterAll(async () => {
  await signedIn?.dispose();
  await app?.stop();
  await nebuly?.stop();
});

const signedInPage = async (browser: Browser, options: BrowserContextOptions = {}) => {
  const context = await browser.newContext({ storageState: await signedIn.storageState(), ...options });
  return { context, page: await context.newPage() };
};

async function shareLinkTo(id: string): Promise<string> {
  const response = await signedIn.post("/api/share-links", { data: { interactionId: id, expiresIn: "never" } });
  expect(response.status()).toBe(201);
  return ((await response.json()) as { url: string }).url;
}

const cachedSearch = async (id: string) => (await (await signedIn.get(`/cached?q=${wordOf(id)}`)).text()).includes(`/interactions/${id}`);
const auditTargets = async (action: string) => ((await (await signedIn.get(`/api/audit?action=${action}`)).json()).events as { target: string }[]).map((event) => event.target);

/** Caches the interaction, views it, shares it: everything a forget must undo. */
async function cacheViewAndShare(browser: Browser, id: string) {
  const { context, page } = await signedInPage(browser);
  await page.goto(`${app.url}/interactions/${id}`);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(`Please delete my data ${wordOf(id)}`);
  await context.close();
  const shareUrl = await shareLinkTo(id);
  expect(await cachedSearch(id)).toBe(true);
  expect(await (await signedIn.get("/")).text()).toContain(`/interactions/${id}`);
  return shareUrl;
}

/** What every forget must leave behind, whichever way it was asked for. */
async function expectForgotten(id: string, shareUrl: string, upstreamCalls: number) {
  const api = await signedIn.get(`/api/interactions/${id}`);
  expect(api.status()).toBe(410);
  expect((await api.json()).error.code).toBe("interaction_forgotten");
  const page = await signedIn.get(`/interactions/${id}`);
  expect(page.status()).toBe(410);
  expect(await page.text()).toContain("Nebuly&#x27;s own copy is untouched");
  // Nothing fetched it again: not the page, not the API.
  expect(nebuly.callsFor(id)).toHaveLength(upstreamCalls);
  expect(await cachedSearch(id)).toBe(false);
  expect(await (await signedIn.get("/")).text()).not.toContain(`/interactions/${id}`);
  const shared = await signedIn.get(shareUrl);
  expect(shared.status()).toBe(404);
  expect(await shared.text()).toContain("This link was revoked or has expired");
  expect(await auditTargets("interaction_forgotten")).toContain(id);
}

test("Forget asks first, then the page says the interaction was forgotten; only the explicit button fetches it again", async ({ browser }) => {
  const shareUrl = await cacheViewAndShare(browser, WITH_JS);
  const calls = nebuly.callsFor(WITH_JS).length;
  const { context, page } = await signedInPage(browser);
  await page.goto(`${app.url}/interactions/${WITH_JS}`);
  // With JavaScript: once the page is enhanced (the no-JavaScript path has its own test below).
  // Not for hydration's sake (a <details> opened before hydration stays open), but because the
  // enhancer, as it starts, scrolls the chosen turn into view (showChosenTurn): a click aimed at
  // "Forget…", at the page's foot, just before that scroll lands on whatever the scroll moved there.
  await expect(page.locator("html[data-enhanced]")).toHaveCount(1);
  const localCopy = page.getByRole("region", { name: "Local copy" });
  await localCopy.getByText("Forget…").click();
  await expect(localCopy.getByText("Forget this interaction on this inspector?")).toBeVisible();
  await expect(localCopy.getByText("Nebuly's own copy is untouched")).toBeVisible();
  // Asking is not forgetting; changing one's mind folds the question away.
  expect((await signedIn.get(`/api/interactions/${WITH_JS}`)).status()).toBe(200);
  await localCopy.getByText("Keep it").click();
  await expect(localCopy.getByRole("button", { name: "Forget interaction" })).toBeHidden();

  await localCopy.getByText("Forget…").click();
  await localCopy.getByRole("button", { name: "Forget interaction" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Interaction forgotten");
  await expect(page.getByText("Nebuly's own copy is untouched.")).toBeVisible();
  await expect(page).toHaveURL(`${app.url}/interactions/${WITH_JS}`);
  // Reloading (or coming back later) never refetches by accident.
  expect((await page.reload())?.status()).toBe(410);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Interaction forgotten");
  await expectForgotten(WITH_JS, shareUrl, calls);

  await page.getByRole("button", { name: "Fetch again from Nebuly" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(`Please delete my data ${wordOf(WITH_JS)}`);
  expect(nebuly.callsFor(WITH_JS)).toHaveLength(calls + 1);
  expect(await auditTargets("interaction_fetched_again")).toContain(WITH_JS);
  // The old link stays revoked: a fetch again restores the copy, not what was shared.
  expect((await signedIn.get(shareUrl)).status()).toBe(404);
  await context.close();
});

test("Forget and Fetch again work without JavaScript", async ({ browser }) => {
  const shareUrl = await cacheViewAndShare(browser, WITHOUT_JS);
  const calls = nebuly.callsFor(WITHOUT_JS).length;
  const { context, page } = await signedInPage(browser, { javaScriptEnabled: false });
  await page.goto(`${app.url}/interactions/${WITHOUT_JS}`);
  await page.getByText("Forget…").click();
  await page.getByRole("button", { name: "Forget interaction" }).click();
  await expect(page).toHaveURL(`${app.url}/interactions/${WITHOUT_JS}`);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Interaction forgotten");
  await expectForgotten(WITHOUT_JS, shareUrl, calls);
  await page.getByRole("button", { name: "Fetch again from Nebuly" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(`Please delete my data ${wordOf(WITHOUT_JS)}`);
  expect(nebuly.callsFor(WITHOUT_JS)).toHaveLength(calls + 1);
  await context.close();
});

test.describe("DELETE /api/interactions/{id}", () => {
  test("refuses cross-site requests and strangers, leaving the interaction as it was", async ({ playwright }) => {
    expect((await signedIn.get(`/api/interactions/${VIA_API}`)).status()).toBe(200);
    const attempts: Record<string, string>[] = [{ Origin: "https://evil.example" }, { Origin: "null" }, { Origin: app.url, "Content-Type": "text/plain" }];
    for (const headers of attempts) {
      const response = await signedIn.delete(`/api/interactions/${VIA_API}`, { headers, data: headers["Content-Type"] ? "{}" : undefined });
      expect(response.status()).toBe(403);
      expect((await response.json()).error.code).toBe("cross_site_request");
    }
    const stranger = await playwright.request.newContext({ baseURL: app.url, extraHTTPHeaders: { Origin: app.url } });
    expect((await stranger.delete(`/api/interactions/${VIA_API}`)).status()).toBe(401);
    await stranger.dispose();
    expect((await signedIn.get(`/api/interactions/${VIA_API}`)).headers()["x-cache"]).toBe("HIT");
  });

  test("answers 400 for a bad id and 404 for an id nothing is stored about", async () => {
    for (const bad of ["not-a-uuid", "aaaaaaaa-1111-4222-8333-00000000000g", "%E0%A4%A"]) {
      const response = await signedIn.delete(`/api/interactions/${bad}`);
      expect(response.status()).toBe(400);
      expect((await response.json()).error.code).toBe("invalid_interaction_id");
    }
    const unknown = await signedIn.delete(`/api/interactions/${NEVER_CACHED}`);
    expect(unknown.status()).toBe(404);
    expect((await unknown.json()).error.code).toBe("not_found");
    // Asking to forget an unknown id does not mark it: it can still be opened and cached.
    nebuly.serveInteraction(NEVER_CACHED, { user_query: "Never cached" });
    expect((await signedIn.get(`/api/interactions/${NEVER_CACHED}`)).status()).toBe(200);
  });

  test("forgets the snapshot and revokes its share links, says what it removed, and is idempotent", async () => {
    const shareUrl = await shareLinkTo(VIA_API);
    expect((await signedIn.get(shareUrl)).status()).toBe(200);
    const calls = nebuly.callsFor(VIA_API).length;
    const response = await signedIn.delete(`/api/interactions/${VIA_API.toUpperCase()}`);
    expect(response.status()).toBe(200);
    expect(await response.json()).toEqual({ id: VIA_API, snapshotDeleted: true, revokedShareLinks: 1, listPagesDeleted: 0, alreadyForgotten: false });
    await expectForgotten(VIA_API, shareUrl, calls);
    const again = await signedIn.delete(`/api/interactions/${VIA_API}`);
    expect(again.status()).toBe(200);
    expect((await again.json()).alreadyForgotten).toBe(true);
    // The link's revocation is in the audit log, attributed to the forget.
    const revoked = (await (await signedIn.get("/api/audit?action=share_link_revoked")).json()).events as { detail: { interactionId: string; reason?: string } }[];
    expect(revoked.some((event) => event.detail.interactionId === VIA_API && event.detail.reason === "interaction_forgotten")).toBe(true);
  });
});
