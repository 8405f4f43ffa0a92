import { describe, expect, it } from "vitest";
import { RateLimiter } from "./rate-limit";
import { randomToken, safeEqual, safeNextPath } from "./tokens";

describe("safeEqual and tokens", () => {
  it("compares strings of any length", () => {
    expect(safeEqual("correct horse", "correct horse")).toBe(true);
    expect(safeEqual("correct horse", "correct")).toBe(false);
  });

  it("makes long, distinct, URL-safe tokens", () => {
    const tokens = new Set(Array.from({ length: 100 }, () => randomToken()));
    expect(tokens.size).toBe(100);
    for (const token of tokens) expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });
});

describe("safeNextPath", () => {
  it.each([
    ["/interactions/x?y=1#turn-2", "/interactions/x?y=1#turn-2"],
    ["/", "/"],
    ["//evil.example/x", "/"],
    ["/\\evil.example", "/"],
    ["https://evil.example", "/"],
    ["javascript:alert(1)", "/"],
    ["/%2F%2Fevil.example", "/%2F%2Fevil.example"],
    ["/\tevil", "/"],
    [null, "/"],
    ["", "/"],
    ["interactions", "/"],
    ["/x\u0000", "/"],
    ["/" + "a".repeat(2_001), "/"],
  ])("%s → %s", (input, expected) => {
    expect(safeNextPath(input)).toBe(expected);
  });

  // Each of these normalises (dot segments, backslashes, encoded dots) into "//host": a browser
  // would follow it to another site. Checking before normalising let them all through.
  it.each([
    "/.//evil.example",
    "/..//evil.example",
    "/%2e//evil.example",
    "/%2E%2E//evil.example",
    "/./\\evil.example",
    "/a/../..//evil.example",
    "/a/..//evil.example",
    "/.\\/evil.example",
    "/\\/evil.example",
    "/././/evil.example/path?q=1",
  ])("%s never leaves the site", (input) => {
    const result = safeNextPath(input);
    expect(result.startsWith("/")).toBe(true);
    expect(result.startsWith("//")).toBe(false);
    expect(result.startsWith("/\\")).toBe(false);
    expect(new URL(result, "https://inspector.example").origin).toBe("https://inspector.example");
  });
});

describe("RateLimiter", () => {
  it("allows the limit per window, then says when to retry", () => {
    let now = 0;
    const limiter = new RateLimiter(2, 60_000, () => now);
    expect(limiter.hit("a").ok).toBe(true);
    expect(limiter.hit("a").ok).toBe(true);
    expect(limiter.hit("a")).toEqual({ ok: false, retryAfterSeconds: 60 });
    expect(limiter.hit("b").ok).toBe(true);
    now = 59_999;
    expect(limiter.hit("a").ok).toBe(false);
    now = 60_000;
    expect(limiter.hit("a").ok).toBe(true);
  });

  it("blocked() says a key is at its limit without counting", () => {
    const limiter = new RateLimiter(2, 60_000, () => 0);
    limiter.hit("a");
    expect(limiter.blocked("a").blocked).toBe(false);
    limiter.hit("a");
    expect(limiter.blocked("a")).toEqual({ blocked: true, retryAfterSeconds: 60 });
    expect(limiter.blocked("b").blocked).toBe(false);
  });

  it("keeps at most maxKeys windows however many keys arrive", () => {
    const limiter = new RateLimiter(1, 60_000, () => 0, 100);
    for (let i = 0; i < 10_000; i++) limiter.hit(`10.0.${i >> 8}.${i & 255}`);
    expect(limiter.size).toBeLessThanOrEqual(100);
    // The newest keys are the ones kept.
    expect(limiter.blocked("10.0.39.15").blocked).toBe(true);
  });
});
