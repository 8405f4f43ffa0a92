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

  it("gives a new browser a random device id, and a known device the same id again", () => {
    const throttle = new LoginThrottle(() => 0);
    const first = (attempt(throttle, "a") as LoginAttempt).deviceCookie();
    const second = (attempt(throttle, "b") as LoginAttempt).deviceCookie();
    expect(first).toMatch(/^[A-Za-z0-9_-]{24}\.[A-Za-z0-9_-]{43}$/);
    expect(first.split(".")[0]).not.toBe(second.split(".")[0]);
    expect((attempt(throttle, "a", first) as LoginAttempt).deviceCookie()).toBe(first);
  });

  /** Whether `cookie` counts as a known device: a client blocked by its own failures still gets in with one. */
  function isKnownDevice(cookie: string) {
    const throttle = new LoginThrottle(() => 0);
    for (let i = 0; i < LOGIN_LIMITS.perClient; i++) fail(throttle, "203.0.113.1");
    return attempt(throttle, "203.0.113.1", cookie).ok;
  }

  it("accepts a device cookie only as issued: not another id's signature, nor extra or missing parts", () => {
    const throttle = new LoginThrottle(() => 0);
    const device = (attempt(throttle, "a") as LoginAttempt).deviceCookie();
    const other = (attempt(throttle, "b") as LoginAttempt).deviceCookie();
    const [id, signature] = device.split(".");
    expect(isKnownDevice(device)).toBe(true);
    for (const forged of [`${other.split(".")[0]}.${signature}`, `${device}.x`, id, `${id}.`, `.${signature}`, "", "x".repeat(300)]) {
      expect(isKnownDevice(forged), forged).toBe(false);
    }
    // Signed with another inspector's secret: unknown here.
    const foreign = (new LoginThrottle(() => 0).admit({ client: "a", deviceCookie: undefined, secret: "t".repeat(32) }) as LoginAttempt).deviceCookie();
    expect(isKnownDevice(foreign)).toBe(false);
  });

  it("a failure from a known device does not count against its client or the global ceiling", () => {
    const throttle = new LoginThrottle(() => 0);
    const device = (attempt(throttle, "203.0.113.1") as LoginAttempt).deviceCookie();
    for (let i = 0; i < LOGIN_LIMITS.perDevice; i++) fail(throttle, "203.0.113.1", device);
    expect(attempt(throttle, "203.0.113.1").ok).toBe(true);
  });
});
