import { describe, expect, it } from "vitest";
import { RateLimiter } from "./rate-limit";
import { randomToken, safeEqual, safeNextPath, signSession, verifySession } from "./tokens";

const SECRET = "s".repeat(32);

describe("sessions", () => {
  const now = Date.parse("2026-11-26T10:00:00Z");
  const cookie = signSession({ sub: "password", exp: now / 1_000 + 3_600 }, SECRET);

  it("verifies its own signature until expiry", () => {
    expect(verifySession(cookie, SECRET, now)).toEqual({ sub: "password", exp: now / 1_000 + 3_600 });
    expect(verifySession(cookie, SECRET, now + 3_600_000)).toBeNull();
  });

  it("rejects tampered, foreign or malformed cookies", () => {
    const [payload, mac] = cookie.split(".");
    const forged = Buffer.from(JSON.stringify({ sub: "admin", exp: 9_999_999_999 })).toString("base64url");
    for (const value of [`${forged}.${mac}`, `${payload}.${mac.slice(0, -2)}xx`, `${payload}`, `${cookie}.x`, "", undefined, "a.b"]) {
      expect(verifySession(value, SECRET, now)).toBeNull();
    }
    expect(verifySession(cookie, "t".repeat(32), now)).toBeNull();
  });
});

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
  ])("%s → %s", (input, expected) => {
    expect(safeNextPath(input)).toBe(expected);
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
    now = 60_000;
    expect(limiter.hit("a").ok).toBe(true);
  });
});
