import { randomUUID } from "node:crypto";
import { expect, test } from "@playwright/test";
import { NEBULY_TEST_KEY, type AppServer } from "../support/app-server";
import type { FakeNebuly, FakeReply } from "../support/fake-nebuly";
import { startLiveApp, type LiveApp } from "../support/live-app";
import { expectNoKey } from "../support/secrets";

const ID = "6d1c0f7e-3b2a-4c5d-8e9f-0a1b2c3d4e5f";

test.describe("GET /api/interactions/{id} against Nebuly", () => {
  let live: LiveApp;
  let nebuly: FakeNebuly;
  let app: AppServer;

  test.beforeAll(async () => {
    live = await startLiveApp("api", []);
    ({ nebuly, app } = live);
  });

  test.afterAll(async () => {
    await live?.stop();
  });

  test.afterEach(() => {
    expect(app.output()).not.toContain(NEBULY_TEST_KEY);
  });

  test("reports live mode and a working database", async ({ request }) => {
    const response = await request.get(`${app.url}/api/health`);
    expect(response.status()).toBe(200);
    expect(await response.json()).toEqual({ status: "ok", mode: "live", db: "ok" });
    expect(nebuly.calls).toHaveLength(0);
  });

  test("fetches with the bearer key, then answers from the cache", async ({ request }) => {
    nebuly.serveInteraction(ID, { topic: "Billing", future_field: { nested: true } });
    const first = await request.get(`${app.url}/api/interactions/${ID}`);
    expect(first.status()).toBe(200);
    expect(first.headers()["x-cache"]).toBe("MISS");
    expect(await first.json()).toMatchObject({ id: ID, topic: "Billing", future_field: { nested: true } });
    await expectNoKey(first);

    const second = await request.get(`${app.url}/api/interactions/${ID}`);
    expect(second.headers()["x-cache"]).toBe("HIT");
    expect(nebuly.callsFor(ID)).toHaveLength(1);
    expect(nebuly.callsFor(ID)[0].authorization).toBe(`Bearer ${NEBULY_TEST_KEY}`);
  });

  test("normalises an upper-case id", async ({ request }) => {
    const id = randomUUID();
    nebuly.serveInteraction(id);
    const response = await request.get(`${app.url}/api/interactions/${id.toUpperCase()}`);
    expect(response.status()).toBe(200);
    expect(nebuly.callsFor(id)).toHaveLength(1);
  });

  test("refetches on ?refresh=1 even when the copy is fresh", async ({ request }) => {
    const id = randomUUID();
    nebuly.serveInteraction(id, { topic: "Old" });
    await request.get(`${app.url}/api/interactions/${id}`);
    nebuly.serveInteraction(id, { topic: "New" });
    const refreshed = await request.get(`${app.url}/api/interactions/${id}?refresh=1`);
    expect(refreshed.headers()["x-cache"]).toBe("MISS");
    expect((await refreshed.json()).topic).toBe("New");
    expect(nebuly.callsFor(id)).toHaveLength(2);
  });

  const malformed = [
    "abc",
    "12345",
    `${ID}x`,
    "..%2F..%2Fetc%2Fpasswd",
    "1%27%20OR%201%3D1",
    "%3Cscript%3E",
    "6d1c0f7e3b2a4c5d8e9f0a1b2c3d4e5f",
    "%E2%80%AE6d1c0f7e-3b2a-4c5d-8e9f-0a1b2c3d4e5f",
  ];
  for (const bad of malformed) {
    test(`rejects the malformed id ${bad} without calling Nebuly`, async ({ request }) => {
      const before = nebuly.calls.length;
      const response = await request.get(`${app.url}/api/interactions/${bad}`);
      expect(response.status()).toBe(400);
      expect((await response.json()).error.code).toBe("invalid_interaction_id");
      expect(nebuly.calls.length).toBe(before);
    });
  }

  const failures: { name: string; reply: FakeReply; status: number; code: string }[] = [
    { name: "unknown interaction", reply: { status: 404, body: { detail: "nope" } }, status: 404, code: "not_found" },
    { name: "rejected key (401)", reply: { status: 401 }, status: 502, code: "upstream_auth_failed" },
    { name: "forbidden key (403)", reply: { status: 403 }, status: 502, code: "upstream_auth_failed" },
    { name: "persistent 500", reply: { status: 500, body: "Internal error" }, status: 502, code: "upstream_error" },
    { name: "invalid JSON", reply: { body: "<html>proxy error</html>" }, status: 502, code: "upstream_error" },
    { name: "body without id", reply: { body: { topic: "x" } }, status: 502, code: "upstream_error" },
    { name: "slow upstream", reply: { delayMs: 2_500, body: {} }, status: 504, code: "upstream_timeout" },
    { name: "rate limit", reply: { status: 429, headers: { "Retry-After": "30" } }, status: 503, code: "upstream_rate_limited" },
  ];
  for (const failure of failures) {
    test(`maps ${failure.name} to ${failure.status} ${failure.code}`, async ({ request }) => {
      const id = randomUUID();
      nebuly.script(id, [failure.reply]);
      const response = await request.get(`${app.url}/api/interactions/${id}`);
      expect(response.status()).toBe(failure.status);
      const body = await response.json();
      expect(body).toEqual({ error: { code: failure.code, message: expect.any(String) } });
      expect(body.error.message).not.toMatch(/at .*\.js|node_modules|Error:/);
      await expectNoKey(response);
      if (failure.code === "upstream_rate_limited") expect(response.headers()["retry-after"]).toBe("30");
      if (failure.code === "upstream_auth_failed") expect(body.error.message).toContain("NEBULY_API_KEY");
    });
  }

  test("retries a 503 and a 429 with Retry-After, then succeeds", async ({ request }) => {
    const id = randomUUID();
    nebuly.script(id, [{ status: 503 }, { status: 429, headers: { "Retry-After": "1" } }, { body: { id } }]);
    const started = Date.now();
    const response = await request.get(`${app.url}/api/interactions/${id}`);
    expect(response.status()).toBe(200);
    expect(nebuly.callsFor(id)).toHaveLength(3);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_000);
  });

  test("makes one upstream call for concurrent cold requests", async ({ request }) => {
    const id = randomUUID();
    nebuly.script(id, [{ delayMs: 400, body: { id } }]);
    const responses = await Promise.all(
      Array.from({ length: 12 }, () => request.get(`${app.url}/api/interactions/${id}`)),
    );
    expect(responses.map((response) => response.status())).toEqual(Array(12).fill(200));
    expect(nebuly.callsFor(id)).toHaveLength(1);
  });

  test("serves the cached copy as STALE when Nebuly fails", async ({ request }) => {
    const id = randomUUID();
    nebuly.serveInteraction(id, { topic: "Kept" });
    await request.get(`${app.url}/api/interactions/${id}`);
    for (const reply of [{ status: 500 }, { status: 404 }, { status: 401 }, { delayMs: 2_500, body: {} }]) {
      nebuly.script(id, [reply]);
      const response = await request.get(`${app.url}/api/interactions/${id}?refresh=1`);
      expect(response.status()).toBe(200);
      expect(response.headers()["x-cache"]).toBe("STALE");
      expect((await response.json()).topic).toBe("Kept");
    }
  });

  test("answers an unsupported method without a stack trace", async ({ request }) => {
    const response = await request.post(`${app.url}/api/interactions/${ID}`, { headers: { Origin: app.url } });
    expect(response.status()).toBe(405);
    expect(await response.text()).not.toContain("node_modules");
  });
});

