import fs from "node:fs";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { startApp, tempDatabaseUrl, type AppServer } from "../support/app-server";

/**
 * Walks every route under app/ and checks that, with a password set, each one refuses an
 * anonymous request — so a route added later cannot slip through unprotected. The few public
 * routes are listed here on purpose.
 */
const APP_DIR = path.resolve(import.meta.dirname, "../../app");
const SAMPLE = { "[id]": "0b6f3c1e-8a2d-4f57-9c1e-2d7a4b9e6f01", "[token]": "not-a-real-token-aaaaaaaaaaaaaaaaaaaaa" };
// Public routes and what an anonymous request to each must get: never a 500, never a sign-in redirect.
const PUBLIC_STATUS: Record<string, number> = {
  "GET /api/health": 200,
  "GET /api/ready": 200,
  "GET /login": 200,
  "POST /api/session": 400,
  "DELETE /api/session": 204,
  "GET /s/[token]": 404,
  // A scraper cannot sign in: /metrics takes its own bearer token, and without it does not exist.
  "GET /metrics": 404,
};
const PUBLIC = new Set(Object.keys(PUBLIC_STATUS));
// The problem view only exists behind proxy.ts's rewrite: requested directly it is not found (see
// attacks.spec.ts), but only once signed in; anonymous, it is sent to sign in like any private page.

function routes(dir = APP_DIR, prefix = ""): { method: string; pattern: string }[] {
  const found: { method: string; pattern: string }[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name.startsWith("_")) continue;
      const segment = entry.name.startsWith("(") ? "" : `/${entry.name}`;
      found.push(...routes(full, `${prefix}${segment}`));
    } else if (entry.name === "page.tsx") {
      found.push({ method: "GET", pattern: prefix || "/" });
    } else if (entry.name === "route.ts") {
      const source = fs.readFileSync(full, "utf8");
      for (const match of source.matchAll(/export\s+(?:const|async\s+function|function)\s+(GET|POST|PUT|PATCH|DELETE)\b/g)) {
        found.push({ method: match[1], pattern: prefix });
      }
    }
  }
  return found;
}

const concrete = (pattern: string) => pattern.replace(/\[(\w+)\]/g, (segment) => SAMPLE[segment as keyof typeof SAMPLE] ?? "x");

let app: AppServer;

test.beforeAll(async () => {
  app = await startApp({ DATABASE_URL: tempDatabaseUrl("routes"), INSPECTOR_PASSWORD: "correct-horse-battery" });
});

test.afterAll(async () => {
  await app?.stop();
});

test("the route list is complete enough to mean something", () => {
  const all = routes().map((route) => `${route.method} ${route.pattern}`);
  expect(all).toEqual(expect.arrayContaining(["GET /", "GET /interactions/[id]", "GET /api/interactions/[id]", "POST /api/share-links", "GET /s/[token]"]));
});

for (const route of routes()) {
  const key = `${route.method} ${route.pattern}`;
  test(`${key} is ${PUBLIC.has(key) ? "public" : "protected"} when a password is set`, async ({ request }) => {
    const url = `${app.url}${concrete(route.pattern)}`;
    const response = await request.fetch(url, {
      method: route.method,
      maxRedirects: 0,
      // A same-origin write, so that what is tested is access, not the cross-site check.
      headers: { "Content-Type": "application/json", Origin: app.url },
      data: route.method === "GET" || route.method === "DELETE" ? undefined : "{}",
    });
    const status = response.status();
    if (PUBLIC.has(key)) {
      expect(status).toBe(PUBLIC_STATUS[key]);
    } else if (route.pattern.startsWith("/api/")) {
      expect(status).toBe(401);
      expect((await response.json()).error.code).toBe("unauthenticated");
    } else {
      expect(status).toBe(307);
      const location = new URL(response.headers().location, app.url);
      expect(location.pathname).toBe("/login");
      expect(location.searchParams.get("next")).toBe(concrete(route.pattern));
    }
    // Nothing of an interaction leaks to an anonymous request.
    expect(await response.text()).not.toContain("refund");
  });
}

test("a forged problem-view mark does not get past sign-in", async ({ request }) => {
  const response = await request.get(`${app.url}/interactions/${SAMPLE["[id]"]}/problem`, {
    headers: { "x-inspector-problem-view": "502", "x-inspector-viewer": JSON.stringify({ name: "admin", via: "session" }) },
    maxRedirects: 0,
  });
  expect(response.status()).toBe(307);
  expect(response.headers().location).toContain("/login");
});

test("a forged viewer header does not get past sign-in", async ({ request }) => {
  const response = await request.get(`${app.url}/api/interactions/${SAMPLE["[id]"]}`, {
    headers: { "x-inspector-viewer": JSON.stringify({ name: "admin", via: "session" }) },
  });
  expect(response.status()).toBe(401);
});
