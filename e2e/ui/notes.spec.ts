import AxeBuilder from "@axe-core/playwright";
import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import { NEBULY_TEST_KEY, startApp, tempDatabaseUrl, type AppServer } from "../support/app-server";
import { FakeNebuly } from "../support/fake-nebuly";
import { richInteraction } from "../support/fixtures";

// Notes (README "Reviewing"): written on the interaction page, by a named author, in /cached
// search, never on a share view, gone with Forget. A password inspector that also trusts an SSO
// header (from 127.0.0.1, the default trusted proxy) gives both kinds of verified author; an open
// inspector gives the unverified kind.

const PASSWORD = "correct-horse-battery";
const SSO_HEADER = "X-Forwarded-User";
const NOTED = "bbbbbbbb-1111-4222-8333-000000000001";
const FORGOTTEN = "bbbbbbbb-1111-4222-8333-000000000002";
const OPEN_ID = "bbbbbbbb-1111-4222-8333-000000000003";
const DRAFT_A = "bbbbbbbb-1111-4222-8333-000000000004";
const DRAFT_B = "bbbbbbbb-1111-4222-8333-000000000005";

let nebuly: FakeNebuly;
let app: AppServer;
let openApp: AppServer;
let sso: APIRequestContext;

test.beforeAll(async ({ playwright }) => {
  nebuly = await new FakeNebuly(NEBULY_TEST_KEY).start();
  for (const id of [NOTED, FORGOTTEN, OPEN_ID, DRAFT_A, DRAFT_B]) nebuly.script(id, [{ body: { ...richInteraction(), id } }]);
  const common = { NEBULY_API_KEY: NEBULY_TEST_KEY, NEBULY_API_URL: nebuly.url };
  [app, openApp] = await Promise.all([
    startApp({ ...common, DATABASE_URL: tempDatabaseUrl("notes"), INSPECTOR_PASSWORD: PASSWORD, INSPECTOR_TRUSTED_USER_HEADER: SSO_HEADER }),
    startApp({ ...common, DATABASE_URL: tempDatabaseUrl("notes-open") }),
  ]);
  sso = await playwright.request.newContext({ baseURL: app.url, extraHTTPHeaders: { Origin: app.url, [SSO_HEADER]: "Zoë Sso" } });
  for (const id of [NOTED, FORGOTTEN]) expect((await sso.get(`/api/interactions/${id}`)).status()).toBe(200);
  for (const id of [DRAFT_A, DRAFT_B]) expect((await fetch(`${openApp.url}/api/interactions/${id}`)).status).toBe(200);
});

test.afterAll(async () => {
  await sso?.dispose();
  await Promise.all([app?.stop(), openApp?.stop()]);
  await nebuly?.stop();
});

async function signInWithName(page: Page, name: string) {
  await page.goto(`${app.url}/login?next=${encodeURIComponent(`/interactions/${NOTED}`)}`);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByLabel(/Your name/).fill(name);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(`${app.url}/interactions/${NOTED}`);
}

const notes = (page: Page) => page.getByRole("region", { name: /^Notes/ });

async function addNote(page: Page, text: string, turn?: number) {
  await page.getByRole("textbox", { name: /^Add a note/ }).fill(text);
  if (turn) await page.getByLabel("About").selectOption(String(turn));
  await page.getByRole("button", { name: "Add note" }).click();
}

