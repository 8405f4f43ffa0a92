import http from "node:http";
import { randomBytes, randomUUID } from "node:crypto";
import { expect, test } from "@playwright/test";
import { E2E_STORE, NEBULY_TEST_KEY, startApp, tempDatabaseUrl, type AppServer } from "../support/app-server";
import { FakeNebuly } from "../support/fake-nebuly";
import { projectKey, projectsJson } from "../support/projects";
import { COMMON_WORDS, seedCommonRows } from "../../test/common-rows";

/**
 * Attacks on the Postgres store, each kept as the attempt that found it. Clients are played by
 * loopback addresses (the app's client is the TCP peer). See also the unit tests
 * lib/interactions/repository.postgres.attack.test.ts and lib/access/login-throttle.attack.test.ts; lib/interactions/search-gate.ts says how searches are gated.
 */

const PASSWORD = "correct-horse-battery";

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
  ms: number;
}

function send(url: string, options: { method?: string; headers?: Record<string, string>; body?: string; localAddress?: string; timeoutMs?: number } = {}): Promise<Answer> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const request = http.request(url, { method: options.method ?? "GET", headers: options.headers, localAddress: options.localAddress, agent: false }, (response) => {
      let body = "";
      response.setEncoding("utf8");
      response.on("data", (chunk) => (body += chunk));
      response.on("end", () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body, ms: Date.now() - started }));
      response.on("error", reject);
    });
    request.setTimeout(options.timeoutMs ?? 60_000, () => request.destroy(new Error(`no answer from ${url}`)));
    request.on("error", reject);
    if (options.body !== undefined) request.write(options.body);
    request.end();
  });
}

async function signIn(base: string, localAddress: string): Promise<string> {
  const answer = await send(`${base}/api/session`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Origin: base },
    body: JSON.stringify({ password: PASSWORD }),
    localAddress,
  });
  expect(answer.status, answer.body).toBe(204);
  return ([] as string[])
    .concat(answer.headers["set-cookie"] ?? [])
    .map((cookie) => cookie.split(";")[0])
    .join("; ");
}

/** 32 two-word phrases of words every row holds, in an order no row holds them, ORed (under the 32-item, 1,000-character cap). */
const COSTLY_SEARCH = Array.from({ length: 32 }, (_, i) => `"${COMMON_WORDS[i % 18]} ${COMMON_WORDS[(i + (i < 18 ? 0 : 1)) % 18]}"`).join(" OR ");

test.describe("a search flood against the shared database", () => {
  test.skip(E2E_STORE !== "postgres", "about the Postgres store: runs with E2E_STORE=postgres");

  let nebuly: FakeNebuly;
  let app: AppServer;

  test.beforeAll(async () => {
    test.setTimeout(180_000);
    nebuly = await new FakeNebuly(NEBULY_TEST_KEY).start();
    const databaseUrl = tempDatabaseUrl("search-flood");
    // A small pool, so that a handful of requests is enough here; the default (10) falls to a few more.
    app = await startApp({ NEBULY_API_KEY: NEBULY_TEST_KEY, NEBULY_API_URL: nebuly.url, DATABASE_URL: databaseUrl, INSPECTOR_PASSWORD: PASSWORD, DATABASE_POOL_MAX: "3" });
    await seedCommonRows(databaseUrl, 40_000, "default");
  });

  test.afterAll(async () => {
    await app?.stop();
    await nebuly?.stop();
  });

  test("one signed-in viewer's searches cannot make the database unavailable to everyone else", async () => {
    test.setTimeout(180_000);
    const attacker = await signIn(app.url, "127.0.0.5");
    const bystander = await signIn(app.url, "127.0.0.6");
    // /cached is outside the request budget: nothing limits how many of these one viewer sends.
    const flood = Array.from({ length: 8 }, () =>
      send(`${app.url}/cached?q=${encodeURIComponent(COSTLY_SEARCH)}`, { headers: { Cookie: attacker }, localAddress: "127.0.0.5" }).catch((error: Error) => ({
        status: 0,
        body: error.message,
        ms: 0,
        headers: {},
      })),
    );
    const seen: { projects: number; projectsMs: number; ready: number; body: string }[] = [];
    for (let i = 0; i < 6; i++) {
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      const [projects, ready] = await Promise.all([
        send(`${app.url}/api/projects`, { headers: { Cookie: bystander }, localAddress: "127.0.0.6" }),
        send(`${app.url}/api/ready`, { localAddress: "127.0.0.7" }),
      ]);
      seen.push({ projects: projects.status, projectsMs: projects.ms, ready: ready.status, body: projects.body.slice(0, 80) });
    }
    const searches = await Promise.all(flood);
    const report = `${seen.map((s) => `projects ${s.projects} in ${s.projectsMs} ms (${s.body}); ready ${s.ready}`).join("\n")}\nsearches: ${searches.map((answer) => `${answer.status} in ${answer.ms} ms`).join(", ")}`;
    // Every bystander request answered, promptly, and the replica stayed in the load balancer.
    expect(seen.filter((s) => s.projects !== 200 || s.projectsMs > 2_000 || s.ready !== 200), report).toEqual([]);
    // Each search is answered, in bounded time: run (at most its 1 s budget of database time),
    // or, past one running and one waiting per client, turned away at once with a way to retry.
    expect(searches.filter((answer) => answer.status !== 200 || answer.ms > 5_000).length, report).toBe(0);
    expect(searches.filter((answer) => answer.body.includes("Too many searches are running")).length, report).toBeGreaterThanOrEqual(4);
  });
});

