import AxeBuilder from "@axe-core/playwright";
import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import { startApp, tempDatabaseUrl, type AppServer } from "../support/app-server";

// Demo mode: interactions from lib/demo/interactions.ts, cached by opening them. REFUND is the
// newest, so it is also on the home page's Latest and Browse's first page.
const REFUND = { id: "0b6f3c1e-8a2d-4f57-9c1e-2d7a4b9e6f01", title: "Yes please, refund the duplicate." };
const DEPLOY = { id: "1c2e4a6b-3d5f-4a7c-8e9b-0f1a2b3c4d02", title: "My deploy script fails" };
const SLOW = { id: "e4f5a6b7-c8d9-4e0f-9a1b-3c4d5e6f7a15" };
const NEVER_OPENED = "00000000-0000-4000-8000-000000000123";

let app: AppServer;

test.beforeAll(async () => {
  app = await startApp({ DATABASE_URL: tempDatabaseUrl("labels") });
  for (const { id } of [REFUND, DEPLOY, SLOW]) expect((await fetch(`${app.url}/interactions/${id}`)).status).toBe(200);
});

test.afterAll(async () => {
  await app?.stop();
});

type Label = { id: string; name: string; color: string; uses?: number };

/** The API as the inspector's own pages call it (same-origin, JSON). */
function api(request: APIRequestContext) {
  const headers = { Origin: app.url };
  return {
    list: async () => ((await (await request.get(`${app.url}/api/labels`)).json()) as { labels: Label[] }).labels,
    create: (data: unknown) => request.post(`${app.url}/api/labels`, { data, headers }),
    update: (id: string, data: unknown) => request.patch(`${app.url}/api/labels/${encodeURIComponent(id)}`, { data, headers }),
    remove: (id: string) => request.delete(`${app.url}/api/labels/${encodeURIComponent(id)}`, { headers }),
    of: (interaction: string) => request.get(`${app.url}/api/interactions/${interaction}/labels`),
    set: (interaction: string, labelIds: string[]) => request.put(`${app.url}/api/interactions/${interaction}/labels`, { data: { labelIds }, headers }),
  };
}

async function made(request: APIRequestContext, name: string, color?: string): Promise<Label> {
  const response = await api(request).create(color ? { name, color } : { name });
  expect(response.status(), await response.text()).toBe(201);
  return (await response.json()) as Label;
}

/** `l` opens the picker once the page's script is running (a key pressed before that does nothing). */
async function pressL(page: Page) {
  const find = page.getByLabel("Find or make a label");
  // Until the page's script runs, `l` does nothing: press again until the picker opens.
  await expect(async () => {
    if (!(await find.isVisible())) await page.keyboard.press("l");
    await expect(find).toBeFocused({ timeout: 1_000 });
  }).toPass();
}

const chipsOn = (page: Page) => page.getByRole("list", { name: "Labels of this interaction" }).getByRole("listitem");

test("makes a label on the fly with l, adds and removes it by key and by click, and it stays after a reload", async ({ page }) => {
  await page.goto(`${app.url}/interactions/${DEPLOY.id}`);
  await expect(chipsOn(page)).toHaveCount(0);
  await pressL(page);
  const find = page.getByLabel("Find or make a label");
  await find.fill("Needs review");
  await page.keyboard.press("Enter");
  await expect(chipsOn(page)).toHaveText([/Needs review/]);
  await expect(page.getByRole("status").filter({ hasText: "Made and added" })).toBeAttached();
  await page.reload();
  await expect(chipsOn(page)).toHaveText([/Needs review/]);

  // By key: l, the name (any case), Enter takes it off again; Escape closes and gives focus back.
  await pressL(page);
  await page.getByLabel("Find or make a label").fill("needs REVIEW");
  await page.keyboard.press("Enter");
  await expect(chipsOn(page)).toHaveCount(0);
  await page.keyboard.press("Escape");
  await expect(page.getByText("Edit labels").or(page.getByText("Add label"))).toBeFocused();
  await page.reload();
  await expect(chipsOn(page)).toHaveCount(0);

  // By click: the checkbox adds, the chip's × removes.
  await page.getByText("Add label").click();
  await page.getByRole("checkbox", { name: "Needs review" }).check();
  await expect(chipsOn(page)).toHaveText([/Needs review/]);
  await page.reload();
  await page.getByRole("button", { name: "Remove label Needs review" }).click();
  await expect(chipsOn(page)).toHaveCount(0);
  await page.reload();
  await expect(chipsOn(page)).toHaveCount(0);

  // The ? dialog lists the key (once the page's script runs).
  await expect(page.locator("html[data-enhanced]")).toHaveCount(1);
  await page.keyboard.press("?");
  await expect(page.getByRole("dialog", { name: "Keyboard shortcuts" })).toContainText("Open the labels");
});

