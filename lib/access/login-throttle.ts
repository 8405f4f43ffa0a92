import { memoryCounter, type WindowCounter } from "./rate-limit";
import { signId, verifySignedId } from "./signed-id";
import { randomToken } from "./tokens";

/**
 * Slows password guessing without letting a guesser lock out the people who know the password.
 *
 * - Per client: 5 failures a minute, then 429 until the minute is over.
 * - Across all clients: 30 failures a minute, then every attempt from a browser not known to
 *   this inspector waits for the minute to end. Guessing from many addresses is thus slowed too.
 * - A browser that has signed in before carries a device cookie (signed, random id). Its attempts
 *   are counted per device instead (5 failures a minute) and never fall under the client or
 *   global ceilings, so an attacker flooding failures cannot lock out a person on their usual
 *   browser. (OWASP's "device cookies" defence.)
 */
export const LOGIN_LIMITS = { perClient: 5, perDevice: 5, global: 30, windowMs: 60_000 } as const;

const GLOBAL = "*";

export interface LoginAttempt {
  ok: true;
  /**
   * The password was right: the attempt stops counting as a failure. Every attempt is counted as
   * it is admitted, before the password is checked, so a burst of concurrent guesses cannot all
   * pass the check before any is counted (with the counters in Postgres, those are round trips).
   */
  succeeded(): Promise<void>;
  /** The device cookie to set after a successful sign-in (the same device keeps its id). */
  deviceCookie(): string;
}

/** The three counters the throttle keeps; in memory by default, shared by replicas on Postgres. */
export interface LoginCounters {
  clients: WindowCounter;
  devices: WindowCounter;
  everyone: WindowCounter;
}

export function memoryLoginCounters(now: () => number = Date.now): LoginCounters {
  return {
    clients: memoryCounter(LOGIN_LIMITS.perClient, LOGIN_LIMITS.windowMs, now),
    devices: memoryCounter(LOGIN_LIMITS.perDevice, LOGIN_LIMITS.windowMs, now),
    everyone: memoryCounter(LOGIN_LIMITS.global, LOGIN_LIMITS.windowMs, now),
  };
}

export class LoginThrottle {
  constructor(private readonly counters: LoginCounters = memoryLoginCounters()) {}

  async admit(input: { client: string; deviceCookie: string | undefined; secret: string }): Promise<LoginAttempt | { ok: false; retryAfterSeconds: number }> {
    const { clients, devices, everyone } = this.counters;
    const device = verifySignedId("device", input.deviceCookie, input.secret);
    const deviceCookie = () => signId("device", device ?? randomToken(18), input.secret);
    if (device) {
      const counted = await devices.hit(device);
      if (!counted.ok) return { ok: false, retryAfterSeconds: counted.retryAfterSeconds };
      return { ok: true, succeeded: () => devices.release(device), deviceCookie };
    }
    const perClient = await clients.hit(input.client);
    if (!perClient.ok) return { ok: false, retryAfterSeconds: perClient.retryAfterSeconds };
    const overall = await everyone.hit(GLOBAL);
    if (!overall.ok) {
      // Refused before any password was checked: not this client's failure.
      await clients.release(input.client);
      return { ok: false, retryAfterSeconds: overall.retryAfterSeconds };
    }
    return {
      ok: true,
      succeeded: async () => {
        await clients.release(input.client);
        await everyone.release(GLOBAL);
      },
      deviceCookie,
    };
  }
}
