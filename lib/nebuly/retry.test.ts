import { describe, expect, it } from "vitest";
import { backoffDelayMs, defaultRetryPolicy, parseRetryAfterMs } from "./retry";

describe("backoffDelayMs", () => {
  const policy = defaultRetryPolicy(10_000);

  it("grows exponentially and never exceeds the cap", () => {
    const ceilings = [0, 1, 2, 3, 4, 10, 30].map((retry) => backoffDelayMs(retry, policy, () => 0.999_999));
    expect(ceilings.slice(0, 4)).toEqual([199, 399, 799, 1599]);
    for (const delay of ceilings) expect(delay).toBeLessThanOrEqual(policy.maxDelayMs);
  });

  it("is jittered between zero and the ceiling", () => {
    expect(backoffDelayMs(3, policy, () => 0)).toBe(0);
    expect(backoffDelayMs(3, policy, () => 0.5)).toBe(800);
  });

  it("bounds the whole retry budget by twice the per-attempt timeout", () => {
    expect(defaultRetryPolicy(1_500).budgetMs).toBe(3_000);
  });
});

describe("parseRetryAfterMs", () => {
  const now = Date.parse("2026-11-26T10:00:00Z");

  it("reads delta-seconds", () => {
    expect(parseRetryAfterMs("3", now)).toBe(3_000);
  });

  it("reads an HTTP date", () => {
    expect(parseRetryAfterMs("Thu, 26 Nov 2026 10:00:05 GMT", now)).toBe(5_000);
  });

  it("ignores missing or garbage values", () => {
    expect(parseRetryAfterMs(null, now)).toBeUndefined();
    expect(parseRetryAfterMs("soon", now)).toBeUndefined();
  });
});