test("password mode: the name given at sign-in signs notes; pinned notes link their turn; the author edits and deletes", async ({ page }) => {
  await signInWithName(page, "Ana Lima");
  await addNote(page, "The **refund** rule was misread.");
  const whole = notes(page).getByRole("article", { name: "Note by Ana Lima" }).first();
  await expect(whole.locator("strong")).toHaveText("refund");
  // A name given at sign-in with the shared password: anyone holding it could give any name.
  await expect(whole).toContainText("(unverified)");

  // Keyboard alone: `n` goes to the note box.
  await page.locator("h1").click();
  await page.keyboard.press("n");
  await expect(page.getByRole("textbox", { name: /^Add a note/ })).toBeFocused();
  await addNote(page, "This turn is where it went wrong.", 2);
  const pinned = notes(page).getByRole("article").filter({ hasText: "This turn is where it went wrong." });
  await pinned.getByRole("link", { name: "On turn 2" }).click();
  await expect(page).toHaveURL(/#turn-2$/);
  // Shown beside the turn too.
  await expect(page.locator("#turn-2").getByRole("link", { name: "Note by Ana Lima on this turn" })).toBeVisible();

  await pinned.getByRole("button", { name: "Edit your note" }).click();
  await page.getByLabel("Edit your note").fill("Edited: turn two misread the rule.");
  await page.getByRole("button", { name: "Save" }).click();
  await expect(notes(page)).toContainText("Edited: turn two misread the rule.");
  await page.reload();
  const edited = notes(page).getByRole("article").filter({ hasText: "Edited: turn two" });
  await expect(edited).toContainText("(edited");
  await edited.getByRole("button", { name: "Delete… your note" }).click();
  await edited.getByRole("button", { name: "Delete", exact: true }).click();
  await expect(notes(page).getByText("Edited: turn two")).toHaveCount(0);
  await page.reload();
  await expect(notes(page).getByText("Edited: turn two")).toHaveCount(0);
});

test("another author's note: shown verified, with no edit button, and the API refuses to change it (403)", async ({ browser }) => {
  const created = await sso.post(`/api/interactions/${NOTED}/notes`, { data: { body: "SSO wrote this." } });
  expect(created.status()).toBe(201);
  const note = (await created.json()) as { id: string; author: string; authorVerified: boolean };
  expect(note).toMatchObject({ author: "Zoë Sso", authorVerified: true });

  const context = await browser.newContext();
  const page = await context.newPage();
  await signInWithName(page, "Bo Password");
  const theirs = notes(page).getByRole("article", { name: "Note by Zoë Sso" });
  await expect(theirs).toContainText("SSO wrote this.");
  await expect(theirs).not.toContainText("(unverified)");
  await expect(theirs.getByRole("button")).toHaveCount(0);
  const patch = await context.request.patch(`${app.url}/api/interactions/${NOTED}/notes/${note.id}`, { headers: { Origin: app.url }, data: { body: "hijacked" } });
  expect(patch.status()).toBe(403);
  const del = await context.request.delete(`${app.url}/api/interactions/${NOTED}/notes/${note.id}`, { headers: { Origin: app.url } });
  expect(del.status()).toBe(403);
  expect((await context.request.delete(`${app.url}/api/interactions/${NOTED}/notes/nope`, { headers: { Origin: app.url } })).status()).toBe(404);
  await context.close();

  // Attack (review): the shared password, signed in under the SSO user's own name.
  const impostor = await browser.newContext();
  const impostorPage = await impostor.newPage();
  await signInWithName(impostorPage, "Zoë Sso");
  await expect(notes(impostorPage).getByRole("article", { name: "Note by Zoë Sso" }).filter({ hasText: "SSO wrote this." }).getByRole("button")).toHaveCount(0);
  const hijack = await impostor.request.patch(`${app.url}/api/interactions/${NOTED}/notes/${note.id}`, { headers: { Origin: app.url }, data: { body: "refund DENIED" } });
  expect(hijack.status()).toBe(403);
  const posted = await impostor.request.post(`${app.url}/api/interactions/${NOTED}/notes`, { headers: { Origin: app.url }, data: { body: "As if Zoë wrote it." } });
  expect(await posted.json()).toMatchObject({ author: "Zoë Sso", authorVerified: false });
  await impostor.close();
});

test("bad input: 400 naming the field, 404 for an interaction not cached; HTML, script and javascript: links stay inert", async ({ page }) => {
  const tooLong = await sso.post(`/api/interactions/${NOTED}/notes`, { data: { body: "x".repeat(10_001) } });
  expect(tooLong.status()).toBe(400);
  expect(((await tooLong.json()) as { error: { message: string } }).error.message).toMatch(/^body: /);
  const badTurn = await sso.post(`/api/interactions/${NOTED}/notes`, { data: { body: "x", turn: 99 } });
  expect(((await badTurn.json()) as { error: { message: string } }).error.message).toMatch(/^turn: /);
  expect((await sso.post(`/api/interactions/bbbbbbbb-1111-4222-8333-000000000099/notes`, { data: { body: "x" } })).status()).toBe(404);

  const hostile = '<script>window.__xss=1</script> <img src=x onerror="window.__xss=1"> [click me](javascript:window.__xss=1) \u0000end';
  expect((await sso.post(`/api/interactions/${NOTED}/notes`, { data: { body: hostile } })).status()).toBe(201);
  await signInWithName(page, "Ana Lima");
  const note = notes(page).getByRole("article").filter({ hasText: "click me" });
  await expect(note).toBeVisible();
  await expect(note.locator("script, img[onerror], a[href^='javascript']")).toHaveCount(0);
  await note.getByText("click me").click();
  expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
});

test("a failed save is rolled back with a message, its text returned to the box", async ({ page }) => {
  await signInWithName(page, "Ana Lima");
  await page.route(`**/api/interactions/${NOTED}/notes`, (route) => (route.request().method() === "POST" ? route.fulfill({ status: 500, json: { error: { code: "internal_error", message: "Something went wrong" } } }) : route.continue()));
  await addNote(page, "This one will not stick.");
  await expect(notes(page).getByRole("alert")).toContainText("Your note was not saved");
  await expect(notes(page).getByRole("article").filter({ hasText: "This one will not stick." })).toHaveCount(0);
  await expect(page.getByRole("textbox", { name: /^Add a note/ })).toHaveValue("This one will not stick.");
});

test("/cached finds an interaction by a note's word; a share page never shows notes; Forget removes them", async ({ page }) => {
  expect((await sso.post(`/api/interactions/${NOTED}/notes`, { data: { body: "Team only: kerfufflewidget" } })).status()).toBe(201);
  expect((await sso.post(`/api/interactions/${FORGOTTEN}/notes`, { data: { body: "Doomed note snollygoster" } })).status()).toBe(201);
  const found = await (await sso.get(`/cached?q=kerfufflewidget`)).text();
  expect(found).toContain(`/interactions/${NOTED}`);

  const share = await sso.post("/api/share-links", { data: { interactionId: NOTED, expiresIn: "7d" } });
  const { url } = (await share.json()) as { url: string };
  await page.goto(url);
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  const html = await page.content();
  expect(html).not.toContain("kerfufflewidget");
  expect(html).not.toContain("SSO wrote this.");

  expect((await sso.delete(`/api/interactions/${FORGOTTEN}`)).status()).toBe(200);
  expect((await sso.get(`/api/interactions/${FORGOTTEN}/notes`)).status()).toBe(404);
  expect(await (await sso.get(`/cached?q=snollygoster`)).text()).not.toContain(`/interactions/${FORGOTTEN}`);
});

test("open mode: the browser remembers a name, shown as unverified; two browsers see each other's notes after a reload", async ({ browser }) => {
  const first = await browser.newContext();
  const second = await browser.newContext();
  const a = await first.newPage();
  const b = await second.newPage();
  await a.goto(`${openApp.url}/interactions/${OPEN_ID}`);
  await b.goto(`${openApp.url}/interactions/${OPEN_ID}`);

  await a.getByLabel(/^Your name/).fill("Open Ana");
  await addNote(a, "From browser A");
  await expect(notes(a).getByRole("article", { name: "Note by Open Ana" })).toContainText("(unverified)");
  await a.reload();
  // Remembered: the name is filled in, and the note is still the browser's own.
  await expect(a.getByLabel(/^Your name/)).toHaveValue("Open Ana");
  await expect(notes(a).getByRole("button", { name: "Edit your note" })).toHaveCount(1);

  await b.reload();
  await expect(notes(b)).toContainText("From browser A");
  await expect(notes(b).getByRole("button", { name: "Edit your note" })).toHaveCount(0);
  await b.getByLabel(/^Your name/).fill("Open Bo");
  await addNote(b, "From browser B");
  await expect(notes(b).getByRole("article", { name: "Note by Open Bo" })).toBeVisible();
  await a.reload();
  await expect(notes(a)).toContainText("From browser B");

  // No serious accessibility findings with notes shown, light and dark, at 375 px.
  for (const colorScheme of ["light", "dark"] as const) {
    await a.emulateMedia({ colorScheme });
    await a.setViewportSize({ width: 375, height: 800 });
    const results = await new AxeBuilder({ page: a }).include("#notes").analyze();
    expect(results.violations.filter((violation) => violation.impact === "serious" || violation.impact === "critical").map((violation) => violation.id)).toEqual([]);
  }
  await first.close();
  await second.close();
});

const listNav = (page: Page) => page.getByRole("navigation", { name: "Move through the list" });

/** From /cached, to the other cached draft interaction and back, through the list's Next/Previous links. */
async function stepAwayAndBack(page: Page) {
  const here = page.url();
  const step = listNav(page).getByRole("link", { name: /^(Next|Previous)/ }).first();
  const way = (await step.textContent())?.includes("Next") ? "Previous" : "Next";
  await step.click();
  await expect(page).not.toHaveURL(here);
  await expect(page.getByRole("textbox", { name: /^Add a note/ })).toHaveValue("");
  await listNav(page).getByRole("link", { name: new RegExp(`^${way}`) }).click();
  await expect(page).toHaveURL(here);
}

test("drafts: `n` asks for the name first; unsaved text, turn and name survive stepping away and back; an edit left with Escape is kept", async ({ page }) => {
  await page.goto(`${openApp.url}/cached`);
  await page.locator(`a[href^="/interactions/${DRAFT_A}"]`).first().click();
  await expect(page.locator("html[data-enhanced]")).toHaveCount(1);
  const box = page.getByRole("textbox", { name: /^Add a note/ });
  const nameField = page.getByLabel(/^Your name/);

  await page.locator("h1").click();
  await page.keyboard.press("n");
  await expect(nameField).toBeFocused();
  await box.fill("Half-written thought about turn two");
  await box.press("Control+Enter");
  await expect(notes(page).getByRole("alert")).toHaveText("Give your name first: it is shown on your notes.");
  await expect(nameField).toBeFocused();
  await nameField.fill("Dee Draft");
  await expect(notes(page).getByRole("alert")).toHaveCount(0);
  await page.getByLabel("About").selectOption("2");

  await stepAwayAndBack(page);
  await expect(box).toHaveValue("Half-written thought about turn two");
  await expect(page.getByLabel("About")).toHaveValue("2");
  await expect(nameField).toHaveValue("Dee Draft");
  await expect(notes(page)).toContainText("Your unsaved note from before is back in the box.");

  // Ctrl+Enter saves; the saved draft is gone from the box for good.
  await box.press("Control+Enter");
  const saved = notes(page).getByRole("article", { name: "Note by Dee Draft" });
  await expect(saved).toContainText("Half-written thought about turn two");
  await expect(saved.getByRole("button", { name: "Edit your note" })).toBeVisible();
  await page.reload();
  await expect(box).toHaveValue("");

  // An edit left with Escape is kept, across a step away, and taken up again.
  await saved.getByRole("button", { name: "Edit your note" }).click();
  await page.getByLabel("Edit your note").fill("A better second thought");
  await page.getByLabel("Edit your note").press("Escape");
  await expect(saved).toContainText("Half-written thought about turn two");
  await expect(saved).toContainText("You have an unsaved change to this note.");
  await expect(saved.getByRole("button", { name: "Resume editing your note" })).toBeFocused();
  await stepAwayAndBack(page);
  await saved.getByRole("button", { name: "Resume editing your note" }).click();
  await expect(page.getByLabel("Edit your note")).toHaveValue("A better second thought");
  await page.getByLabel("Edit your note").press("Control+Enter");
  await expect(saved).toContainText("A better second thought");
  // Focus stays at the saved note, not the top of the page.
  await expect(saved).toBeFocused();
  await expect(saved).not.toContainText("unsaved change");
});

test("a failed edit says so at the note, in words, with the text kept; delete asks first, and Escape or Keep it cancels", async ({ page }) => {
  await page.goto(`${openApp.url}/interactions/${DRAFT_B}`);
  await page.getByLabel(/^Your name/).fill("Del Confirm");
  await addNote(page, "First of two");
  await addNote(page, "Second of two");
  const second = notes(page).getByRole("article").filter({ hasText: "Second of two" });
  await expect(second.getByRole("button", { name: "Edit your note" })).toBeVisible();
  // By id: while it is being edited, the note's text is in a box, not in the article's text.
  const firstId = await notes(page).getByRole("article").filter({ hasText: "First of two" }).getAttribute("id");
  const first = page.locator(`[id="${firstId}"]`);

  await page.route(`**/api/interactions/${DRAFT_B}/notes/*`, (route) => (route.request().method() === "PATCH" ? route.abort("connectionfailed") : route.continue()));
  await first.getByRole("button", { name: "Edit your note" }).click();
  await page.getByLabel("Edit your note").fill("First, changed");
  await page.getByRole("button", { name: "Save" }).click();
  await expect(first.getByRole("alert")).toHaveText("Your change was not saved: the inspector did not answer. Your text is kept: Save to try again.");
  await expect(page.getByLabel("Edit your note")).toHaveValue("First, changed");
  await expect(page.getByRole("form", { name: "New note" }).getByRole("alert")).toHaveCount(0);
  await expect(notes(page)).not.toContainText("Failed to fetch");
  await page.unroute(`**/api/interactions/${DRAFT_B}/notes/*`);
  await page.getByRole("button", { name: "Cancel" }).click();

  await first.getByRole("button", { name: "Delete… your note" }).click();
  await expect(first.getByRole("group", { name: "Confirm deleting this note" })).toContainText("Delete this note?");
  await expect(first.getByRole("button", { name: "Keep it" })).toBeFocused();
  await page.keyboard.press("Escape");
  await expect(first.getByRole("group")).toHaveCount(0);
  await expect(first.getByRole("button", { name: "Delete… your note" })).toBeFocused();
  await first.getByRole("button", { name: "Delete… your note" }).click();
  await first.getByRole("button", { name: "Keep it" }).click();
  await expect(first).toBeVisible();

  await first.getByRole("button", { name: "Delete… your note" }).click();
  await first.getByRole("button", { name: "Delete", exact: true }).click();
  await expect(notes(page).getByText("First of two")).toHaveCount(0);
  // Focus goes to the note that took its place.
  await expect(second).toBeFocused();
  await page.reload();
  await expect(notes(page).getByText("First of two")).toHaveCount(0);
  await expect(notes(page)).toContainText("Second of two");
});
