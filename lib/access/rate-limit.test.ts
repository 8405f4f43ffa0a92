import { describe, expect, it } from "vitest";
import { RateLimiter } from "./rate-limit";

// A clock that starts where Date.now() does, not at 0: arithmetic that only works from 0
// (start + now instead of now - start) must fail here.
const T0 = Date.parse("2026-11-29T10:00:00Z");
const MINUTE = 60_000;

function limiterAt(limit: number, maxKeys?: number) {
  const clock = { now: T0 };
  const limiter = new RateLimiter(limit, MINUTE, () => clock.now, maxKeys);
  return { limiter, clock };
}

describe("RateLimiter", () => {
  it("allows the limit per window, then says when to retry", () => {
    const { limiter, clock } = limiterAt(2);
    expect(limiter.hit("a")).toEqual({ ok: true, retryAfterSeconds: 60 });
    expect(limiter.hit("a").ok).toBe(true);
    expect(limiter.hit("a")).toEqual({ ok: false, retryAfterSeconds: 60 });
    expect(limiter.hit("b").ok).toBe(true);
    clock.now = T0 + MINUTE - 1;
    expect(limiter.hit("a").ok).toBe(false);
    clock.now = T0 + MINUTE;
    expect(limiter.hit("a").ok).toBe(true);
  });

  it("counts Retry-After down to the end of the key's window, in whole seconds, at least 1", () => {
    const { limiter, clock } = limiterAt(1);
    limiter.hit("a");
    clock.now = T0 + 20_000;
    expect(limiter.hit("a")).toEqual({ ok: false, retryAfterSeconds: 40 });
    clock.now = T0 + 20_500;
    expect(limiter.hit("a").retryAfterSeconds).toBe(40); // 39.5 s rounds up: never invite a retry too early
    clock.now = T0 + MINUTE - 1;
    expect(limiter.hit("a").retryAfterSeconds).toBe(1);
    expect(limiter.blocked("a")).toEqual({ blocked: true, retryAfterSeconds: 1 });
  });

  it("blocked() says a key is at its limit without counting", () => {
    const { limiter, clock } = limiterAt(2);
    limiter.hit("a");
    expect(limiter.blocked("a")).toEqual({ blocked: false, retryAfterSeconds: 60 });
    expect(limiter.blocked("a").blocked).toBe(false); // asking twice spent nothing
    limiter.hit("a");
    expect(limiter.blocked("a")).toEqual({ blocked: true, retryAfterSeconds: 60 });
    expect(limiter.blocked("b")).toEqual({ blocked: false, retryAfterSeconds: 0 });
    clock.now = T0 + MINUTE - 1;
    expect(limiter.blocked("a").blocked).toBe(true);
    clock.now = T0 + MINUTE;
    expect(limiter.blocked("a")).toEqual({ blocked: false, retryAfterSeconds: 0 });
  });

  it("keeps at most maxKeys windows however many keys arrive", () => {
    const { limiter } = limiterAt(1, 100);
    for (let i = 0; i < 10_000; i++) limiter.hit(`10.0.${i >> 8}.${i & 255}`);
    expect(limiter.size).toBe(100);
    // The newest keys are the ones kept.
    expect(limiter.blocked("10.0.39.15").blocked).toBe(true);
    expect(limiter.blocked("10.0.38.172").blocked).toBe(true); // the 100th newest
    expect(limiter.blocked("10.0.38.171").blocked).toBe(false); // the 101st
  });

  it("a flood of new keys drops only the oldest windows: the others keep their counts", () => {
    const { limiter } = limiterAt(1, 3);
    for (const key of ["a", "b", "c"]) limiter.hit(key);
    limiter.hit("d");
    expect(limiter.size).toBe(3);
    expect(limiter.blocked("a").blocked).toBe(false);
    for (const key of ["b", "c", "d"]) expect(limiter.blocked(key).blocked, key).toBe(true);
  });

  it("drops expired windows before live ones", () => {
    const { limiter, clock } = limiterAt(1, 3);
    limiter.hit("old-1");
    limiter.hit("old-2");
    clock.now = T0 + 30_000;
    limiter.hit("live");
    clock.now = T0 + MINUTE;
    limiter.hit("new");
    // Both expired windows went; nothing live was dropped to make room.
    expect(limiter.size).toBe(2);
    expect(limiter.blocked("live").blocked).toBe(true);
    expect(limiter.blocked("new").blocked).toBe(true);
  });

  it("a key whose window was renewed counts as new when the oldest are dropped", () => {
    const { limiter, clock } = limiterAt(1, 2);
    limiter.hit("a");
    clock.now = T0 + 30_000;
    limiter.hit("b");
    clock.now = T0 + MINUTE;
    limiter.hit("a"); // a's first window is over: a new one starts now
    limiter.hit("c");
    // b is now the oldest live window and is the one dropped; a's fresh count survives.
    expect(limiter.blocked("a").blocked).toBe(true);
    expect(limiter.blocked("c").blocked).toBe(true);
    expect(limiter.blocked("b").blocked).toBe(false);
  });
});
