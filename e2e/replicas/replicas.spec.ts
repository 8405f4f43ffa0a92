import fs from "node:fs";
import http from "node:http";
import { randomUUID } from "node:crypto";
import { expect, test } from "@playwright/test";
import pg from "pg";
import { E2E_STORE, NEBULY_TEST_KEY, startApp, tempPostgresUrl, type AppServer } from "../support/app-server";
import { FakeNebuly } from "../support/fake-nebuly";
import { startTestPostgres } from "../../test/postgres-server";

/**
 * Two replicas of the app (two server processes, each on its own port) over ONE Postgres database
 * and one fake Nebuly: what they must share (sessions, share links, the budget, the sign-in
 * throttle, single-flight of upstream fetches), and how they ride out a replica's crash and a
 * Postgres restart. Clients are played by loopback addresses (the app's client is the TCP peer).
 */

test.skip(E2E_STORE !== "postgres", "replicas share a Postgres database: runs with E2E_STORE=postgres");

const PASSWORD = "correct-horse-battery";
const REQUEST_TIMEOUT_MS = 20_000;

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** One request on a connection of its own, from `localAddress` (default 127.0.0.1); rejects on a network error or after the timeout. */
function send(url: string, options: { method?: string; headers?: Record<string, string>; body?: string; localAddress?: string; timeoutMs?: number } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const request = http.request(url, { method: options.method ?? "GET", headers: options.headers, localAddress: options.localAddress, agent: false }, (response) => {
      let body = "";
      response.setEncoding("utf8");
      response.on("data", (chunk) => (body += chunk));
      response.on("end", () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body }));
      response.on("error", reject);
    });
    request.setTimeout(options.timeoutMs ?? REQUEST_TIMEOUT_MS, () => request.destroy(new Error(`no answer from ${url} within ${options.timeoutMs ?? REQUEST_TIMEOUT_MS} ms`)));
    request.on("error", reject);
    if (options.body !== undefined) request.write(options.body);
    request.end();
  });
}

/** A JSON write, from the app's own origin (the cross-site check wants it named). */
function sendJson(base: string, path: string, method: string, data: unknown, extra: { cookie?: string; localAddress?: string } = {}): Promise<Answer> {
  const headers: Record<string, string> = { "Content-Type": "application/json", Origin: base };
  if (extra.cookie) headers.Cookie = extra.cookie;
  return send(`${base}${path}`, { method, headers, body: data === undefined ? undefined : JSON.stringify(data), localAddress: extra.localAddress });
}

const errorCode = (answer: Answer) => (JSON.parse(answer.body) as { error?: { code?: string } }).error?.code;

/** Two replicas on one Postgres database, started together (as a rolling deploy or a scale-up would). */
async function startPair(env: Record<string, string>): Promise<AppServer[]> {
  const started = await Promise.allSettled([startApp(env), startApp(env)]);
  const apps = started.flatMap((result) => (result.status === "fulfilled" ? [result.value] : []));
  if (apps.length < 2) {
    await Promise.all(apps.map((app) => app.stop("SIGKILL")));
    throw new Error(started.map((result) => (result.status === "rejected" ? String(result.reason) : "")).join("\n"));
  }
  return apps;
}

async function stopAll(apps: (AppServer | undefined)[]) {
  await Promise.all(apps.map((app) => app?.stop()));
}

/** Polls `check` every 100 ms until it returns true or `timeoutMs` passes; returns whether it did. */
async function within(timeoutMs: number, check: () => Promise<boolean>): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check().catch(() => false)) return true;
    if (Date.now() >= deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The app's error log lines (for a failure's message). */
const errorLines = (app: AppServer) =>
  app
    .output()
    .split("\n")
    .filter((line) => /"level":(50|60)/.test(line))
    .slice(-5)
    .join("\n");

/** Whether the process is still alive (signal 0 checks without signalling). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** A cookie header made of the session cookies a sign-in answer set. */
function cookieOf(answer: Answer): string {
  return ([] as string[])
    .concat(answer.headers["set-cookie"] ?? [])
    .map((cookie) => cookie.split(";")[0])
    .join("; ");
}

