import "server-only";
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import { getStore } from "@/db/client";
import { pingStore, snapshotCount, storeBytes } from "@/db/probe";
import { logger } from "@/lib/logger";
import { allProjects, keyStateOf } from "@/lib/projects";
import { loggableError } from "@/db/availability";

/**
 * The Prometheus metrics (served at /metrics, see app/metrics/route.ts). One registry per process,
 * kept on globalThis: Next may load this module once per route bundle, and a second registry would
 * split the counts (or register every metric twice).
 *
 * Labels take values from fixed sets only (route patterns, outcomes, status codes the app chose,
 * the slugs of configured projects), never from what a request carries, so the number of series stays bounded whatever clients send.
 */

/** What the access log passes on for each finished request (see lib/ops/access-log.mjs). */
interface FinishedRequest {
  method: string;
  route: string;
  status: number;
  durationSeconds: number;
}

export interface MetricsSources {
  /** Snapshots in the cache, read at scrape time. */
  snapshotCount(): Promise<number>;
  /** Bytes the database takes on disk, read at scrape time. */
  databaseBytes(): Promise<number>;
  /** Each configured project's slug and whether Nebuly refused its key last (never the key). */
  projectKeys?(): { project: string; refused: boolean }[];
  /** Resolves when the store answers a query now; rejects when it cannot. */
  pingDatabase?(): Promise<void>;
  /** Postgres only: this process's pool, now (open connections, idle ones, requests waiting for one). */
  databasePool?(): { open: number; idle: number; waiting: number } | null;
}

/** How long the scrape waits for the database to answer before reporting it down. */
const PING_TIMEOUT_MS = 3_000;

export function createMetrics(sources: MetricsSources) {
  const registry = new Registry();
  const registers = [registry];
  collectDefaultMetrics({ register: registry });
  const metrics = {
    registry,
    httpRequests: new Counter({
      name: "inspector_http_requests_total",
      help: "HTTP requests answered, by method, route pattern and status code.",
      labelNames: ["method", "route", "status"] as const,
      registers,
    }),
    httpDuration: new Histogram({
      name: "inspector_http_request_duration_seconds",
      help: "Time from a request's arrival to the end of its response, by method and route pattern.",
      labelNames: ["method", "route"] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    }),
    upstreamCalls: new Counter({
      name: "inspector_upstream_requests_total",
      help: "Calls to Nebuly's API (retries included in one call), by operation, outcome and configured project.",
      labelNames: ["operation", "outcome", "project"] as const,
      registers,
    }),
    upstreamDuration: new Histogram({
      name: "inspector_upstream_request_duration_seconds",
      help: "Duration of calls to Nebuly's API, retries and backoff included, by operation and outcome.",
      labelNames: ["operation", "outcome"] as const,
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30],
      registers,
    }),
    upstreamAttempts: new Counter({
      name: "inspector_upstream_attempts_total",
      help: "HTTP attempts sent to Nebuly (more than calls when it is retried), by result.",
      labelNames: ["result"] as const,
      registers,
    }),
    cacheResults: new Counter({
      name: "inspector_cache_results_total",
      help: "Requests that read an interaction, by how the snapshot cache answered (hit, miss, stale).",
      labelNames: ["result"] as const,
      registers,
    }),
    singleFlightJoins: new Counter({
      name: "inspector_single_flight_joins_total",
      help: "Interaction fetches that joined a Nebuly call already in flight for the same id instead of making their own.",
      registers,
    }),
    rateLimitRejections: new Counter({
      name: "inspector_rate_limit_rejections_total",
      help: "Requests refused with 429 because their client spent its RATE_LIMIT_PER_MINUTE budget.",
      registers,
    }),
    loginThrottleRejections: new Counter({
      name: "inspector_login_throttle_rejections_total",
      help: "Sign-in attempts refused with 429 by the sign-in throttle.",
      registers,
    }),
    searchesUnanswered: new Counter({
      name: "inspector_searches_unanswered_total",
      help: "Typed /cached searches not answered: reason busy (too many running, not started) or too_slow (stopped at their budget).",
      labelNames: ["reason"] as const,
      registers,
    }),
    shareLinkViews: new Counter({
      name: "inspector_share_link_views_total",
      help: "Share views opened (valid, live links only).",
      registers,
    }),
  };
  new Gauge({
    name: "inspector_snapshots",
    help: "Interaction snapshots in the cache.",
    registers,
    // A store that cannot answer (Postgres down) reads as NaN ("unknown"): the scrape itself still works.
    async collect() {
      this.set(await sources.snapshotCount().catch(() => NaN));
    },
  });
  new Gauge({
    name: "inspector_nebuly_key_refused",
    help: "1 when Nebuly refused a configured project's API key on its last call (401/403), 0 otherwise, by project slug.",
    labelNames: ["project"] as const,
    registers,
    collect() {
      this.reset();
      for (const { project, refused } of sources.projectKeys?.() ?? []) this.set({ project }, refused ? 1 : 0);
    },
  });
  new Gauge({
    name: "inspector_database_size_bytes",
    help: "Size of the database on disk: the SQLite file and its write-ahead log, or the Postgres database.",
    registers,
    async collect() {
      this.set(await sources.databaseBytes().catch(() => NaN));
    },
  });
  new Gauge({
    name: "inspector_database_up",
    help: "1 when the database answered a query during this scrape, 0 when it did not.",
    registers,
    async collect() {
      if (!sources.pingDatabase) return this.set(1);
      // Bounded: a pool with no free connection would hold the scrape past Prometheus's timeout.
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error("no answer")), PING_TIMEOUT_MS)));
      this.set(await Promise.race([sources.pingDatabase(), late]).then(() => 1, () => 0));
      clearTimeout(timer);
    },
  });
  new Gauge({
    name: "inspector_database_connections",
    help: "Postgres only: this process's pooled connections by state (open, idle), and requests waiting for one (waiting).",
    labelNames: ["state"] as const,
    registers,
    collect() {
      this.reset();
      const pool = sources.databasePool?.();
      if (!pool) return;
      for (const state of ["open", "idle", "waiting"] as const) this.set({ state }, pool[state]);
    },
  });
  return {
    ...metrics,
    /** Counts one finished HTTP request (called by the access log for every request). */
    recordRequest(request: FinishedRequest) {
      metrics.httpRequests.inc({ method: request.method, route: request.route, status: String(request.status) });
      metrics.httpDuration.observe({ method: request.method, route: request.route }, request.durationSeconds);
    },
  };
}