test("chips show in /cached, Recently viewed, Latest and Browse; /cached filters by label and -label", async ({ page, request }) => {
  const billing = await made(request, "Billing", "teal");
  const urgent = await made(request, "Urgent", "red");
  expect((await api(request).set(REFUND.id, [billing.id, urgent.id])).status()).toBe(200);
  expect((await api(request).set(DEPLOY.id, [billing.id])).status()).toBe(200);

  const rowOf = (page: Page, list: string, text: string) => page.getByRole("list", { name: list }).getByRole("listitem").filter({ hasText: text });
  await page.goto(`${app.url}/cached`);
  await expect(rowOf(page, "Cached interactions", REFUND.title)).toContainText("Billing");
  await expect(rowOf(page, "Cached interactions", REFUND.title)).toContainText("Urgent");
  await page.goto(`${app.url}/`);
  await expect(rowOf(page, "Recently viewed interactions", REFUND.title)).toContainText("Billing");
  await expect(rowOf(page, "Latest interactions", REFUND.title)).toContainText("Urgent");
  await page.goto(`${app.url}/interactions`);
  await expect(rowOf(page, "Interactions", REFUND.title)).toContainText("Billing");

  const results = page.getByRole("list", { name: "Cached interactions" }).getByRole("listitem");
  await page.goto(`${app.url}/cached?label=billing`);
  await expect(results).toHaveCount(2);
  await page.goto(`${app.url}/cached?label=Billing&label=Urgent`);
  await expect(results).toHaveCount(1);
  await expect(results).toContainText(REFUND.title);
  await page.goto(`${app.url}/cached?label=Billing&-label=Urgent`);
  await expect(results).toHaveCount(1);
  await expect(results).toContainText(DEPLOY.title);
  await page.goto(`${app.url}/cached?-label=Billing`);
  await expect(results).toHaveCount(1);
  await expect(page.getByText(REFUND.title)).toHaveCount(0);
  // The filter shows, and removing it is one link.
  await page.getByRole("link", { name: /Not labelled “Billing”/ }).click();
  await expect(results).toHaveCount(3);
  // Chosen from the form.
  await page.locator("select[name='label']").selectOption("Urgent");
  await page.getByRole("button", { name: "Search" }).click();
  await expect(results).toHaveCount(1);
  await expect(page).toHaveURL(/label=Urgent/);

  await api(request).set(REFUND.id, []);
  await api(request).set(DEPLOY.id, []);
  await api(request).remove(billing.id);
  await api(request).remove(urgent.id);
});

