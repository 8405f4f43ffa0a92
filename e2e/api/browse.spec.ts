import { expect, test } from "@playwright/test";
import { NEBULY_TEST_KEY } from "../support/app-server";
import { expectNoKey } from "../support/secrets";
import { startLiveApp, type LiveApp } from "../support/live-app";

let live: LiveApp;
const listCalls = () => live.nebuly.calls.filter((call) => call.path === "/api/external/get-interactions");
const lastBody = () => JSON.parse(listCalls().at(-1)!.body);

test.beforeAll(async () => {
  live = await startLiveApp("browse", []);
  live.nebuly.scriptList([{ body: { total: 2, offset: 0, limit: 25, data: [{ id: "a", input_text: "hi", output_text: "hello", user_query: "hi", end_user: "u1", timestamp: "2026-11-20T10:00:00Z" }] } }]);
});

test.afterAll(async () => {
  await live?.stop();
});

test.afterEach(() => {
  expect(live.app.output()).not.toContain(NEBULY_TEST_KEY);
});

const get = (request: import("@playwright/test").APIRequestContext, query: string) => request.get(`${live.app.url}/api/interactions${query}`);

test("proxies get-interactions with the default range, limit and offset", async ({ request }) => {
  const response = await get(request, "");
  expect(response.status()).toBe(200);
  expect(await response.json()).toEqual({ total: 2, offset: 0, limit: 25, data: [expect.objectContaining({ id: "a", end_user: "u1" })] });
  const body = lastBody();
  expect(body).toMatchObject({ filters: [], limit: 25, offset: 0 });
  const span = Date.parse(body.time_range.end) - Date.parse(body.time_range.start);
  expect(span).toBe(7 * 24 * 3_600_000);
  expect(listCalls().at(-1)!.authorization).toBe(`Bearer ${NEBULY_TEST_KEY}`);
  await expectNoKey(response);
});

const good: [string, (body: Record<string, unknown>) => void][] = [
  ["?from=2026-11-01&to=2026-11-02", (body) => expect(body.time_range).toEqual({ start: "2026-11-01T00:00:00.000Z", end: "2026-11-02T23:59:59.999Z" })],
  ["?from=2026-11-01T08:00:00%2B01:00&to=2026-11-01T09:00:00Z", (body) => expect(body.time_range).toEqual({ start: "2026-11-01T07:00:00.000Z", end: "2026-11-01T09:00:00.000Z" })],
  ["?range=24h", (body) => expect(Date.parse((body.time_range as { end: string }).end) - Date.parse((body.time_range as { start: string }).start)).toBe(86_400_000)],
  ["?limit=1", (body) => expect(body.limit).toBe(1)],
  ["?limit=100&offset=200", (body) => expect([body.limit, body.offset]).toEqual([100, 200])],
  ["?user=a&user=b", (body) => expect(body.filters).toEqual([{ kind: "user", values: ["a", "b"] }])],
  ["?topic=Billing", (body) => expect(body.filters).toEqual([{ kind: "topic", values: ["Billing"] }])],
  ["?user_intent=Refund", (body) => expect(body.filters).toEqual([{ kind: "user_intent", values: ["Refund"] }])],
  ["?negative_user_intent=Cancel", (body) => expect(body.filters).toEqual([{ kind: "negative_user_intent", values: ["Cancel"] }])],
  ["?user_feedback=negative", (body) => expect(body.filters).toEqual([{ kind: "user_feedback", values: ["negative"] }])],
  ["?keyword=refund&keyword=charge", (body) => expect(body.filters).toEqual([{ kind: "keyword", values: ["refund", "charge"] }])],
  ["?type_of_problem=hallucination", (body) => expect(body.filters).toEqual([{ kind: "type_of_problem", values: ["hallucination"] }])],
  ["?user_query=why", (body) => expect(body.filters).toEqual([{ kind: "user_query", values: ["why"] }])],
  ["?tag.plan=pro&tag.plan=team", (body) => expect(body.filters).toEqual([{ kind: "tag", tag: "plan", values: ["pro", "team"] }])],
];
for (const [query, check] of good) {
  test(`accepts ${query}`, async ({ request }) => {
    const response = await get(request, query);
    expect(response.status()).toBe(200);
    check(lastBody());
  });
}

const bad: [string, string][] = [
  ["?from=yesterday", "from"],
  ["?to=2026-02-30T25:00:00Z", "to"],
  ["?from=2026-11-05&to=2026-11-01", "from"],
  ["?from=2025-01-01&to=2026-06-01", "from"],
  ["?limit=0", "limit"],
  ["?limit=101", "limit"],
  ["?limit=abc", "limit"],
  ["?offset=-5", "offset"],
  ["?offset=1.5", "offset"],
  ["?range=1w", "range"],
  ["?range=7d&to=2026-11-01", "range"],
  ["?limit=5&limit=6", "limit"],
  ["?sort=asc", "sort"],
  ["?tag.=x", "tag."],
  ["?%3Cscript%3E=1", "<script>"],
  [`?keyword=${"k".repeat(300)}`, "keyword"],
];
for (const [query, parameter] of bad) {
  test(`rejects ${query.slice(0, 60)} naming ${parameter}, without calling Nebuly`, async ({ request }) => {
    const before = listCalls().length;
    const response = await get(request, query);
    expect(response.status()).toBe(400);
    const body = await response.json();
    expect(body.error.code).toBe("invalid_query");
    expect(body.error.message.startsWith(`${parameter}:`)).toBe(true);
    expect(listCalls().length).toBe(before);
  });
}

test("an offset past the end answers an empty page with the total", async ({ request }) => {
  live.nebuly.scriptList([{ body: { total: 2, offset: 500, limit: 25, data: [] } }]);
  const response = await get(request, "?offset=500&topic=past-the-end");
  expect(response.status()).toBe(200);
  expect(await response.json()).toMatchObject({ total: 2, offset: 500, data: [] });
});

test("caches a list page: the same query again makes no Nebuly call", async ({ request }) => {
  live.nebuly.scriptList([{ body: { total: 0, offset: 0, limit: 25, data: [] } }]);
  const first = await get(request, "?topic=cache-me&user=x");
  const before = listCalls().length;
  const second = await get(request, "?user=x&topic=cache-me");
  expect([first.headers()["x-cache"], second.headers()["x-cache"]]).toEqual(["MISS", "HIT"]);
  expect(listCalls().length).toBe(before);
});

for (const [status, code, httpStatus] of [
  [500, "upstream_error", 502],
  [401, "upstream_auth_failed", 502],
  [429, "upstream_rate_limited", 503],
] as const) {
  test(`maps a Nebuly ${status} on the list to ${httpStatus} ${code}`, async ({ request }) => {
    live.nebuly.scriptList([{ status, headers: status === 429 ? { "Retry-After": "30" } : {} }]);
    const response = await get(request, `?keyword=fails-${status}`);
    expect(response.status()).toBe(httpStatus);
    expect((await response.json()).error.code).toBe(code);
    await expectNoKey(response);
  });
}
