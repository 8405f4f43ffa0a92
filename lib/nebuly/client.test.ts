import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { createNebulyClient, DETAIL_PATH } from "./client";

const ID = "0b6f3c1e-8a2d-4f57-9c1e-2d7a4b9e6f01";
const KEY = "unit-test-secret-key-0123456789";

type Reply = Response | Error | (() => Promise<Response>);

/** A scripted upstream with a virtual clock: sleeps advance time instantly and are recorded. */
function harness(replies: Reply[], timeoutMs = 1_000) {
  let clock = 0;
  const calls: { url: string; auth: string | null }[] = [];
  const sleeps: number[] = [];
  const client = createNebulyClient({
    baseUrl: "http://nebuly.test",
    apiKey: KEY,
    timeoutMs,
    now: () => clock,
    random: () => 0.5,
    sleep: async (ms) => {
      sleeps.push(ms);
      clock += ms;
    },
    fetch: async (input, init) => {
      calls.push({ url: String(input), auth: new Headers(init?.headers).get("authorization") });
      const reply = replies[Math.min(calls.length - 1, replies.length - 1)];
      if (reply instanceof Error) throw reply;
      return typeof reply === "function" ? reply() : reply.clone();
    },
  });
  return { client, calls, sleeps, elapsed: () => clock };
}