interface LinkRow {
  id: string;
  views: number;
  status: string;
}

async function listLinks(base: string, cookie?: string): Promise<LinkRow[]> {
  const answer = await send(`${base}/api/share-links`, { headers: cookie ? { Cookie: cookie } : {} });
  expect(answer.status, answer.body).toBe(200);
  return (JSON.parse(answer.body) as { links: LinkRow[] }).links;
}

test.describe("two replicas, one database, open access", () => {
  let nebuly: FakeNebuly;
  let apps: AppServer[] = [];

  test.beforeAll(async () => {
    nebuly = await new FakeNebuly(NEBULY_TEST_KEY).start();
    apps = await startPair({ NEBULY_API_KEY: NEBULY_TEST_KEY, NEBULY_API_URL: nebuly.url, DATABASE_URL: tempPostgresUrl(), UPSTREAM_TIMEOUT_MS: "5000" });
  });

  test.afterAll(async () => {
    await stopAll(apps);
    await nebuly?.stop();
  });

  test("200 concurrent cold requests for one id over both replicas make exactly one Nebuly call; all answer 200 with the same body", async () => {
    test.setTimeout(60_000);
    const id = randomUUID();
    // Slow enough that every request arrives while the one fetch is still on its way.
    nebuly.script(id, [{ body: { id, topic: "stampede", output: "x".repeat(2_000) }, delayMs: 1_500 }]);
    const answers = await Promise.all(Array.from({ length: 200 }, (_, i) => send(`${apps[i % 2]!.url}/api/interactions/${id}`)));
    const failed = answers.filter((answer) => answer.status !== 200);
    expect(failed.map((answer) => answer.status), `${failed[0]?.body}\n${apps.map((app) => errorLines(app)).join("\n")}`).toEqual([]);
    expect(new Set(answers.map((answer) => answer.body)).size).toBe(1);
    expect(JSON.parse(answers[0]!.body)).toMatchObject({ id, topic: "stampede" });
    expect(nebuly.callsFor(id)).toHaveLength(1);
    // And a repeat after the storm, on either replica, is a cache hit: still one call.
    for (const app of apps) expect((await send(`${app.url}/api/interactions/${id}`)).headers["x-cache"]).toBe("HIT");
    expect(nebuly.callsFor(id)).toHaveLength(1);
  });

  test("a share link revoked on one replica is closed on the other at once; views on both add up exactly", async () => {
    const [a, b] = apps as [AppServer, AppServer];
    const id = randomUUID();
    nebuly.serveInteraction(id, { topic: "shared across replicas" });
    const create = async (base: string) => {
      const answer = await sendJson(base, "/api/share-links", "POST", { interactionId: id, expiresIn: "1d" });
      expect(answer.status, answer.body).toBe(201);
      const link = JSON.parse(answer.body) as { id: string; url: string };
      // The path is the same on every replica: the token, not the host, is the link.
      return { id: link.id, path: new URL(link.url).pathname };
    };

    const counted = await create(a.url);
    // 20 views at once, 10 on each replica.
    const views = await Promise.all(Array.from({ length: 20 }, (_, i) => send(`${apps[i % 2]!.url}${counted.path}`)));
    expect(views.map((view) => view.status)).toEqual(Array(20).fill(200));
    for (const base of [a.url, b.url]) expect((await listLinks(base)).find((link) => link.id === counted.id)?.views).toBe(20);

    const revoked = await create(b.url);
    for (const base of [a.url, b.url]) expect((await send(`${base}${revoked.path}`)).status).toBe(200);
    const revoke = await sendJson(a.url, `/api/share-links/${revoked.id}`, "DELETE", undefined);
    expect(revoke.status, revoke.body).toBe(204);
    // At once: the very next request to the other replica, no waiting for a cache to lapse.
    const closed = await send(`${b.url}${revoked.path}`);
    expect(closed.status).toBe(404);
    expect(closed.body).toContain("This link was revoked or has expired");
    expect((await send(`${a.url}${revoked.path}`)).status).toBe(404);
    expect((await listLinks(b.url)).find((link) => link.id === revoked.id)?.status).toBe("revoked");
  });
});

