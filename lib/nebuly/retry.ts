/** Capped, jittered exponential backoff that honours an upstream Retry-After within a fixed budget. */
export interface RetryPolicy {
  /** Attempts in all, the first one included. */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** Wall-clock budget for all attempts and waits together. */
  budgetMs: number;
}

export function defaultRetryPolicy(timeoutMs: number): RetryPolicy {
  return { maxAttempts: 4, baseDelayMs: 200, maxDelayMs: 2_000, budgetMs: 2 * timeoutMs };
}

/** "Full jitter": a random wait in [0, min(cap, base·2^n)], so synchronised clients spread out. */
export function backoffDelayMs(retryIndex: number, policy: RetryPolicy, random: () => number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** retryIndex);
  return Math.floor(random() * ceiling);
}

/** Retry-After is either delta-seconds or an HTTP date; returns milliseconds, or undefined. */
export function parseRetryAfterMs(header: string | null, nowMs: number): number | undefined {
  if (!header) return undefined;
  const trimmed = header.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1_000;
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - nowMs);
}
