import { createHash } from "node:crypto";
import { expect, test, type APIRequestContext } from "@playwright/test";
import { NEBULY_TEST_KEY, startApp, tempDatabaseUrl, type AppServer } from "../support/app-server";
import { FakeNebuly } from "../support/fake-nebuly";
import { BARE_ID, RICH_ID, richInteraction } from "../support/fixtures";

/**
 * /metrics and the access log, against the production build in live mode (fake Nebuly), with a
 * password set: a scraper has no session, and the log must name the viewer.
 */

const PASSWORD = "correct-horse-battery";
const METRICS_TOKEN = "e2e-metrics-token-4b7c0f2a9d";
// Text of the interaction: it may be in a page, never in a log line or a metric.
const CONTENT = ["How do I rotate my API key?", "Use the **Rotate** button.", "ana@example.com", "The first answer was wrong."];

let nebuly: FakeNebuly;
let app: AppServer;
let signedIn: APIRequestContext;
let anonymous: APIRequestContext;
let sessionCookie: string;

test.beforeAll(async ({ playwright }) => {
  nebuly = await new FakeNebuly(NEBULY_TEST_KEY).start();
  nebuly.script(RICH_ID, [{ body: richInteraction() }]);
  nebuly.serveInteraction(BARE_ID);
  app = await startApp({
    NEBULY_API_KEY: NEBULY_TEST_KEY,
    NEBULY_API_URL: nebuly.url,
    DATABASE_URL: tempDatabaseUrl("monitoring"),
    INSPECTOR_PASSWORD: PASSWORD,
    METRICS_TOKEN,
  });
  signedIn = await playwright.request.newContext({ baseURL: app.url, extraHTTPHeaders: { Origin: app.url } });
  const signIn = await signedIn.post("/api/session", { data: { password: PASSWORD } });
  expect(signIn.status()).toBe(204);
  sessionCookie = (await signedIn.storageState()).cookies.find((cookie) => cookie.name === "inspector_session")!.value;
  anonymous = await playwright.request.newContext({ baseURL: app.url });
});

test.afterAll(async () => {
  await signedIn?.dispose();
  await anonymous?.dispose();
  await app?.stop();
  await nebuly?.stop();
});

async function scrape(): Promise<string> {
  const response = await anonymous.get("/metrics", { headers: { Authorization: `Bearer ${METRICS_TOKEN}` } });
  expect(response.status()).toBe(200);
  expect(response.headers()["content-type"]).toContain("text/plain");
  return response.text();
}

/** One sample's value from a scrape (0 when the series does not exist yet). */
function sample(text: string, series: string): number {
  const line = text.split("\n").find((candidate) => candidate.startsWith(`${series} `));
  return line ? Number(line.slice(series.length + 1)) : 0;
}

interface AccessLine {
  reqId: string;
  method: string;
  route: string;
  status: number;
  durationMs: number;
  cache?: string;
  client?: string;
  viewer?: string;
  shareLink?: string;
  msg: string;
}

function accessLines(): AccessLine[] {
  return app
    .output()
    .split("\n")
    .filter((line) => line.startsWith("{"))
    .map((line) => {
      try {
        return JSON.parse(line) as AccessLine;
      } catch {
        return null;
      }
    })
    .filter((line): line is AccessLine => line?.msg === "request");
}

/** The access-log line of the response with this X-Request-Id (written when the response ended). */
async function lineFor(requestId: string): Promise<AccessLine> {
  await expect.poll(() => accessLines().some((line) => line.reqId === requestId)).toBe(true);
  return accessLines().find((line) => line.reqId === requestId)!;
}

