import { describe, expect, it } from "vitest";
import type { Store } from "@/db/client";
import { openTestStore, testStores } from "@/test/stores";
import { LOGIN_LIMITS, LoginThrottle, memoryLoginCounters, type LoginAttempt, type LoginCounters } from "./login-throttle";
import { windowCounter } from "./shared-counter";

const SECRET = "s".repeat(32);

function attempt(throttle: LoginThrottle, client: string, deviceCookie?: string) {
  return throttle.admit({ client, deviceCookie, secret: SECRET });
}

/** An attempt with a wrong password: admitted (and so counted), never told it succeeded. */
async function fail(throttle: LoginThrottle, client: string, deviceCookie?: string) {
  return (await attempt(throttle, client, deviceCookie)).ok;
}

/** An attempt with the right password. */
async function succeed(throttle: LoginThrottle, client: string, deviceCookie?: string) {
  const result = await attempt(throttle, client, deviceCookie);
  if (result.ok) await result.succeeded();
  return result.ok;
}

/**
 * The throttle over each store's counters: in memory (SQLite's one process) and in Postgres's
 * shared table (replicas). Each throttle gets its own key space, as a fresh process would.
 */
describe.each(testStores())("LoginThrottle (%s)", (dialect) => {
  let throttles = 0;
  let store: Promise<Store> | undefined;
  const newThrottle = async (now: () => number): Promise<LoginThrottle> => {
    if (dialect === "sqlite") return new LoginThrottle(memoryLoginCounters(now));
    store ??= openTestStore("postgres");
    const scope = `t${++throttles}`;
    const { perClient, perDevice, global, windowMs } = LOGIN_LIMITS;
    const counters: LoginCounters = {
      clients: windowCounter(await store, `${scope}-client`, perClient, windowMs, now),
      devices: windowCounter(await store, `${scope}-device`, perDevice, windowMs, now),
      everyone: windowCounter(await store, `${scope}-global`, global, windowMs, now),
    };
    return new LoginThrottle(counters);
  };

  it("blocks a client after 5 failures until its minute is over", async () => {
    let now = 0;
    const throttle = await newThrottle(() => now);
    for (let i = 0; i < LOGIN_LIMITS.perClient; i++) expect(await fail(throttle, "203.0.113.1")).toBe(true);
    expect(await attempt(throttle, "203.0.113.1")).toEqual({ ok: false, retryAfterSeconds: 60 });
    expect((await attempt(throttle, "203.0.113.2")).ok).toBe(true);
    now = 59_999;
    expect((await attempt(throttle, "203.0.113.1")).ok).toBe(false);
    now = 60_000;
    expect((await attempt(throttle, "203.0.113.1")).ok).toBe(true);
  });

  it("slows guessing from many addresses with a ceiling across all clients", async () => {
    const throttle = await newThrottle(() => 0);
    for (let i = 0; i < LOGIN_LIMITS.global; i++) await fail(throttle, `198.51.100.${i}`);
    expect((await attempt(throttle, "192.0.2.77")).ok).toBe(false);
  });

  it("never locks out a browser that signed in before, whatever others do", async () => {
    const throttle = await newThrottle(() => 0);
    const first = await attempt(throttle, "203.0.113.1") as LoginAttempt;
    const device = first.deviceCookie();
    for (let i = 0; i < 100; i++) await fail(throttle, `198.51.100.${i}`);
    for (let i = 0; i < 10; i++) await fail(throttle, "203.0.113.1");
    expect((await attempt(throttle, "203.0.113.1")).ok).toBe(false);
    expect((await attempt(throttle, "203.0.113.1", device)).ok).toBe(true);
    // 110 attempts of a few statements each: seconds on a loaded 2-core machine with Postgres.
  }, 30_000);

  it("limits a known device on its own, and ignores forged device cookies", async () => {
    const throttle = await newThrottle(() => 0);
    const device = (await attempt(throttle, "a") as LoginAttempt).deviceCookie();
    for (let i = 0; i < LOGIN_LIMITS.perDevice; i++) await fail(throttle, `c${i}`, device);
    expect((await attempt(throttle, "z", device)).ok).toBe(false);
    const [id] = device.split(".");
    for (let i = 0; i < LOGIN_LIMITS.perClient; i++) await fail(throttle, "x", `${id}.forged`);
    expect((await attempt(throttle, "x", `${id}.forged`)).ok).toBe(false);
  });

  it("gives a new browser a random device id, and a known device the same id again", async () => {
    const throttle = await newThrottle(() => 0);
    const first = (await attempt(throttle, "a") as LoginAttempt).deviceCookie();
    const second = (await attempt(throttle, "b") as LoginAttempt).deviceCookie();
    expect(first).toMatch(/^[A-Za-z0-9_-]{24}\.[A-Za-z0-9_-]{43}$/);
    expect(first.split(".")[0]).not.toBe(second.split(".")[0]);
    expect((await attempt(throttle, "a", first) as LoginAttempt).deviceCookie()).toBe(first);
  });

  /** Whether `cookie` counts as a known device: a client blocked by its own failures still gets in with one. */
  async function isKnownDevice(cookie: string) {
    const throttle = await newThrottle(() => 0);
    for (let i = 0; i < LOGIN_LIMITS.perClient; i++) await fail(throttle, "203.0.113.1");
    return (await attempt(throttle, "203.0.113.1", cookie)).ok;
  }

  it("accepts a device cookie only as issued: not another id's signature, nor extra or missing parts", async () => {
    const throttle = await newThrottle(() => 0);
    const device = (await attempt(throttle, "a") as LoginAttempt).deviceCookie();
    const other = (await attempt(throttle, "b") as LoginAttempt).deviceCookie();
    const [id, signature] = device.split(".");
    expect(await isKnownDevice(device)).toBe(true);
    for (const forged of [`${other.split(".")[0]}.${signature}`, `${device}.x`, id, `${id}.`, `.${signature}`, "", "x".repeat(300)]) {
      expect(await isKnownDevice(forged), forged).toBe(false);
    }
    // Signed with another inspector's secret: unknown here.
    const foreign = (await (await newThrottle(() => 0)).admit({ client: "a", deviceCookie: undefined, secret: "t".repeat(32) }) as LoginAttempt).deviceCookie();
    expect(await isKnownDevice(foreign)).toBe(false);
  });

  it("a failure from a known device does not count against its client or the global ceiling", async () => {
    const throttle = await newThrottle(() => 0);
    const device = (await attempt(throttle, "203.0.113.1") as LoginAttempt).deviceCookie();
    for (let i = 0; i < LOGIN_LIMITS.perDevice; i++) await fail(throttle, "203.0.113.1", device);
    expect((await attempt(throttle, "203.0.113.1")).ok).toBe(true);
  });

  it("never counts a sign-in with the right password as a failure, from a client or a known device", async () => {
    const throttle = await newThrottle(() => 0);
    for (let i = 0; i < 3 * LOGIN_LIMITS.perClient; i++) expect(await succeed(throttle, "203.0.113.1")).toBe(true);
    const device = ((await attempt(throttle, "203.0.113.1")) as LoginAttempt).deviceCookie();
    for (let i = 0; i < 3 * LOGIN_LIMITS.perDevice; i++) expect(await succeed(throttle, "203.0.113.1", device)).toBe(true);
    // The one attempt above that never succeeded is the only failure counted.
    for (let i = 0; i < LOGIN_LIMITS.perClient - 1; i++) expect(await fail(throttle, "203.0.113.1")).toBe(true);
    expect(await fail(throttle, "203.0.113.1")).toBe(false);
  });

  it("admits no more than the limit from a burst of concurrent wrong guesses", async () => {
    const throttle = await newThrottle(() => 0);
    const admitted = await Promise.all(Array.from({ length: 40 }, () => fail(throttle, "203.0.113.7")));
    expect(admitted.filter(Boolean)).toHaveLength(LOGIN_LIMITS.perClient);
  });
});