export type Metrics = ReturnType<typeof createMetrics>;

const METRICS = Symbol.for("interaction-inspector.metrics");
const FINISHED = Symbol.for("interaction-inspector.request-finished");

type Holder = Record<symbol, unknown>;

/** The process's metrics, made on first use (lib/startup.ts makes them at start, before any request). */
export function metrics(): Metrics {
  const holder = globalThis as Holder;
  if (!holder[METRICS]) {
    const created = createMetrics({
      snapshotCount: () => snapshotCount(getStore()),
      databaseBytes: () => storeBytes(getStore()),
      projectKeys: () => allProjects().map((project) => ({ project: project.slug, refused: keyStateOf(project.slug) === "auth_failed" })),
      pingDatabase: () => pingStore(getStore()),
      databasePool: () => {
        const store = getStore();
        if (store.dialect !== "postgres") return null;
        const pool = store.db.$client;
        return { open: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount };
      },
    });
    holder[METRICS] = created;
    // server.mjs's access log reports every finished request here (lib/ops/access-log.mjs).
    holder[FINISHED] ??= new Set();
    (holder[FINISHED] as Set<(request: FinishedRequest) => void>).add((request) => created.recordRequest(request));
  }
  return holder[METRICS] as Metrics;
}

/** The scrape: every metric in Prometheus's text format, the database figures read now. */
export async function scrapeMetrics(): Promise<{ body: string; contentType: string }> {
  const { registry } = metrics();
  try {
    return { body: await registry.metrics(), contentType: registry.contentType };
  } catch (error) {
    logger().error({ err: loggableError(error) }, "collecting metrics failed");
    throw error;
  }
}