async function failure(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

const ok = () => Response.json({ id: ID, topic: "Billing" });

describe("NebulyClient.getInteraction", () => {
  it("sends the key as a bearer token to the detail-v2 path", async () => {
    const { client, calls } = harness([ok()]);
    const result = await client.getInteraction(ID);
    expect(result.interaction.topic).toBe("Billing");
    expect(calls).toEqual([{ url: `http://nebuly.test${DETAIL_PATH}${ID}`, auth: `Bearer ${KEY}` }]);
  });

  it("keeps the body exactly as received", async () => {
    const body = `{"id":"${ID}","future_field":{"a":1},  "topic":"x"}`;
    const { client } = harness([new Response(body, { status: 200 })]);
    expect((await client.getInteraction(ID)).rawJson).toBe(body);
  });

  it("retries 5xx and network errors, then succeeds", async () => {
    const { client, calls } = harness([new Response("", { status: 503 }), new TypeError("fetch failed"), ok()]);
    await client.getInteraction(ID);
    expect(calls).toHaveLength(3);
  });

  it("honours Retry-After on 429", async () => {
    const { client, sleeps } = harness([new Response("", { status: 429, headers: { "Retry-After": "1" } }), ok()]);
    await client.getInteraction(ID);
    expect(sleeps).toEqual([1_000]);
  });

  it("gives up with upstream_rate_limited and a Retry-After when the wait would overrun the budget", async () => {
    const { client, calls, sleeps } = harness([new Response("", { status: 429, headers: { "Retry-After": "30" } })]);
    const error = await failure(client.getInteraction(ID));
    expect(error.code).toBe("upstream_rate_limited");
    expect(error.retryAfterSeconds).toBe(30);
    expect(calls).toHaveLength(1);
    expect(sleeps).toEqual([]);
  });

  it("stops retrying a persistent 5xx within about twice the timeout", async () => {
    const { client, calls, elapsed } = harness([new Response("", { status: 502 })], 300);
    const error = await failure(client.getInteraction(ID));
    expect(error.code).toBe("upstream_error");
    expect(calls.length).toBeGreaterThan(1);
    expect(calls.length).toBeLessThanOrEqual(4);
    expect(elapsed()).toBeLessThanOrEqual(600);
  });

  it.each([
    [401, "upstream_auth_failed"],
    [403, "upstream_auth_failed"],
    [404, "not_found"],
    [400, "upstream_error"],
  ] as const)("maps HTTP %i to %s without retrying", async (status, code) => {
    const { client, calls } = harness([new Response("", { status })]);
    const error = await failure(client.getInteraction(ID));
    expect(error.code).toBe(code);
    expect(calls).toHaveLength(1);
    expect(error.message).not.toContain(KEY);
  });

  it("tells the operator to check NEBULY_API_KEY on auth failure", async () => {
    const { client } = harness([new Response("", { status: 401 })]);
    expect((await failure(client.getInteraction(ID))).message).toMatch(/NEBULY_API_KEY/);
  });

  it.each([
    ["invalid JSON", new Response("<html>oops</html>", { status: 200 })],
    ["a body without an id", Response.json({ topic: "x" })],
    ["another interaction", Response.json({ id: "11111111-1111-4111-8111-111111111111" })],
    ["a JSON array", Response.json([])],
  ])("rejects %s as upstream_error", async (_label, response) => {
    const { client } = harness([response]);
    expect((await failure(client.getInteraction(ID))).code).toBe("upstream_error");
  });

  it("times out a slow upstream with upstream_timeout", async () => {
    const client = createNebulyClient({
      baseUrl: "http://nebuly.test",
      apiKey: KEY,
      timeoutMs: 50,
      fetch: (_input, init) =>
        new Promise((_resolve, reject) => {
          init?.signal?.addEventListener("abort", () => reject(new DOMException("aborted", "AbortError")));
        }),
    });
    expect((await failure(client.getInteraction(ID))).code).toBe("upstream_timeout");
  });
});

describe("NebulyClient.listInteractions", () => {
  it("posts the filter body and parses the page", async () => {
    let sentBody = "";
    const client = createNebulyClient({
      baseUrl: "http://nebuly.test",
      apiKey: KEY,
      timeoutMs: 1_000,
      fetch: async (_input, init) => {
        sentBody = String(init?.body);
        return Response.json({ total: 1, offset: 0, limit: 10, data: [{ id: ID, input_text: "hi" }] });
      },
    });
    const request = {
      time_range: { start: "2026-11-01T00:00:00Z", end: "2026-11-02T00:00:00Z" },
      filters: [{ kind: "user", values: ["a"] }],
      limit: 10,
      offset: 0,
    };
    const page = await client.listInteractions(request);
    expect(JSON.parse(sentBody)).toEqual(request);
    expect(page.total).toBe(1);
  });
});

describe("NebulyClient.getInteraction cancelled by its caller (another project answered first)", () => {
  /** An upstream that answers only what the test says, and rejects like fetch when its request is aborted. */
  function cancellable(options: { firstStatus?: number } = {}) {
    const fetches: AbortSignal[] = [];
    const sleeps: number[] = [];
    const client = createNebulyClient({
      baseUrl: "http://nebuly.test",
      apiKey: KEY,
      timeoutMs: 5_000,
      random: () => 0.5,
      // A wait between retries that only a cancel can cut short.
      sleep: (ms) => {
        sleeps.push(ms);
        return new Promise(() => undefined);
      },
      fetch: (_input, init) => {
        fetches.push(init!.signal!);
        if (options.firstStatus && fetches.length === 1) return Promise.resolve(new Response("", { status: options.firstStatus }));
        return new Promise((_resolve, reject) => {
          init?.signal?.addEventListener("abort", () => reject(new DOMException("aborted", "AbortError")));
        });
      },
    });
    return { client, fetches, sleeps };
  }

  const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

  it("stops a request in flight with upstream_cancelled, aborts it upstream and does not retry", async () => {
    const { client, fetches } = cancellable();
    const caller = new AbortController();
    const pending = client.getInteraction(ID, { signal: caller.signal });
    await tick();
    expect(fetches).toHaveLength(1);
    caller.abort();
    expect((await failure(pending)).code).toBe("upstream_cancelled");
    expect(fetches[0]!.aborted).toBe(true);
    await tick();
    expect(fetches).toHaveLength(1);
  });

  it("stops during the wait before a retry, without another attempt", async () => {
    const { client, fetches, sleeps } = cancellable({ firstStatus: 503 });
    const caller = new AbortController();
    const pending = client.getInteraction(ID, { signal: caller.signal });
    await tick();
    expect(sleeps).toHaveLength(1);
    caller.abort();
    expect((await failure(pending)).code).toBe("upstream_cancelled");
    await tick();
    expect(fetches).toHaveLength(1);
  });

  it("never calls upstream for a signal already aborted", async () => {
    const { client, fetches } = cancellable();
    const caller = new AbortController();
    caller.abort();
    expect((await failure(client.getInteraction(ID, { signal: caller.signal }))).code).toBe("upstream_cancelled");
    expect(fetches).toHaveLength(0);
  });

  it("names the project's key (keyName) in an auth failure, never the key itself", async () => {
    const client = createNebulyClient({
      baseUrl: "http://nebuly.test",
      apiKey: KEY,
      timeoutMs: 1_000,
      keyName: 'NEBULY_PROJECTS[1] ("sales").apiKey',
      fetch: async () => new Response("", { status: 403 }),
    });
    const error = await failure(client.getInteraction(ID));
    expect(error.code).toBe("upstream_auth_failed");
    expect(error.message).toContain('Check NEBULY_PROJECTS[1] ("sales").apiKey in the server configuration');
    expect(error.message).not.toContain("NEBULY_API_KEY");
    expect(error.message).not.toContain(KEY);
  });
});
