import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { createNebulyClient, type NebulyClient } from "./client";
import { observeFetch, observeNebulyClient, type NebulyAttemptResult, type NebulyCallEvent } from "./observed";

const ID = "0b6f3c1e-8a2d-4f57-9c1e-2d7a4b9e6f01";
const KEY = "observed-test-key-5d1e";

function failingClient(error: unknown): NebulyClient {
  return {
    getInteraction: () => Promise.reject(error),
    listInteractions: () => Promise.reject(error),
  };
}

describe("observeNebulyClient", () => {
  it("reports each call's outcome by its error code, and its duration", async () => {
    const events: NebulyCallEvent[] = [];
    let clock = 0;
    const cases: [unknown, NebulyCallEvent["outcome"]][] = [
      [new AppError("not_found", "x"), "not_found"],
      [new AppError("upstream_auth_failed", "x"), "auth_failed"],
      [new AppError("upstream_rate_limited", "x"), "rate_limited"],
      [new AppError("upstream_timeout", "x"), "timeout"],
      [new AppError("upstream_cancelled", "x"), "cancelled"],
      [new AppError("upstream_error", "x"), "error"],
      [new Error("bug"), "error"],
    ];
    for (const [error] of cases) {
      const client = observeNebulyClient(failingClient(error), (event) => events.push(event), () => (clock += 250));
      await expect(client.getInteraction(ID)).rejects.toBe(error);
    }
    expect(events.map((event) => event.outcome)).toEqual(cases.map(([, outcome]) => outcome));
    expect(events.every((event) => event.operation === "detail" && event.durationMs === 250)).toBe(true);
  });

  it("reports success, and the list as its own operation", async () => {
    const events: NebulyCallEvent[] = [];
    const inner: NebulyClient = {
      getInteraction: () => Promise.reject(new Error("unused")),
      listInteractions: async () => ({ total: 0, offset: 0, limit: 25, data: [] }) as never,
    };
    await observeNebulyClient(inner, (event) => events.push(event)).listInteractions({} as never);
    expect(events).toEqual([expect.objectContaining({ operation: "list", outcome: "ok" })]);
  });
});

describe("observeFetch", () => {
  it("counts every attempt of a retried call, and never sees more than a result word", async () => {
    const attempts: NebulyAttemptResult[] = [];
    const statuses = [503, 429, 200];
    const fetchStub: typeof fetch = async () => {
      const status = statuses.shift()!;
      return new Response(status === 200 ? JSON.stringify({ id: ID }) : "{}", { status });
    };
    const client = createNebulyClient({
      baseUrl: "http://nebuly.invalid",
      apiKey: KEY,
      timeoutMs: 1_000,
      fetch: observeFetch(fetchStub, (result) => attempts.push(result)),
      sleep: async () => {},
    });
    await client.getInteraction(ID);
    expect(attempts).toEqual(["5xx", "429", "2xx"]);
    expect(JSON.stringify(attempts)).not.toContain(KEY);
  });

  it("tells a timeout from a network failure", async () => {
    const attempts: NebulyAttemptResult[] = [];
    const observed = observeFetch(async () => {
      throw new TypeError("fetch failed");
    }, (result) => attempts.push(result));
    const aborted = new AbortController();
    aborted.abort();
    await expect(observed("http://x.invalid", { signal: aborted.signal })).rejects.toThrow();
    await expect(observed("http://x.invalid", {})).rejects.toThrow();
    expect(attempts).toEqual(["timeout", "network"]);
  });

  it("files 4xx apart from 429", async () => {
    const attempts: NebulyAttemptResult[] = [];
    for (const status of [404, 401, 429]) {
      await observeFetch(async () => new Response(null, { status }), (result) => attempts.push(result))("http://x.invalid");
    }
    expect(attempts).toEqual(["4xx", "4xx", "429"]);
  });
});

describe("observeNebulyClient passes the caller's signal on", () => {
  it("so a fan-out can still cancel an observed client's call", async () => {
    let seen: AbortSignal | undefined;
    const inner: NebulyClient = {
      getInteraction: (_id, options) => {
        seen = options?.signal;
        return Promise.reject(new AppError("upstream_cancelled", "cancelled"));
      },
      listInteractions: () => Promise.reject(new Error("unused")),
    };
    const caller = new AbortController();
    await expect(observeNebulyClient(inner, () => undefined).getInteraction(ID, { signal: caller.signal })).rejects.toMatchObject({ code: "upstream_cancelled" });
    expect(seen).toBe(caller.signal);
  });
});
