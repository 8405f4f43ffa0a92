import { describe, expect, it } from "vitest";
import { createMetrics } from "./metrics";
import { metricsAccessAllowed } from "./metrics-access";

const TOKEN = "metrics-token-0123456789abcdef";

describe("createMetrics", () => {
  it("counts requests by method, route pattern and status, with their durations", async () => {
    const metrics = createMetrics({ snapshotCount: async () => 0, databaseBytes: async () => 0 });
    metrics.recordRequest({ method: "GET", route: "/interactions/[id]", status: 200, durationSeconds: 0.02 });
    metrics.recordRequest({ method: "GET", route: "/interactions/[id]", status: 200, durationSeconds: 0.3 });
    metrics.recordRequest({ method: "GET", route: "/interactions/[id]", status: 404, durationSeconds: 0.01 });
    const text = await metrics.registry.metrics();
    expect(text).toContain('inspector_http_requests_total{method="GET",route="/interactions/[id]",status="200"} 2');
    expect(text).toContain('inspector_http_requests_total{method="GET",route="/interactions/[id]",status="404"} 1');
    expect(text).toContain('inspector_http_request_duration_seconds_bucket{le="0.025",method="GET",route="/interactions/[id]"} 2');
    expect(text).toContain('inspector_http_request_duration_seconds_count{method="GET",route="/interactions/[id]"} 3');
  });

  it("reads the snapshot count and database size when scraped, not before", async () => {
    let snapshots = 3;
    const metrics = createMetrics({ snapshotCount: async () => snapshots, databaseBytes: async () => 8_192 });
    expect(await metrics.registry.metrics()).toContain("inspector_snapshots 3");
    snapshots = 4;
    const text = await metrics.registry.metrics();
    expect(text).toContain("inspector_snapshots 4");
    expect(text).toContain("inspector_database_size_bytes 8192");
  });

  it("still answers a scrape when the store cannot (Postgres down), without those two values", async () => {
    let down = true;
    const unreachable = () => Promise.reject(Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED" }));
    const metrics = createMetrics({ snapshotCount: () => (down ? unreachable() : Promise.resolve(5)), databaseBytes: () => (down ? unreachable() : Promise.resolve(4_096)) });
    metrics.shareLinkViews.inc();
    const text = await metrics.registry.metrics();
    expect(text).toContain("inspector_share_link_views_total 1");
    expect(text).toMatch(/^inspector_snapshots Nan$/m);
    expect(text).toMatch(/^inspector_database_size_bytes Nan$/m);
    down = false;
    const back = await metrics.registry.metrics();
    expect(back).toContain("inspector_snapshots 5");
    expect(back).toContain("inspector_database_size_bytes 4096");
  });

  it("says whether the database answered during the scrape, and how this process's Postgres pool is used", async () => {
    let down = false;
    const metrics = createMetrics({
      snapshotCount: async () => 0,
      databaseBytes: async () => 0,
      pingDatabase: () => (down ? Promise.reject(new Error("connect ECONNREFUSED")) : Promise.resolve()),
      databasePool: () => ({ open: 4, idle: 1, waiting: 2 }),
    });
    const up = await metrics.registry.metrics();
    expect(up).toMatch(/^inspector_database_up 1$/m);
    expect(up).toContain('inspector_database_connections{state="open"} 4');
    expect(up).toContain('inspector_database_connections{state="idle"} 1');
    expect(up).toContain('inspector_database_connections{state="waiting"} 2');
    down = true;
    expect(await metrics.registry.metrics()).toMatch(/^inspector_database_up 0$/m);
  });

  it("has no connection series on SQLite, which has no pool", async () => {
    const metrics = createMetrics({ snapshotCount: async () => 0, databaseBytes: async () => 0, databasePool: () => null });
    expect(await metrics.registry.metrics()).not.toContain("inspector_database_connections{");
  });

  it("lists every metric the README documents, and Node's process metrics", async () => {
    const metrics = createMetrics({ snapshotCount: async () => 0, databaseBytes: async () => 0 });
    metrics.upstreamCalls.inc({ operation: "detail", outcome: "ok" });
    metrics.upstreamDuration.observe({ operation: "detail", outcome: "ok" }, 0.2);
    metrics.upstreamAttempts.inc({ result: "2xx" });
    metrics.cacheResults.inc({ result: "hit" });
    metrics.singleFlightJoins.inc();
    metrics.rateLimitRejections.inc();
    metrics.loginThrottleRejections.inc();
    metrics.shareLinkViews.inc();
    metrics.searchesUnanswered.inc({ reason: "busy" });
    const text = await metrics.registry.metrics();
    for (const name of [
      "inspector_http_requests_total",
      "inspector_http_request_duration_seconds",
      "inspector_upstream_requests_total",
      "inspector_upstream_request_duration_seconds",
      "inspector_upstream_attempts_total",
      "inspector_cache_results_total",
      "inspector_single_flight_joins_total",
      "inspector_rate_limit_rejections_total",
      "inspector_login_throttle_rejections_total",
      "inspector_share_link_views_total",
      "inspector_snapshots",
      "inspector_database_size_bytes",
      "inspector_database_up",
      "inspector_searches_unanswered_total",
      "process_cpu_seconds_total",
      "process_resident_memory_bytes",
      "nodejs_eventloop_lag_seconds",
    ]) {
      expect(text, name).toMatch(new RegExp(`^# TYPE ${name} `, "m"));
    }
    expect(text).toContain('inspector_upstream_requests_total{operation="detail",outcome="ok"} 1');
    expect(text).toContain('inspector_cache_results_total{result="hit"} 1');
  });

  it("keeps two instances apart (one per process is metrics()'s job)", async () => {
    const first = createMetrics({ snapshotCount: async () => 0, databaseBytes: async () => 0 });
    const second = createMetrics({ snapshotCount: async () => 0, databaseBytes: async () => 0 });
    first.shareLinkViews.inc();
    expect(await second.registry.metrics()).toContain("inspector_share_link_views_total 0");
  });
});

describe("metricsAccessAllowed", () => {
  it("needs METRICS_TOKEN set and sent as a bearer token", () => {
    expect(metricsAccessAllowed(`Bearer ${TOKEN}`, TOKEN)).toBe(true);
    expect(metricsAccessAllowed(`bearer ${TOKEN}`, TOKEN)).toBe(true);
  });

  it.each([
    ["no token configured", `Bearer ${TOKEN}`, undefined],
    ["no header", null, TOKEN],
    ["an empty header", "", TOKEN],
    ["the token without its scheme", TOKEN, TOKEN],
    ["another scheme", `Basic ${TOKEN}`, TOKEN],
    ["a wrong token of the same length", `Bearer ${TOKEN.slice(0, -1)}X`, TOKEN],
    ["a prefix of the token", `Bearer ${TOKEN.slice(0, -1)}`, TOKEN],
    ["the token and more", `Bearer ${TOKEN}x`, TOKEN],
    ["two tokens", `Bearer ${TOKEN} ${TOKEN}`, TOKEN],
    ["an empty bearer", "Bearer ", TOKEN],
  ])("refuses %s", (_case, header, token) => {
    expect(metricsAccessAllowed(header, token)).toBe(false);
  });
});
