import { RateLimiter } from "./rate-limit";
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
  /** Counts this attempt as a failure. */
  failed(): void;
  /** The device cookie to set after a successful sign-in (the same device keeps its id). */
  deviceCookie(): string;
}

export class LoginThrottle {
  private readonly clients: RateLimiter;
  private readonly devices: RateLimiter;
  private readonly everyone: RateLimiter;

  constructor(now: () => number = Date.now) {
    this.clients = new RateLimiter(LOGIN_LIMITS.perClient, LOGIN_LIMITS.windowMs, now);
    this.devices = new RateLimiter(LOGIN_LIMITS.perDevice, LOGIN_LIMITS.windowMs, now);
    this.everyone = new RateLimiter(LOGIN_LIMITS.global, LOGIN_LIMITS.windowMs, now);
  }

  admit(input: { client: string; deviceCookie: string | undefined; secret: string }): LoginAttempt | { ok: false; retryAfterSeconds: number } {
    const device = verifySignedId("device", input.deviceCookie, input.secret);
    const deviceCookie = () => signId("device", device ?? randomToken(18), input.secret);
    if (device) {
      const blocked = this.devices.blocked(device);
      if (blocked.blocked) return { ok: false, retryAfterSeconds: blocked.retryAfterSeconds };
      return { ok: true, failed: () => void this.devices.hit(device), deviceCookie };
    }
    for (const [limiter, key] of [[this.clients, input.client], [this.everyone, GLOBAL]] as const) {
      const blocked = limiter.blocked(key);
      if (blocked.blocked) return { ok: false, retryAfterSeconds: blocked.retryAfterSeconds };
    }
    return {
      ok: true,
      failed: () => {
        this.clients.hit(input.client);
        this.everyone.hit(GLOBAL);
      },
      deviceCookie,
    };
  }
}
