import { randomUUID } from "node:crypto";
import { expect, test, type Response } from "@playwright/test";
import { startProjectsApp, type ProjectsApp } from "../support/projects";
import { expectNoneOfKeys } from "../support/secrets";

/**
 * With three projects (one of whose keys Nebuly refuses), no configured key reaches a client or
 * a log: not a page, its RSC payload or scripts, an API answer, an error message naming the
 * refused key's setting, /api/projects, /api/ready, /metrics, nor any line the server prints.
 */

let live: ProjectsApp;
let url: string;
let metricsToken: string;
const NORTH_ID = randomUUID();
const SOUTH_ID = randomUUID();

test.beforeAll(async () => {
  metricsToken = `metrics-${randomUUID()}`;
  live = await startProjectsApp(
    "projects-key-leak",
    [
      { slug: "north", name: "North bot" },
      { slug: "south", name: "South assistant" },
      { slug: "east", name: "East helper", refusesKey: true },
    ],
    { METRICS_TOKEN: metricsToken, LOG_LEVEL: "trace" },
  );
  url = live.app.url;
  const row = (id: string, query: string) => ({ id, user_query: query, timestamp: "2026-11-20T10:00:00Z" });
  live.project("north").nebuly.serveInteraction(NORTH_ID, { user_query: "North question", output: "North answer" });
  live.project("south").nebuly.serveInteraction(SOUTH_ID, { user_query: "South question", output: "South answer" });
  live.project("north").nebuly.scriptList([{ body: { total: 1, offset: 0, limit: 100, data: [row(NORTH_ID, "North question")] } }]);
  live.project("south").nebuly.scriptList([{ body: { total: 1, offset: 0, limit: 100, data: [row(SOUTH_ID, "South question")] } }]);
});

test.afterAll(async () => {
  await live?.stop();
});

test("no API answer carries a key, refusals and failures included", async ({ request }) => {
  const keys = live.keys();
  const unknown = randomUUID();
  const answers = [
    await request.get(`${url}/api/interactions/${NORTH_ID}`),
    await request.get(`${url}/api/interactions/${SOUTH_ID}/transcript`),
    // North and South say 404, East's key is refused: the answer names East's setting.
    await request.get(`${url}/api/interactions/${unknown}`),
    await request.get(`${url}/api/interactions`),
    await request.get(`${url}/api/interactions?project=east`),
    await request.get(`${url}/api/interactions?project=nowhere`),
    await request.get(`${url}/api/projects`),
    await request.get(`${url}/api/ready`),
    await request.get(`${url}/api/health`),
    await request.get(`${url}/api/share-links`),
    await request.get(`${url}/metrics`, { headers: { Authorization: `Bearer ${metricsToken}` } }),
  ];
  expect(answers.map((answer) => answer.status())).toEqual([200, 200, 502, 200, 502, 400, 200, 200, 200, 200, 200]);
  // The refusal really happened (so its messages were exercised), and is reported without a key.
  expect((await answers[2]!.json()).error.code).toBe("upstream_auth_failed");
  expect((await answers[3]!.json()).failedProjects).toEqual([{ slug: "east", name: "East helper", message: expect.any(String) }]);
  expect((await answers[7]!.json()).nebulyKeysRefused).toBe(1);
  for (const answer of answers) await expectNoneOfKeys(answer, keys);
});

test("no page, RSC payload, script or stylesheet the browser loads carries a key", async ({ page }) => {
  const keys = live.keys();
  const loaded: Promise<{ url: string; text: string }>[] = [];
  page.on("response", (response: Response) => {
    loaded.push(
      (async () => ({
        url: response.url(),
        text: `${JSON.stringify(await response.allHeaders())}\n${await response.text().catch(() => "")}`,
      }))(),
    );
  });
  for (const path of ["/", "/interactions", "/interactions?project=south", "/interactions?project=east", `/interactions/${NORTH_ID}`, `/interactions/${SOUTH_ID}`, `/interactions/${randomUUID()}`, "/cached", "/shared"]) {
    await page.goto(`${url}${path}`);
    await page.waitForLoadState("networkidle");
  }
  // Client-side navigation fetches RSC payloads, not documents.
  await page.goto(`${url}/`);
  await page.getByRole("link", { name: "Browse" }).first().click();
  await expect(page).toHaveURL(/\/interactions/);
  await page.waitForLoadState("networkidle");

  const responses = await Promise.all(loaded);
  expect(responses.some((response) => response.url.includes("/_next/static/"))).toBe(true);
  expect(responses.length).toBeGreaterThan(15);
  for (const response of responses) {
    for (const key of keys) expect(response.text, `a key in ${response.url}`).not.toContain(key);
  }
});

test("the server's output holds no key, even at LOG_LEVEL=trace after a refused key", () => {
  const output = live.app.output();
  expect(output).toContain("refused this project's API key");
  for (const key of live.keys()) expect(output).not.toContain(key);
});