test.describe("two replicas, one database, behind the password", () => {
  let apps: AppServer[] = [];

  test.beforeAll(async () => {
    apps = await startPair({ DATABASE_URL: tempPostgresUrl(), INSPECTOR_PASSWORD: PASSWORD });
  });

  test.afterAll(async () => {
    await stopAll(apps);
  });

  const signIn = (base: string, password: string, localAddress: string) => sendJson(base, "/api/session", "POST", { password }, { localAddress });

  for (const [client, first] of [
    ["127.0.0.2", 0],
    ["127.0.0.3", 1],
  ] as const) {
    test(`sign-in failures count across replicas: the 6th from one client is 429 on replica ${first === 0 ? "B" : "A"} (client ${client})`, async () => {
      const order = [first, 1 - first];
      const statuses: number[] = [];
      for (let attempt = 0; attempt < 5; attempt++) statuses.push((await signIn(apps[order[attempt % 2]!]!.url, "wrong password", client)).status);
      expect(statuses).toEqual([401, 401, 401, 401, 401]);
      // The sixth goes to the replica that saw only two of the five.
      const sixth = await signIn(apps[order[1]!]!.url, "wrong password", client);
      expect(sixth.status).toBe(429);
      expect(Number(sixth.headers["retry-after"])).toBeGreaterThan(0);
      // And the other replica agrees.
      expect((await signIn(apps[order[0]!]!.url, "wrong password", client)).status).toBe(429);
    });
  }

  test("the throttle is per client: another client's wrong password is still 401 on both replicas", async () => {
    for (const app of apps) expect((await signIn(app.url, "wrong password", "127.0.0.4")).status).toBe(401);
  });

  test("a session opened on one replica is accepted by the other; signing out on the other ends it on both", async () => {
    const [a, b] = apps as [AppServer, AppServer];
    const signedIn = await signIn(a.url, PASSWORD, "127.0.0.1");
    expect(signedIn.status).toBe(204);
    const cookie = cookieOf(signedIn);
    expect(cookie).toMatch(/inspector_session=/);
    const status = async (base: string) => (await send(`${base}/api/share-links`, { headers: { Cookie: cookie } })).status;
    expect(await status(a.url)).toBe(200);
    expect(await status(b.url)).toBe(200);

    const other = cookieOf(await signIn(b.url, PASSWORD, "127.0.0.1"));
    const out = await send(`${b.url}/api/session`, { method: "DELETE", headers: { Cookie: cookie, Origin: b.url } });
    expect(out.status).toBe(204);
    expect(await status(a.url)).toBe(401);
    expect(await status(b.url)).toBe(401);
    // Only that session ended: the one opened on B goes on working on A.
    expect((await send(`${a.url}/api/share-links`, { headers: { Cookie: other } })).status).toBe(200);
  });
});

test("the per-client budget is counted across replicas", async () => {
  const nebuly = await new FakeNebuly(NEBULY_TEST_KEY).start();
  let apps: AppServer[] = [];
  try {
    const id = randomUUID();
    nebuly.serveInteraction(id);
    apps = await startPair({ NEBULY_API_KEY: NEBULY_TEST_KEY, NEBULY_API_URL: nebuly.url, DATABASE_URL: tempPostgresUrl(), RATE_LIMIT_PER_MINUTE: "6" });
    const spend = (i: number, localAddress: string) => send(`${apps[i % 2]!.url}/api/interactions/${id}`, { localAddress });
    const statuses: number[] = [];
    for (let i = 0; i < 9; i++) statuses.push((await spend(i, "127.0.0.6")).status);
    // Six in all, three on each, then 429 on both: neither replica has a budget of its own.
    expect(statuses).toEqual([200, 200, 200, 200, 200, 200, 429, 429, 429]);
    const refused = await spend(0, "127.0.0.6");
    expect(errorCode(refused)).toBe("rate_limited");
    expect(Number(refused.headers["retry-after"])).toBeGreaterThan(0);
    // Per client: another address still has its six.
    expect((await spend(1, "127.0.0.7")).status).toBe(200);
  } finally {
    await stopAll(apps);
    await nebuly.stop();
  }
});