test.describe("GET /metrics", () => {
  test("does not exist without the token: 404 whatever the method or session, never a sign-in redirect", async () => {
    const attempts = [
      await anonymous.get("/metrics", { maxRedirects: 0 }),
      await anonymous.get("/metrics", { headers: { Authorization: `Bearer ${"x".repeat(METRICS_TOKEN.length)}` }, maxRedirects: 0 }),
      await anonymous.get("/metrics", { headers: { Authorization: METRICS_TOKEN }, maxRedirects: 0 }),
      await anonymous.get("/metrics", { headers: { Authorization: `Basic ${METRICS_TOKEN}` }, maxRedirects: 0 }),
      await anonymous.post("/metrics", { data: "{}", maxRedirects: 0 }),
      // A session is not the token: a signed-in reader does not see the metrics either.
      await signedIn.get("/metrics", { maxRedirects: 0 }),
    ];
    for (const response of attempts) {
      expect(response.status()).toBe(404);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe("not_found");
      expect(await response.text()).not.toContain("inspector_");
    }
  });

  test("is served to a scraper with the token and no session, in Prometheus's format", async () => {
    const text = await scrape();
    for (const name of ["inspector_http_requests_total", "inspector_snapshots", "inspector_database_size_bytes", "process_resident_memory_bytes"]) {
      expect(text).toMatch(new RegExp(`^# TYPE ${name} `, "m"));
    }
    expect(sample(text, "inspector_database_size_bytes")).toBeGreaterThan(0);
  });

  test("counts move with requests, labelled by route pattern, never by id", async () => {
    const before = await scrape();
    const api = `/api/interactions/${RICH_ID}`;
    expect((await signedIn.get(api)).headers()["x-cache"]).toBe("MISS");
    expect((await signedIn.get(api)).headers()["x-cache"]).toBe("HIT");
    // A page looks its interaction up twice (status, then render): it counts as one cache result.
    expect((await signedIn.get(`/interactions/${BARE_ID}`)).status()).toBe(200);
    const after = await scrape();

    const delta = (series: string) => sample(after, series) - sample(before, series);
    expect(delta('inspector_http_requests_total{method="GET",route="/api/interactions/[id]",status="200"}')).toBe(2);
    expect(delta('inspector_http_requests_total{method="GET",route="/interactions/[id]",status="200"}')).toBe(1);
    expect(delta('inspector_cache_results_total{result="miss"}')).toBe(2);
    expect(delta('inspector_cache_results_total{result="hit"}')).toBe(1);
    expect(delta('inspector_upstream_requests_total{operation="detail",outcome="ok",project="default"}')).toBe(2);
    expect(delta('inspector_upstream_attempts_total{result="2xx"}')).toBe(2);
    expect(delta('inspector_http_request_duration_seconds_count{method="GET",route="/api/interactions/[id]"}')).toBe(2);
    expect(sample(after, "inspector_snapshots")).toBe(2);
    // One configured project, its key not refused.
    expect(sample(after, 'inspector_nebuly_key_refused{project="default"}')).toBe(0);
    // The scrape before this one was counted too, by its own route.
    expect(delta('inspector_http_requests_total{method="GET",route="/metrics",status="200"}')).toBe(1);
    for (const secret of [NEBULY_TEST_KEY, RICH_ID, BARE_ID, PASSWORD, sessionCookie, ...CONTENT]) expect(after).not.toContain(secret);
  });

  test("counts upstream failures by outcome, share views and sign-in throttling", async ({ playwright }) => {
    const before = await scrape();
    const missing = "11111111-2222-4333-8444-5555555555ff";
    expect((await signedIn.get(`/api/interactions/${missing}`)).status()).toBe(404);

    const created = await signedIn.post("/api/share-links", { data: { interactionId: RICH_ID, expiresIn: "1d", hideSensitive: false } });
    expect(created.status()).toBe(201);
    const sharePath = new URL(((await created.json()) as { url: string }).url).pathname;
    expect((await anonymous.get(sharePath)).status()).toBe(200);

    // A browser that never signed in, failing six times: the sixth is throttled.
    const guesser = await playwright.request.newContext({ baseURL: app.url, extraHTTPHeaders: { Origin: app.url } });
    const statuses = [];
    for (let attempt = 0; attempt < 6; attempt++) statuses.push((await guesser.post("/api/session", { data: { password: "wrong-password" } })).status());
    await guesser.dispose();
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);

    const after = await scrape();
    const delta = (series: string) => sample(after, series) - sample(before, series);
    expect(delta('inspector_upstream_requests_total{operation="detail",outcome="not_found",project="default"}')).toBe(1);
    expect(delta("inspector_share_link_views_total")).toBe(1);
    expect(delta("inspector_login_throttle_rejections_total")).toBe(1);
    expect(delta('inspector_http_requests_total{method="POST",route="/api/session",status="429"}')).toBe(1);
    expect(after).not.toContain(sharePath.split("/").at(-1)!);
  });
});

test.describe("the access log", () => {
  test("writes one line per request with its id, route pattern, status, duration, cache, client and viewer", async () => {
    const response = await signedIn.get(`/api/interactions/${RICH_ID}`, { headers: { "X-Request-Id": "client-chosen-id-123" } });
    expect(response.status()).toBe(200);
    const requestId = response.headers()["x-request-id"];
    // The id is the server's own: one a client sends is ignored.
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
    const line = await lineFor(requestId);
    expect(line).toMatchObject({ method: "GET", route: "/api/interactions/[id]", status: 200, cache: "HIT", client: "127.0.0.1", viewer: "password" });
    expect(line.durationMs).toBeGreaterThanOrEqual(0);
    expect(accessLines().filter((candidate) => candidate.reqId === requestId)).toHaveLength(1);
  });

  test("logs what the proxy answered itself, and static assets, under fixed route names", async () => {
    const refused = await anonymous.get(`/api/interactions/${RICH_ID}`);
    expect(refused.status()).toBe(401);
    const line = await lineFor(refused.headers()["x-request-id"]);
    expect(line).toMatchObject({ route: "/api/interactions/[id]", status: 401, client: "127.0.0.1" });
    expect(line).not.toHaveProperty("viewer");

    // Anonymous, an unknown address is sent to sign in like any private one.
    const probe = await anonymous.get("/wp-login.php?user=admin", { maxRedirects: 0 });
    expect(probe.status()).toBe(307);
    expect(await lineFor(probe.headers()["x-request-id"])).toMatchObject({ route: "unmatched", status: 307 });
  });

  test("names a share view by a hash prefix of its token; never logs the key, a cookie, a token or content", async () => {
    const created = await signedIn.post("/api/share-links", { data: { interactionId: RICH_ID, expiresIn: "1d", hideSensitive: false } });
    const token = new URL(((await created.json()) as { url: string }).url).pathname.split("/").at(-1)!;
    const view = await anonymous.get(`/s/${token}`);
    expect(view.status()).toBe(200);
    expect(await view.text()).toContain("How do I rotate my API key?");
    const line = await lineFor(view.headers()["x-request-id"]);
    expect(line).toMatchObject({ route: "/s/[token]", status: 200, shareLink: createHash("sha256").update(token).digest("hex").slice(0, 12) });

    // Everything the server printed in this run, start-up lines included.
    const output = app.output();
    expect(accessLines().length).toBeGreaterThanOrEqual(2);
    for (const secret of [NEBULY_TEST_KEY, sessionCookie, token, METRICS_TOKEN, PASSWORD, ...CONTENT]) expect(output).not.toContain(secret);
  });
});