test.describe("cache expiry", () => {
  let live: LiveApp;
  let nebuly: FakeNebuly;
  let app: AppServer;

  test.beforeAll(async () => {
    live = await startLiveApp("ttl", [], { CACHE_TTL_SECONDS: "1" });
    ({ nebuly, app } = live);
  });

  test.afterAll(async () => {
    await live?.stop();
  });

  test("serves an expired copy as STALE and refreshes it behind the response", async ({ request }) => {
    nebuly.serveInteraction(ID, { topic: "v1" });
    expect((await request.get(`${app.url}/api/interactions/${ID}`)).headers()["x-cache"]).toBe("MISS");
    nebuly.serveInteraction(ID, { topic: "v2" });
    const read = async () => {
      const response = await request.get(`${app.url}/api/interactions/${ID}`);
      return { cache: response.headers()["x-cache"], topic: (await response.json()).topic as string };
    };
    // Until the 1 s TTL passes the copy is a HIT; the first read after it is the old copy, at once.
    const seen: { cache: string; topic: string }[] = [];
    await expect
      .poll(async () => {
        seen.push(await read());
        return seen.at(-1)!.cache;
      }, { timeout: 10_000 })
      .toBe("STALE");
    expect(seen.at(-1)!.topic).toBe("v1");
    expect(seen.slice(0, -1).every((entry) => entry.cache === "HIT" && entry.topic === "v1")).toBe(true);
    // ...and the refresh it started behind the response lands.
    await expect.poll(async () => (await read()).topic).toBe("v2");
  });
});
