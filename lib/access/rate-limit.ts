/** A fixed-window counter per key, in memory (one process; see README for several replicas). */
export class RateLimiter {
  private readonly windows = new Map<string, { start: number; count: number }>();

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Counts one event for `key`; says whether it is within the limit and, if not, when to retry. */
  hit(key: string): { ok: boolean; retryAfterSeconds: number } {
    const now = this.now();
    let window = this.windows.get(key);
    if (!window || now - window.start >= this.windowMs) {
      window = { start: now, count: 0 };
      this.windows.set(key, window);
      if (this.windows.size > 10_000) this.prune(now);
    }
    window.count++;
    const retryAfterSeconds = Math.max(1, Math.ceil((window.start + this.windowMs - now) / 1_000));
    return { ok: window.count <= this.limit, retryAfterSeconds };
  }

  /** Whether `key` is already over the limit, without counting an event. */
  blocked(key: string): { blocked: boolean; retryAfterSeconds: number } {
    const now = this.now();
    const window = this.windows.get(key);
    if (!window || now - window.start >= this.windowMs) return { blocked: false, retryAfterSeconds: 0 };
    return { blocked: window.count >= this.limit, retryAfterSeconds: Math.max(1, Math.ceil((window.start + this.windowMs - now) / 1_000)) };
  }

  private prune(now: number) {
    for (const [key, window] of this.windows) if (now - window.start >= this.windowMs) this.windows.delete(key);
  }
}