test("renames, recolours and deletes on /labels; the interaction page follows", async ({ page, request }) => {
  const label = await made(request, "Old name", "gray");
  await api(request).set(SLOW.id, [label.id]);
  await page.goto(`${app.url}/labels`);
  const form = page.getByRole("form", { name: "Edit label Old name" });
  await form.getByLabel("Name", { exact: true }).fill("New name");
  await form.locator("select[name='color']").selectOption("purple");
  await form.getByRole("button", { name: "Save label Old name" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Saved" })).toHaveText("Saved “New name”.");
  await page.goto(`${app.url}/interactions/${SLOW.id}`);
  await expect(chipsOn(page)).toHaveText([/New name/]);

  await page.goto(`${app.url}/labels`);
  // Escape takes the question back, and focus returns to where it was asked.
  await page.getByRole("button", { name: "Delete… label New name" }).click();
  await expect(page.getByRole("button", { name: "Keep it" })).toBeFocused();
  await page.keyboard.press("Escape");
  await expect(page.getByRole("button", { name: "Delete… label New name" })).toBeFocused();
  await page.getByRole("button", { name: "Delete… label New name" }).click();
  await page.getByRole("button", { name: "Delete “New name” from every interaction" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Deleted" })).toHaveText("Deleted “New name”.");
  await page.reload();
  await expect(page.getByRole("heading", { level: 1, name: "Labels" })).toBeVisible();
  await expect(page.getByRole("form", { name: "Edit label New name" })).toHaveCount(0);
  await page.goto(`${app.url}/interactions/${SLOW.id}`);
  await expect(chipsOn(page)).toHaveCount(0);
});

test("two people see each other's labels after a reload", async ({ browser }) => {
  const ana = await browser.newContext();
  const ben = await browser.newContext();
  const anaPage = await ana.newPage();
  const benPage = await ben.newPage();
  await benPage.goto(`${app.url}/interactions/${SLOW.id}`);
  await anaPage.goto(`${app.url}/interactions/${SLOW.id}`);
  await pressL(anaPage);
  await anaPage.getByLabel("Find or make a label").fill("Seen by Ana");
  await anaPage.keyboard.press("Enter");
  await expect(chipsOn(anaPage)).toHaveText([/Seen by Ana/]);
  await benPage.reload();
  await expect(chipsOn(benPage)).toHaveText([/Seen by Ana/]);
  // Ben takes it off; Ana sees that after her reload.
  await benPage.getByRole("button", { name: "Remove label Seen by Ana" }).click();
  await expect(chipsOn(benPage)).toHaveCount(0);
  await anaPage.reload();
  await expect(chipsOn(anaPage)).toHaveCount(0);
  await ana.close();
  await ben.close();
});

test("a failed save puts the labels back and says so", async ({ page, request }) => {
  const label = await made(request, "Will fail");
  await page.goto(`${app.url}/interactions/${DEPLOY.id}`);
  await page.route("**/api/interactions/*/labels", (route) =>
    route.fulfill({ status: 500, contentType: "application/json", body: JSON.stringify({ error: { code: "internal_error", message: "Something went wrong on the server. Try again." } }) }),
  );
  await pressL(page);
  // click, not check(): the refused save may put the box back before check() looks at it.
  await page.getByRole("checkbox", { name: "Will fail" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "could not" }).or(page.getByRole("alert").filter({ hasText: "went wrong" }))).toHaveText(
    "Something went wrong on the server. Try again. The labels are back as they were.",
  );
  await expect(chipsOn(page)).toHaveCount(0);
  await expect(page.getByRole("checkbox", { name: "Will fail" })).not.toBeChecked();
  await page.unroute("**/api/interactions/*/labels");
  await page.reload();
  await expect(chipsOn(page)).toHaveCount(0);
  await api(request).remove(label.id);
});

test("hostile label names are text everywhere, never markup or script", async ({ page, request }) => {
  const names = [`<img src=x onerror="window.__xss=1">`, "<script>window.__xss=1</script>"];
  const labels = [];
  for (const name of names) labels.push(await made(request, name));
  await api(request).set(DEPLOY.id, labels.map((label) => label.id));
  for (const path of [`/interactions/${DEPLOY.id}`, "/cached", "/labels", "/"]) {
    await page.goto(`${app.url}${path}`);
    for (const name of names) await expect(page.getByText(name, { exact: true }).filter({ visible: true }).first()).toBeVisible();
    expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
    await expect(page.locator("main img[src='x']")).toHaveCount(0);
  }
  await api(request).set(DEPLOY.id, []);
  for (const label of labels) await api(request).remove(label.id);
});

test("the API answers bad input with the field named, unknown ids with 404, a taken name with 409", async ({ request }) => {
  const calls = api(request);
  const taken = await made(request, "Taken");
  const duplicate = await calls.create({ name: "  TAKEN " });
  expect(duplicate.status()).toBe(409);
  expect((await duplicate.json()).error.message).toContain("Taken");
  for (const [body, field] of [
    [{ name: "" }, "name"],
    [{ name: "x".repeat(41) }, "name"],
    [{ name: 5 }, "name"],
    [{ name: "ok", color: "#ff0000" }, "color"],
    [{ name: "ok", extra: 1 }, "extra"],
  ] as const) {
    const response = await calls.create(body);
    expect(response.status(), JSON.stringify(body)).toBe(400);
    expect((await response.json()).error.message).toMatch(new RegExp(`^${field}`));
  }
  expect((await calls.update("no-such-label", { name: "x" })).status()).toBe(404);
  expect((await calls.remove("no-such-label")).status()).toBe(404);
  expect((await calls.set(DEPLOY.id, ["no-such-label"])).status()).toBe(404);
  expect((await calls.set(DEPLOY.id, "nope" as unknown as string[])).status()).toBe(400);
  // Not cached here: 404, for reading and writing alike.
  expect((await calls.of(NEVER_OPENED)).status()).toBe(404);
  expect((await calls.set(NEVER_OPENED, [taken.id])).status()).toBe(404);
  expect((await calls.of("not-an-id")).status()).toBe(400);
  await calls.remove(taken.id);
});

test("the share page shows labels, but not when it hides sensitive fields", async ({ page, request }) => {
  const label = await made(request, "Shared label");
  await api(request).set(REFUND.id, [label.id]);
  const share = async (hideSensitive: boolean) => {
    const response = await request.post(`${app.url}/api/share-links`, { data: { interactionId: REFUND.id, expiresIn: "7d", hideSensitive }, headers: { Origin: app.url } });
    expect(response.status()).toBe(201);
    return ((await response.json()) as { url: string }).url;
  };
  await page.goto(await share(false));
  await expect(page.getByRole("list", { name: "Labels" })).toContainText("Shared label");
  await page.goto(await share(true));
  await expect(page.getByText("Shared label")).toHaveCount(0);
  await expect(page.getByText("the team's labels")).toBeVisible();
  await api(request).set(REFUND.id, []);
  await api(request).remove(label.id);
});

for (const scheme of ["light", "dark"] as const) {
  test(`/labels and the open picker have no serious axe findings (${scheme})`, async ({ page, request }) => {
    await page.emulateMedia({ colorScheme: scheme });
    const label = await made(request, `Axe ${scheme}`);
    await api(request).set(DEPLOY.id, [label.id]);
    const serious = async () =>
      (await new AxeBuilder({ page }).analyze()).violations.filter((violation) => violation.impact === "serious" || violation.impact === "critical").map((violation) => violation.id);
    await page.goto(`${app.url}/labels`);
    expect(await serious()).toEqual([]);
    await page.goto(`${app.url}/interactions/${DEPLOY.id}`);
    await pressL(page);
    await expect(page.getByLabel("Find or make a label")).toBeFocused();
    expect(await serious()).toEqual([]);
    await api(request).set(DEPLOY.id, []);
    await api(request).remove(label.id);
  });
}

test("forgetting an interaction removes its labels", async ({ request }) => {
  const label = await made(request, "Forget me");
  expect((await api(request).set(SLOW.id, [label.id])).status()).toBe(200);
  expect((await api(request).list()).find((one) => one.id === label.id)?.uses).toBe(1);
  expect((await request.delete(`${app.url}/api/interactions/${SLOW.id}`, { headers: { Origin: app.url } })).status()).toBe(200);
  expect((await api(request).of(SLOW.id)).status()).toBe(404);
  expect((await api(request).list()).find((one) => one.id === label.id)?.uses).toBe(0);
});
