import { afterAll, describe, expect, inject, it } from "vitest";
import { closeStore, openStore, type Store } from "@/db/client";
import { newPostgresDatabase } from "@/test/stores";
import { LOGIN_LIMITS, LoginThrottle, type LoginCounters } from "./login-throttle";
import { postgresCounter } from "./rate-limit.postgres";

/*
 * Attack (found in review, now refused): the sign-in throttle on Postgres checked `blocked()` (a
 * SELECT) and counted the failure later (an UPSERT), with the password check in between. On SQLite the whole of
 * login() ran in one turn of the event loop, so no other attempt could slip in between the check
 * and the count. On Postgres both are round trips: a burst of concurrent wrong guesses all read
 * "not blocked" before any of them is counted, so one client (or one botnet, for the global
 * ceiling) gets as many guesses per minute as it can send at once, on one replica or several.
 */
describe.skipIf(!inject("postgresAdminUrl"))("sign-in throttle on Postgres under concurrent guesses", () => {
  const stores: Store[] = [];
  afterAll(async () => {
    await Promise.all(stores.map((store) => closeStore(store)));
  });

  async function replicaThrottles(count: number): Promise<LoginThrottle[]> {
    const url = await newPostgresDatabase();
    const throttles: LoginThrottle[] = [];
    for (let i = 0; i < count; i++) {
      const store = await openStore(url, { poolMax: 10 });
      stores.push(store);
      if (store.dialect !== "postgres") throw new Error("expected Postgres");
      const { perClient, perDevice, global, windowMs } = LOGIN_LIMITS;
      const counters: LoginCounters = {
        clients: postgresCounter(store.db, "login-client", perClient, windowMs),
        devices: postgresCounter(store.db, "login-device", perDevice, windowMs),
        everyone: postgresCounter(store.db, "login-global", global, windowMs),
      };
      throttles.push(new LoginThrottle(counters));
    }
    return throttles;
  }

  /** One wrong guess as POST /api/session makes it: admitted (counted as it is), never told it succeeded. */
  async function wrongGuess(throttle: LoginThrottle, client: string): Promise<boolean> {
    const attempt = await throttle.admit({ client, deviceCookie: undefined, secret: "s".repeat(32) });
    return attempt.ok;
  }

  it("lets one client make at most 5 wrong guesses a minute, however many it sends at once", async () => {
    const [a, b] = await replicaThrottles(2);
    const results = await Promise.all(Array.from({ length: 60 }, (_, i) => wrongGuess(i % 2 === 0 ? a! : b!, "203.0.113.66")));
    const admitted = results.filter(Boolean).length;
    expect(admitted).toBeLessThanOrEqual(LOGIN_LIMITS.perClient);
  });

  it("lets all clients together make at most 30 wrong guesses a minute", async () => {
    const [a, b] = await replicaThrottles(2);
    // 120 guesses from 120 addresses (each within its own per-client limit).
    const results = await Promise.all(Array.from({ length: 120 }, (_, i) => wrongGuess(i % 2 === 0 ? a! : b!, `198.51.100.${i}`)));
    const admitted = results.filter(Boolean).length;
    expect(admitted).toBeLessThanOrEqual(LOGIN_LIMITS.global);
  });
});
