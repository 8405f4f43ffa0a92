import { expect, test } from "@playwright/test";
import { PATHOLOGICAL_MARKDOWN } from "../../test/pathological-markdown";
import { benignTwin, HOSTILE_IDS, hostileSet } from "../support/fixtures";
import { startLiveApp, type LiveApp } from "../support/live-app";

// Model output is attacker-controlled. Before this suite, 8 KB of "- " in one output blocked the
// server for 11 s (health checks included) and 49 KB hung it for minutes. Here every text field of
// three interactions is hostile (test/pathological-markdown): one has the whole corpus as outputs,
// one the incident's shapes at 8 KB, one at 49 KB, and all carry 49 KB queries and top-level
// texts (titles, list snippets, search). Pages, lists, the share view and the turns API must
// answer promptly, and /api/health must keep answering: the server is not held hostage. How fast
// health answers while hostile pages render, next to harmless twins, is a figure `npm run bench`
// measures and reports; this suite only fails when a renderer takes the server hostage. (The unit
// tests format every case at 8, 49 and 200 KB; here outputs stay small enough that a page is a few
// hundred kilobytes, since serialising megabytes of page is linear work this suite is not about.)

// Trace snapshots of big pages cost more than they tell.
test.use({ trace: "off" });
test.describe.configure({ mode: "serial" });

/**
 * Bounds that catch a renderer held hostage (that costs seconds to minutes: 11 s for 8 KB of "- "
 * before this suite), not slowness. Pages must answer within 2 s: on a shared two-core machine
 * under load, three concurrent page requests of any content can already take longer (Next's own
 * per-request work), so the page budget is 2 s or twice what the same requests cost for harmless
 * twins (every text replaced by prose of the same length) measured just before and just after,
 * whichever is larger.
 */
const PAGE_BUDGET_MS = 2_000;
/**
 * Every health answer within 1 s while the pages render (or twice the slowest answer while the
 * harmless twins render, if that is more). Generous on purpose: on a busy 2-core machine one answer
 * may wait for a render's slice of the event loop, hostile or not (319 ms was seen once in CI;
 * `npm run bench` has seen a p99 of 0.4 s with harmless twins alone), which says nothing about
 * hostility. How fast health answers is measured, not asserted here: `npm run bench` reports its
 * p50 and p99 while these pages render, as a ratio to the same figures for their harmless twins.
 */
const HEALTH_BUDGET_MS = 1_000;
const CORPUS = Object.keys(PATHOLOGICAL_MARKDOWN);

const WARM_UP_ID = "11111111-2222-4333-8444-555555555519";
const BENIGN_BEFORE_IDS = ["11111111-2222-4333-8444-555555555521", "11111111-2222-4333-8444-555555555522", "11111111-2222-4333-8444-555555555523"];
const BENIGN_AFTER_IDS = ["11111111-2222-4333-8444-555555555531", "11111111-2222-4333-8444-555555555532", "11111111-2222-4333-8444-555555555533"];

const bodies = hostileSet([HOSTILE_IDS.corpus, HOSTILE_IDS.incident, HOSTILE_IDS.incidentLarge]);
const benignBefore = bodies.map((body, index) => benignTwin(body, BENIGN_BEFORE_IDS[index]));
const benignAfter = bodies.map((body, index) => benignTwin(body, BENIGN_AFTER_IDS[index]));
const benign = [...benignBefore, ...benignAfter];

let live: LiveApp;
let pageBudgetMs = PAGE_BUDGET_MS;
let healthBudgetMs = HEALTH_BUDGET_MS;

interface Timed {
  url: string;
  status: number;
  ms: number;
  body: string;
}

async function timed(url: string, init: RequestInit = {}): Promise<Timed> {
  const started = performance.now();
  const response = await fetch(url, { ...init, signal: AbortSignal.timeout(60_000) });
  const body = await response.text();
  return { url, status: response.status, ms: performance.now() - started, body };
}