test.describe("hostile field lengths from Nebuly", () => {
  let nebuly: FakeNebuly;
  let app: AppServer;

  test.beforeAll(async () => {
    nebuly = await new FakeNebuly(NEBULY_TEST_KEY).start();
    app = await startApp({ NEBULY_API_KEY: NEBULY_TEST_KEY, NEBULY_API_URL: nebuly.url, DATABASE_URL: tempDatabaseUrl("long-user") });
  });

  test.afterAll(async () => {
    await app?.stop();
    await nebuly?.stop();
  });

  test("an interaction whose user id is 3,000 characters opens (as on SQLite), and its conversation never reaches the log", async () => {
    const id = randomUUID();
    const marker = `PRIVATE-${randomBytes(6).toString("hex")}`;
    // Nebuly passes `user` (and conversation_id) through from the chatbot: an end user may choose it.
    nebuly.serveInteraction(id, {
      user: randomBytes(3_000).toString("base64").slice(0, 3_000),
      user_query: `${marker} what is my diagnosis`,
      conversation: [{ input: `${marker} what is my diagnosis`, output: "Please see a doctor." }],
    });
    const answer = await send(`${app.url}/api/interactions/${id}`);
    const page = await send(`${app.url}/interactions/${id}`);
    expect({ api: answer.status, page: page.status }, answer.body.slice(0, 200)).toEqual({ api: 200, page: 200 });
    // README (Monitoring): a log line never holds any interaction content.
    expect(app.output().includes(marker), "the conversation was written to the server log").toBe(false);
  });

  test("an interaction whose input is a long pasted document (10 M UTF-16 units) opens (as on SQLite), and its conversation never reaches the log", async () => {
    test.setTimeout(180_000);
    const id = randomUUID();
    const marker = `PRIVATE-${randomBytes(6).toString("hex")}`;
    // A person may paste a long document into a chatbot; Nebuly logs it whole. Words of characters
    // outside the BMP, all different: the most index work per character.
    let seed = 7;
    const next = () => (seed = (seed * 1_103_515_245 + 12_345) & 0x7fffffff) / 0x7fffffff;
    const char = () => String.fromCodePoint(0x20000 + Math.floor(next() * 42_000));
    const parts: string[] = [];
    for (let length = 0; length < 10_000_000; length += 8) parts.push(`${char()}${char()}-${char()} `);
    const document = parts.join("");
    nebuly.serveInteraction(id, { user_query: `${marker} summarise this`, conversation: [{ input: `${marker} ${document}`, output: "Here is a summary." }] });
    const answer = await send(`${app.url}/api/interactions/${id}`, { timeoutMs: 150_000 });
    // Soft: whatever the status, the log is checked too.
    expect.soft(answer.status, answer.body.slice(0, 200)).toBe(200);
    expect(app.output().includes(marker), "the conversation was written to the server log").toBe(false);
  });
});

test.describe("replicas whose project lists differ (a rolling deploy that adds a restricted project)", () => {
  test.skip(E2E_STORE !== "postgres", "replicas share a Postgres database: runs with E2E_STORE=postgres");

  const apps: AppServer[] = [];
  const fakes: FakeNebuly[] = [];

  test.afterAll(async () => {
    await Promise.all(apps.map((app) => app.stop()));
    await Promise.all(fakes.map((fake) => fake.stop()));
  });

  test("a replica that does not know the new project shows its snapshots to nobody (README: shown to nobody)", async () => {
    test.setTimeout(120_000);
    const support = { slug: "support", name: "Support bot", key: projectKey("support") };
    const hr = { slug: "hr", name: "HR bot", key: projectKey("hr"), allowGroups: ["hr"] };
    const supportNebuly = await new FakeNebuly(support.key).start();
    const hrNebuly = await new FakeNebuly(hr.key).start();
    fakes.push(supportNebuly, hrNebuly);
    const databaseUrl = tempDatabaseUrl("config-skew");
    // The replica still on the previous release: one project, open to every signed-in viewer.
    const old = await startApp({ NEBULY_PROJECTS: projectsJson([support], [supportNebuly.url]), DATABASE_URL: databaseUrl });
    apps.push(old);
    // It has served a page of the cache before the new replica arrives (nothing outside its projects then).
    expect((await send(`${old.url}/cached`)).status).toBe(200);
    // The new replica knows an HR project, visible to the hr group only (SSO from this machine).
    const updated = await startApp({
      NEBULY_PROJECTS: projectsJson([support, hr], [supportNebuly.url, hrNebuly.url]),
      DATABASE_URL: databaseUrl,
      INSPECTOR_TRUSTED_USER_HEADER: "X-Forwarded-User",
      INSPECTOR_TRUSTED_GROUPS_HEADER: "X-Forwarded-Groups",
    });
    apps.push(updated);
    const id = randomUUID();
    hrNebuly.serveInteraction(id, { user: "ceo@example.com", topic: "Compensation", user_query: "Salary review for Jane Doe", output: "Proposed raise: 4%" });
    const opened = await send(`${updated.url}/api/interactions/${id}`, { headers: { "X-Forwarded-User": "boss", "X-Forwarded-Groups": "hr" } });
    expect(opened.status, opened.body).toBe(200);
    // On the updated replica a viewer outside hr does not see it.
    const outsider = await send(`${updated.url}/cached?q=${encodeURIComponent("salary review")}`, { headers: { "X-Forwarded-User": "intern" } });
    expect(outsider.body.includes("Jane Doe")).toBe(false);
    // On the old replica, which has never heard of "hr", the HR chat must not show either.
    const onOld = await send(`${old.url}/cached?q=${encodeURIComponent("salary review")}`);
    expect(onOld.status).toBe(200);
    expect(onOld.body.includes("Jane Doe"), "the old replica lists the HR project's interaction in /cached").toBe(false);
    expect(onOld.body.includes("ceo@example.com"), "the old replica shows the HR interaction's user").toBe(false);
  });
});
