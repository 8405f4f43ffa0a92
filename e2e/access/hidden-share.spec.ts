import { expect, test, type APIRequestContext } from "@playwright/test";
import { NEBULY_TEST_KEY, startApp, tempDatabaseUrl, type AppServer } from "../support/app-server";
import { FakeNebuly } from "../support/fake-nebuly";
import { CANARIES, CANARY_ID, canaryInteraction } from "../support/fixtures";
import { signedInRequest } from "../support/sign-in";

/**
 * A hidden share shows an allowlist. Everything a reader's browser receives — the HTML, the React
 * (RSC) payload embedded in it or fetched on its own, and the unfurl metadata — is searched for
 * canaries planted in every field that can identify someone, including fields Nebuly never
 * documented.
 */
const PASSWORD = "correct-horse-battery";
let nebuly: FakeNebuly;
let app: AppServer;
let signedIn: APIRequestContext;

test.beforeAll(async ({ playwright }) => {
  nebuly = await new FakeNebuly(NEBULY_TEST_KEY).start();
  nebuly.script(CANARY_ID, [{ body: canaryInteraction() }]);
  app = await startApp({ NEBULY_API_KEY: NEBULY_TEST_KEY, NEBULY_API_URL: nebuly.url, DATABASE_URL: tempDatabaseUrl("hidden-share"), INSPECTOR_PASSWORD: PASSWORD });
  signedIn = await signedInRequest(playwright, app.url, PASSWORD);
});

test.afterAll(async () => {
  await signedIn?.dispose();
  await app?.stop();
  await nebuly?.stop();
});

async function shareUrl(hideSensitive: boolean): Promise<string> {
  const response = await signedIn.post("/api/share-links", { data: { interactionId: CANARY_ID, expiresIn: "1d", hideSensitive } });
  expect(response.status()).toBe(201);
  return (await response.json()).url;
}

/** The page's HTML, and the RSC payload a client-side navigation to it would fetch. */
async function everythingServed(request: APIRequestContext, url: string) {
  const html = await request.get(url);
  expect(html.status()).toBe(200);
  const rsc = await request.get(url, { headers: { RSC: "1" } });
  expect(rsc.status()).toBe(200);
  return { html: await html.text(), rsc: await rsc.text() };
}

function metadataOf(html: string): Record<string, string> {
  const found: Record<string, string> = { title: /<title>([^<]*)<\/title>/.exec(html)?.[1] ?? "" };
  for (const match of html.matchAll(/<meta (?:name|property)="([^"]+)" content="([^"]*)"/g)) found[match[1]] = match[2];
  return found;
}

test("a hidden share serves no canary in its HTML, its RSC payload or its metadata", async ({ request }) => {
  const { html, rsc } = await everythingServed(request, await shareUrl(true));
  // The page is really there: the conversation and the analysis labels are shown.
  expect(html).toContain("Why was my card declined?");
  expect(html).toContain("The bank refused the charge.");
  expect(html).toContain("Payments");
  expect(html).toContain("self.__next_f.push");
  expect(rsc).toContain("The bank refused the charge.");
  const metadata = metadataOf(html);
  expect(metadata.title).toContain("Why was my card declined?");
  expect(metadata["og:description"]).toContain("Topic: Payments");
  expect(metadata["twitter:title"]).toContain("Why was my card declined?");

  for (const [name, canary] of Object.entries(CANARIES)) {
    expect(html, `${name} in the HTML`).not.toContain(canary);
    expect(rsc, `${name} in the RSC payload`).not.toContain(canary);
    expect(JSON.stringify(metadata), `${name} in the metadata`).not.toContain(canary);
  }
});

test("the same interaction shared without hiding shows the canaries (so the check above can fail)", async ({ request }) => {
  const { html } = await everythingServed(request, await shareUrl(false));
  for (const canary of [CANARIES.user, CANARIES.conversationId, CANARIES.comment, CANARIES.actionDetailEmail, CANARIES.tagValue, CANARIES.ragTitle]) {
    expect(html).toContain(canary);
  }
});

test("a hidden share says what it leaves out", async ({ page }) => {
  await page.goto(await shareUrl(true));
  await expect(page.getByRole("note").filter({ hasText: "Shared, read-only view" })).toContainText("Hidden by the person who shared it: user, conversation id, project id, project name, tags, RAG sources, feedback comments, action details");
  // Each hidden field says so where it would be, so a reader does not take it for "none".
  await expect(page.getByText("hidden by the sharer", { exact: true })).toHaveCount(4);
});

test("a share that hides nothing shows no field as hidden", async ({ page }) => {
  await page.goto(await shareUrl(false));
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  await expect(page.getByText("hidden by the sharer", { exact: true })).toHaveCount(0);
});