/** Runs `work` while polling /api/health back to back; reports every health answer's time. */
async function whileCheckingHealth<T>(work: () => Promise<T>): Promise<{ result: T; slowestHealthMs: number; healthMs: number[] }> {
  let done = false;
  const running = work().finally(() => {
    done = true;
  });
  const healthMs: number[] = [];
  while (!done) {
    const health = await timed(`${live.app.url}/api/health`);
    expect(health.status).toBe(200);
    healthMs.push(Math.round(health.ms));
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return { result: await running, slowestHealthMs: Math.max(0, ...healthMs), healthMs };
}

function expectPrompt(responses: Timed[]) {
  for (const response of responses) {
    expect(response.status, response.url).toBe(200);
    expect(response.ms, `${response.url} took ${Math.round(response.ms)} ms; budget ${pageBudgetMs} ms`).toBeLessThan(pageBudgetMs);
    // The injected script arrives as text, never as a tag.
    expect(response.body).not.toContain("<script>window.__xss");
  }
}

function expectHealthy({ slowestHealthMs, healthMs }: { slowestHealthMs: number; healthMs: number[] }) {
  expect(healthMs.length).toBeGreaterThan(0);
  expect(slowestHealthMs, `health answers: ${healthMs.join(" ")} ms; budget ${healthBudgetMs} ms`).toBeLessThan(healthBudgetMs);
}

const pageUrl = (id: string) => `${live.app.url}/interactions/${id}`;

test.beforeAll(async () => {
  // Megabytes from the fake Nebuly on a busy machine: its transfer time is not what is tested.
  live = await startLiveApp("hostile", [...bodies, ...benign], { UPSTREAM_TIMEOUT_MS: "10000" });
  // The home page's Latest list comes from Nebuly's list: its rows carry the 49 KB texts, whole.
  const data = bodies.map((body) => ({ id: body.id, input_text: body.input, output_text: body.output, user_query: body.user_query, end_user: body.user, timestamp: body.timestamp }));
  live.nebuly.scriptList([{ body: { total: data.length, offset: 0, limit: 10, data } }]);
  // Next loads a route's code on its first request: load each route now, so the timings below
  // measure the content, not the cold start.
  live.nebuly.serveInteraction(WARM_UP_ID, { output: "**warm**" });
  for (const path of [`/interactions/${WARM_UP_ID}`, `/api/interactions/${WARM_UP_ID}/turns?from=1&to=1`, "/", "/cached", "/s/not-a-token"]) {
    await timed(`${live.app.url}${path}`);
  }
  // Fetch and cache every body through the JSON API, which renders nothing: what is timed below
  // is rendering.
  for (const { id } of [...bodies, ...benign]) expect((await timed(`${live.app.url}/api/interactions/${id}`)).status).toBe(200);
});

/** Waits until the server has formatted every turn of `body` (the turns API leaves out late ones). */
async function formattingDone(body: { id: string; conversation: unknown[] }) {
  const url = `${live.app.url}/api/interactions/${body.id}/turns?from=1&to=${body.conversation.length}`;
  await expect.poll(async () => JSON.parse((await timed(url)).body).turns.length, { timeout: 30_000 }).toBe(body.conversation.length);
}

test.afterAll(async () => {
  await live?.stop();
});

/** First views of harmless twins, with health polled; the worker is then left to finish them. */
async function measureBaseline(twins: typeof benign) {
  const measured = await whileCheckingHealth(() => Promise.all(twins.map((body) => timed(pageUrl(body.id)))));
  for (const body of twins) await formattingDone(body);
  return { pageMs: Math.max(...measured.result.map((page) => page.ms)), healthMs: measured.slowestHealthMs };
}

test("interaction pages answer promptly, first view and repeat, while health keeps answering", async () => {
  const before = await measureBaseline(benignBefore);
  // First view: every message pre-scanned, then formatted on the worker or shown as plain text.
  const first = await whileCheckingHealth(() => Promise.all(Object.values(HOSTILE_IDS).map((id) => timed(pageUrl(id)))));
  const after = await measureBaseline(benignAfter);
  pageBudgetMs = Math.max(PAGE_BUDGET_MS, 2 * before.pageMs, 2 * after.pageMs);
  healthBudgetMs = Math.max(HEALTH_BUDGET_MS, 2 * before.healthMs, 2 * after.healthMs);

  expectPrompt(first.result);
  expectHealthy(first);
  for (const page of first.result) expect(page.body).toContain("Shown as plain text: this message is too complex to format.");

  // Outcomes are remembered, refusals included: a repeat view does not pay again.
  const repeat = await whileCheckingHealth(() => Promise.all(Object.values(HOSTILE_IDS).map((id) => timed(pageUrl(id)))));
  expectPrompt(repeat.result);
  expectHealthy(repeat);
});

test("the home page (Recently viewed and Latest) and the cached list show them promptly", async () => {
  const lists = [`${live.app.url}/`, `${live.app.url}/cached`, `${live.app.url}/cached?sort=viewed`, `${live.app.url}/cached?q=item`];
  const measured = await whileCheckingHealth(() => Promise.all(lists.map((url) => timed(url))));
  expectPrompt(measured.result);
  expectHealthy(measured);
  // Every hostile interaction is listed on the home page (Recently viewed and Latest).
  // A row's link carries its list (?list=…&at=N: README "Move through a list").
  for (const id of Object.values(HOSTILE_IDS)) expect(measured.result[0].body.match(new RegExp(`/interactions/${id}[?"]`, "g"))?.length ?? 0).toBeGreaterThanOrEqual(2);
});

test("the turns API formats a range of hostile turns promptly", async () => {
  const count = bodies[0].conversation.length;
  const measured = await whileCheckingHealth(() => timed(`${live.app.url}/api/interactions/${HOSTILE_IDS.corpus}/turns?from=1&to=${count}`));
  expectPrompt([measured.result]);
  expectHealthy(measured);
  const { turns } = JSON.parse(measured.result.body) as { turns: { number: number; html: string }[] };
  expect(turns.length).toBe(count);
});

test("a share view of a hostile interaction works, promptly and safely", async ({ page }) => {
  const created = await fetch(`${live.app.url}/api/share-links`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Origin: live.app.url },
    body: JSON.stringify({ interactionId: HOSTILE_IDS.incident, expiresIn: "1d", hideSensitive: false }),
  });
  expect(created.status).toBe(201);
  const link = (await created.json()) as { url: string };

  const measured = await whileCheckingHealth(() => timed(link.url));
  expectPrompt([measured.result]);
  expectHealthy(measured);
  expect(measured.result.body).toContain("Shared, read-only view");
  expect(measured.result.body).toContain("Shown as plain text: this message is too complex to format.");

  await page.goto(link.url);
  await expect(page.getByText("Shared, read-only view")).toBeVisible();
  await expect(page.locator("#turn-1").getByText("Shown as plain text")).toBeVisible();
  expect(await page.evaluate(() => (window as { __xss?: number }).__xss)).toBeUndefined();
});

test("in a browser, the hostile page runs nothing, formats what it can and says why the rest is plain text", async ({ page }) => {
  await page.goto(pageUrl(HOSTILE_IDS.corpus));
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  await expect(page.locator("#turn-1").getByText("Shown as plain text: this message is too complex to format.")).toBeVisible();
  // Shapes the pre-scan lets through are formatted as usual ("one character" is a paragraph).
  const oneCharacter = CORPUS.indexOf("one character") + 1;
  await expect(page.locator(`#turn-${oneCharacter} [data-rendered].md p`).first()).toBeAttached();
  expect(await page.evaluate(() => (window as { __xss?: number }).__xss)).toBeUndefined();
});
