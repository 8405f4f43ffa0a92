import { createHash } from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { accessLogEntry, methodLabel, observeRequest, routePattern } from "./access-log.mjs";

const APP_DIR = path.resolve(import.meta.dirname, "../../app");

/** Every page and route handler under app/, as Next's bracket pattern (the walk e2e/access/routes.spec.ts does). */
function appRoutes(dir = APP_DIR, prefix = ""): string[] {
  const found: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) {
      if (entry.name.startsWith("_")) continue;
      const segment = entry.name.startsWith("(") ? "" : `/${entry.name}`;
      found.push(...appRoutes(path.join(dir, entry.name), `${prefix}${segment}`));
    } else if (entry.name === "page.tsx" || entry.name === "route.ts") {
      found.push(prefix || "/");
    }
  }
  return found;
}

const concrete = (pattern: string) => pattern.replace(/\[(\w+)\]/g, "0b6f3c1e-8a2d-4f57-9c1e-2d7a4b9e6f01");

describe("routePattern", () => {
  it("knows every route under app/ (a new route must be added to the table)", () => {
    const routes = appRoutes();
    expect(routes).toEqual(expect.arrayContaining(["/", "/interactions/[id]", "/api/interactions/[id]", "/s/[token]", "/metrics"]));
    for (const route of routes) {
      expect(routePattern(concrete(route)), route).toBe(route);
      expect(routePattern(`${concrete(route)}?x=1`), route).toBe(route);
    }
  });

  it("names the pattern, never the id or token in the path", () => {
    expect(routePattern("/interactions/11111111-2222-4333-8444-555555555501")).toBe("/interactions/[id]");
    expect(routePattern("/interactions/11111111-2222-4333-8444-555555555501/")).toBe("/interactions/[id]");
    expect(routePattern("/api/interactions/abc/turns?from=1&to=3")).toBe("/api/interactions/[id]/turns");
    expect(routePattern("/s/Zm9vYmFyYmF6cXV4cXV1eHF1dXhxdXV4cXV1eA")).toBe("/s/[token]");
    expect(routePattern("/api/share-links/abc123")).toBe("/api/share-links/[id]");
    expect(routePattern("/interactions")).toBe("/interactions");
  });

  it("keeps label values to a fixed set whatever a client asks for", () => {
    const attempts = [
      "/wp-admin.php",
      "/interactions/a/b/c",
      "/s/token/extra",
      "/api/interactions/x/turns/more",
      "/%2e%2e/etc/passwd",
      "//evil.example",
      `/${"a".repeat(10_000)}`,
      "",
      "/metrics/x",
    ];
    for (const attempt of attempts) expect(routePattern(attempt)).toBe("unmatched");
    expect(routePattern("/_next/static/chunks/abc123.js")).toBe("/_next/static/[asset]");
    expect(routePattern("/_next/image?url=x")).toBe("/_next/[internal]");
  });

  it("answers long hostile paths in linear time", () => {
    const started = performance.now();
    for (const path of [`/${"/".repeat(100_000)}`, `/interactions/${"a/".repeat(50_000)}`, `/s/${"x".repeat(100_000)}/`]) routePattern(path);
    expect(performance.now() - started).toBeLessThan(200);
  });
});

describe("methodLabel", () => {
  it("keeps standard methods and folds made-up ones into one word", () => {
    expect(["GET", "HEAD", "POST", "DELETE"].map(methodLabel)).toEqual(["GET", "HEAD", "POST", "DELETE"]);
    expect(methodLabel("FOO-BAR")).toBe("OTHER");
    expect(methodLabel(undefined)).toBe("OTHER");
  });
});

describe("accessLogEntry", () => {
  const context = { id: "2b1f5b4e-5a3c-4a0e-9d55-0c8f3e1a9b10" };

  it("holds the documented fields and nothing from the path but its pattern", () => {
    const entry = accessLogEntry({
      context: { ...context, cache: "MISS", client: "203.0.113.7", viewer: "ana" },
      method: "GET",
      url: "/interactions/11111111-2222-4333-8444-555555555501?refresh=1",
      status: 200,
      durationMs: 12.345,
      completed: true,
    });
    expect(entry).toEqual({
      reqId: context.id,
      method: "GET",
      route: "/interactions/[id]",
      status: 200,
      durationMs: 12.3,
      cache: "MISS",
      client: "203.0.113.7",
      viewer: "ana",
    });
  });

  it("names a share link by a short hash of its token, never the token", () => {
    const token = "Zm9vYmFyYmF6cXV4cXV1eHF1dXhxdXV4cXV1eA";
    const entry = accessLogEntry({ context, method: "GET", url: `/s/${token}`, status: 200, durationMs: 1, completed: true });
    expect(entry.shareLink).toMatch(/^[0-9a-f]{12}$/);
    expect(JSON.stringify(entry)).not.toContain(token);
    // The start of the SHA-256 share_links stores, so an operator can find the link.
    expect(entry.shareLink).toBe(createHash("sha256").update(token).digest("hex").slice(0, 12));
  });

  it("says when the client went away before the response ended", () => {
    const entry = accessLogEntry({ context, method: "POST", url: "/api/session", status: 200, durationMs: 5, completed: false });
    expect(entry).toMatchObject({ aborted: true, route: "/api/session" });
    expect(entry).not.toHaveProperty("viewer");
    expect(entry).not.toHaveProperty("cache");
  });

  it("counts a request whose client left before any answer as 499, not the 200 Node presets", async () => {
    const seen: { status: number; route: string }[] = [];
    const listeners = ((globalThis as Record<symbol, unknown>)[Symbol.for("interaction-inspector.request-finished")] ??= new Set()) as Set<(request: { status: number; route: string }) => void>;
    const listener = (request: { status: number; route: string }) => seen.push(request);
    listeners.add(listener);
    // The handler answers only after the client has gone (a slow page).
    let clientGone!: () => void;
    const gone = new Promise<void>((resolve) => (clientGone = resolve));
    const server = http.createServer((request, response) =>
      observeRequest(request, response, async () => {
        await gone;
        if (!response.destroyed) response.end("late");
      }),
    );
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const request = http.get({ host: "127.0.0.1", port, path: "/cached?q=slow", agent: false });
      request.on("error", () => undefined);
      await new Promise((resolve) => setTimeout(resolve, 100));
      request.destroy();
      await new Promise((resolve) => setTimeout(resolve, 100));
      clientGone();
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(seen).toEqual([expect.objectContaining({ status: 499, route: "/cached" })]);
    } finally {
      listeners.delete(listener);
      server.close();
    }
  });
});
