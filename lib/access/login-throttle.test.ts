import { describe, expect, it } from "vitest";
import { LOGIN_LIMITS, LoginThrottle, type LoginAttempt } from "./login-throttle";

const SECRET = "s".repeat(32);

function attempt(throttle: LoginThrottle, client: string, deviceCookie?: string) {
  return throttle.admit({ client, deviceCookie, secret: SECRET });
}

function fail(throttle: LoginThrottle, client: string, deviceCookie?: string) {
  const result = attempt(throttle, client, deviceCookie);
  if (result.ok) (result as LoginAttempt).failed();
  return result.ok;
}

describe("LoginThrottle", () => {
  it("blocks a client after 5 failures until its minute is over", () => {
    let now = 0;
    const throttle = new LoginThrottle(() => now);
    for (let i = 0; i < LOGIN_LIMITS.perClient; i++) expect(fail(throttle, "203.0.113.1")).toBe(true);
    expect(attempt(throttle, "203.0.113.1")).toEqual({ ok: false, retryAfterSeconds: 60 });
    expect(attempt(throttle, "203.0.113.2").ok).toBe(true);
    now = 59_999;
    expect(attempt(throttle, "203.0.113.1").ok).toBe(false);
    now = 60_000;
    expect(attempt(throttle, "203.0.113.1").ok).toBe(true);
  });

  it("slows guessing from many addresses with a ceiling across all clients", () => {
    const throttle = new LoginThrottle(() => 0);
    for (let i = 0; i < LOGIN_LIMITS.global; i++) fail(throttle, `198.51.100.${i}`);
    expect(attempt(throttle, "192.0.2.77").ok).toBe(false);
  });

  it("never locks out a browser that signed in before, whatever others do", () => {
    const throttle = new LoginThrottle(() => 0);
    const first = attempt(throttle, "203.0.113.1") as LoginAttempt;
    const device = first.deviceCookie();
    for (let i = 0; i < 100; i++) fail(throttle, `198.51.100.${i}`);
    for (let i = 0; i < 10; i++) fail(throttle, "203.0.113.1");
    expect(attempt(throttle, "203.0.113.1").ok).toBe(false);
    expect(attempt(throttle, "203.0.113.1", device).ok).toBe(true);
  });

  it("limits a known device on its own, and ignores forged device cookies", () => {
    const throttle = new LoginThrottle(() => 0);
    const device = (attempt(throttle, "a") as LoginAttempt).deviceCookie();
    for (let i = 0; i < LOGIN_LIMITS.perDevice; i++) fail(throttle, `c${i}`, device);
    expect(attempt(throttle, "z", device).ok).toBe(false);
    const [id] = device.split(".");
    for (let i = 0; i < LOGIN_LIMITS.perClient; i++) fail(throttle, "x", `${id}.forged`);
    expect(attempt(throttle, "x", `${id}.forged`).ok).toBe(false);
  });
});
