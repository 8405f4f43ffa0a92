/**
 * A fixed-window counter per key, in memory (one process; see README for several replicas).
 * Memory is bounded: past `maxKeys` live windows the oldest is dropped, so a flood of distinct
 * keys (addresses) costs the attacker its own counters, not the server's memory.
 */
export class RateLimiter {
  private readonly windows = new Map<string, { start: number; count: number }>();

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly now: () => number = Date.now,
    private readonly maxKeys = 10_000,
  ) {}

  /** Counts one event for `key`; says whether it is within the limit and, if not, when to retry. */
  hit(key: string): { ok: boolean; retryAfterSeconds: number } {
    const now = this.now();
    let window = this.windows.get(key);
    if (!window || now - window.start >= this.windowMs) {
      this.windows.delete(key);
      window = { start: now, count: 0 };
      this.windows.set(key, window);
      if (this.windows.size > this.maxKeys) this.prune(now);
    }
    window.count++;
    return { ok: window.count <= this.limit, retryAfterSeconds: this.retryAfter(window, now) };
  }

  /** Takes back one event counted for `key` in its current window (never below zero). */
  release(key: string): void {
    const window = this.windows.get(key);
    if (window && this.now() - window.start < this.windowMs && window.count > 0) window.count--;
  }

  /** Whether `key` is already at the limit, without counting an event. */
  blocked(key: string): { blocked: boolean; retryAfterSeconds: number } {
    const now = this.now();
    const window = this.windows.get(key);
    if (!window || now - window.start >= this.windowMs) return { blocked: false, retryAfterSeconds: 0 };
    return { blocked: window.count >= this.limit, retryAfterSeconds: this.retryAfter(window, now) };
  }

  get size(): number {
    return this.windows.size;
  }

  private retryAfter(window: { start: number }, now: number): number {
    return Math.max(1, Math.ceil((window.start + this.windowMs - now) / 1_000));
  }

  private prune(now: number) {
    for (const [key, window] of this.windows) if (now - window.start >= this.windowMs) this.windows.delete(key);
    // Still full of live windows: drop the oldest (Map iteration follows insertion order).
    for (const key of this.windows.keys()) {
      if (this.windows.size <= this.maxKeys) break;
      this.windows.delete(key);
    }
  }
}

/**
 * A fixed-window counter as limits use it, in memory (RateLimiter, for one process on SQLite) or
 * in the shared store (rate-limit.postgres.ts, for replicas on Postgres): the same windows, a
 * window starting at its key's first hit.
 */
export interface WindowCounter {
  /** Counts one event for `key`; says whether it is within the limit and, if not, when to retry. */
  hit(key: string): Promise<{ ok: boolean; retryAfterSeconds: number }>;
  /** Whether `key` is already at the limit, without counting an event. */
  blocked(key: string): Promise<{ blocked: boolean; retryAfterSeconds: number }>;
  /**
   * Takes back one event counted by `hit` in the current window. A limit on failures counts each
   * attempt as it starts (so concurrent attempts cannot all pass a check made before any is
   * counted) and releases those that turned out not to be failures.
   */
  release(key: string): Promise<void>;
}

export function memoryCounter(limit: number, windowMs: number, now: () => number = Date.now): WindowCounter {
  const limiter = new RateLimiter(limit, windowMs, now);
  return { hit: async (key) => limiter.hit(key), blocked: async (key) => limiter.blocked(key), release: async (key) => limiter.release(key) };
}