test("SIGKILL of one replica during a burst of writes: the other serves every request, and every acknowledged write is kept", async () => {
  test.setTimeout(90_000);
  const nebuly = await new FakeNebuly(NEBULY_TEST_KEY).start();
  let apps: AppServer[] = [];
  try {
    const id = randomUUID();
    nebuly.serveInteraction(id, { topic: "burst" });
    apps = await startPair({ NEBULY_API_KEY: NEBULY_TEST_KEY, NEBULY_API_URL: nebuly.url, DATABASE_URL: tempPostgresUrl() });
    const [victim, survivor] = apps as [AppServer, AppServer];
    expect((await send(`${victim.url}/api/interactions/${id}`)).status).toBe(200);

    const acknowledged: { id: string; path: string; on: "victim" | "survivor" }[] = [];
    const survivorFailures: string[] = [];
    let killed = false;
    // Four writers per replica, each creating links one after another: on the victim until it is
    // gone, on the survivor until it has made 60 (well after the kill).
    const writer = async (target: AppServer, on: "victim" | "survivor") => {
      for (let n = 0; n < 40; n++) {
        try {
          const answer = await sendJson(target.url, "/api/share-links", "POST", { interactionId: id, expiresIn: "7d" });
          if (answer.status === 201) {
            const link = JSON.parse(answer.body) as { id: string; url: string };
            acknowledged.push({ id: link.id, path: new URL(link.url).pathname, on });
          } else if (on === "survivor") survivorFailures.push(`${answer.status} ${answer.body}`);
        } catch (error) {
          if (on === "survivor") survivorFailures.push(String(error));
          else if (killed) return; // cut off by the kill, or refused after it
          else throw error;
        }
        if (on === "survivor" && acknowledged.filter((link) => link.on === "survivor").length >= 60) return;
      }
    };
    const burst = Promise.all([
      ...Array.from({ length: 4 }, () => writer(victim, "victim")),
      ...Array.from({ length: 4 }, () => writer(survivor, "survivor")),
    ]);
    // Mid-burst: once the victim has acknowledged some writes.
    const deadline = Date.now() + 30_000;
    while (acknowledged.filter((link) => link.on === "victim").length < 10 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    killed = true;
    process.kill(victim.pid, "SIGKILL");
    await burst;
    expect(await victim.exited).toEqual({ code: null, signal: "SIGKILL" });

    expect(survivorFailures).toEqual([]);
    expect(acknowledged.filter((link) => link.on === "victim").length).toBeGreaterThanOrEqual(10);
    expect(acknowledged.filter((link) => link.on === "survivor").length).toBeGreaterThanOrEqual(60);
    // Every acknowledged link is listed, and opens, on the survivor.
    const listed = new Set((await listLinks(survivor.url)).map((link) => link.id));
    expect(acknowledged.filter((link) => !listed.has(link.id))).toEqual([]);
    for (const link of acknowledged.filter((each) => each.on === "victim")) expect((await send(`${survivor.url}${link.path}`)).status, link.path).toBe(200);
    // It still serves after the burst: reads, a fresh write, readiness.
    expect((await send(`${survivor.url}/api/interactions/${id}`)).status).toBe(200);
    expect((await send(`${survivor.url}/api/ready`)).status).toBe(200);
  } finally {
    await stopAll(apps);
    await nebuly.stop();
  }
});

test("Postgres stopped and started again mid-run: 503 storage_unavailable meanwhile, no replica exits, service resumes by itself", async () => {
  test.setTimeout(120_000);
  const postgres = await startTestPostgres({ persistent: true });
  const nebuly = await new FakeNebuly(NEBULY_TEST_KEY).start();
  let apps: AppServer[] = [];
  let postgresRunning = true;
  try {
    const admin = new pg.Client({ connectionString: postgres.adminUrl });
    await admin.connect();
    await admin.query("CREATE DATABASE inspector_restart");
    await admin.end();
    const databaseUrl = new URL(postgres.adminUrl);
    databaseUrl.pathname = "/inspector_restart";

    const id = randomUUID();
    nebuly.serveInteraction(id, { topic: "before the outage" });
    apps = await startPair({ NEBULY_API_KEY: NEBULY_TEST_KEY, NEBULY_API_URL: nebuly.url, DATABASE_URL: databaseUrl.toString() });
    const exited = apps.map(() => false);
    apps.forEach((app, i) => void app.exited.then(() => (exited[i] = true)));
    for (const app of apps) expect((await send(`${app.url}/api/interactions/${id}`)).status).toBe(200);
    const link = await sendJson(apps[0]!.url, "/api/share-links", "POST", { interactionId: id, expiresIn: "1d" });
    expect(link.status).toBe(201);
    const linkPath = new URL((JSON.parse(link.body) as { url: string }).url).pathname;

    await postgres.server.stop();
    postgresRunning = false;
    const api = async (app: AppServer) => {
      // The API: each route that needs the store says so, in one shape.
      for (const path of [`/api/interactions/${id}`, "/api/share-links", "/api/interactions"]) {
        const answer = await send(`${app.url}${path}`, { timeoutMs: 15_000 });
        expect(answer.status, `${path}: ${answer.body}`).toBe(503);
        expect(JSON.parse(answer.body)).toMatchObject({ error: { code: "storage_unavailable" } });
      }
      const write = await sendJson(app.url, "/api/share-links", "POST", { interactionId: id, expiresIn: "1d" });
      expect(write.status, write.body).toBe(503);
      expect(errorCode(write)).toBe("storage_unavailable");
    };
    const pages = async (app: AppServer) => {
      // Pages: a short 503 page, not a 500 or a page broken halfway.
      for (const path of ["/", `/interactions/${id}`, linkPath]) {
        const page = await send(`${app.url}${path}`, { timeoutMs: 15_000 });
        expect(page.status, path).toBe(503);
        expect(page.headers["content-type"], path).toContain("text/html");
      }
    };
    for (const [i, app] of apps.entries()) {
      // The first request after the loss: an API call on one replica, a page on the other.
      if (i === 0) await api(app).then(() => pages(app));
      else await pages(app).then(() => api(app));
      // Readiness fails (take it out of the balancer); liveness holds (a restart would not help).
      expect((await send(`${app.url}/api/ready`, { timeoutMs: 15_000 })).status).toBe(503);
      const health = await send(`${app.url}/api/health`, { timeoutMs: 15_000 });
      expect(health.status).toBe(200);
      expect(JSON.parse(health.body)).toMatchObject({ db: "unreachable" });
    }
    expect(exited).toEqual([false, false]);
    for (const app of apps) expect(alive(app.pid)).toBe(true);

    await postgres.server.start();
    postgresRunning = true;
    const startedAt = Date.now();
    for (const app of apps) {
      const back = await within(10_000, async () => (await send(`${app.url}/api/interactions/${id}`, { timeoutMs: 5_000 })).status === 200);
      expect(back, `${app.url} still not serving ${Date.now() - startedAt} ms after Postgres came back:\n${app.output().slice(-2_000)}`).toBe(true);
    }
    for (const app of apps) {
      expect((await send(`${app.url}/api/ready`)).status).toBe(200);
      expect(JSON.parse((await send(`${app.url}/api/health`)).body)).toMatchObject({ db: "ok" });
      expect((await send(`${app.url}${linkPath}`)).status).toBe(200);
      expect((await send(`${app.url}/`)).status).toBe(200);
      expect((await sendJson(app.url, "/api/share-links", "POST", { interactionId: id, expiresIn: "1d" })).status).toBe(201);
    }
    expect(exited).toEqual([false, false]);
  } finally {
    await stopAll(apps);
    await nebuly.stop();
    if (postgresRunning) await postgres.stop();
    fs.rmSync(postgres.databaseDir, { recursive: true, force: true });
  }
});
