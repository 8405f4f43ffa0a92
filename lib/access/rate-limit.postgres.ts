import { and, eq, sql } from "drizzle-orm";
import type { PostgresDb } from "@/db/client";
import { rateWindows } from "@/db/schema.postgres";
import type { WindowCounter } from "./rate-limit";

/**
 * A WindowCounter kept in Postgres's rate_windows table, so every replica counts into the same
 * window. One statement per hit: the upsert starts a new window when the key's last one is over,
 * or adds one to it, and returns the result atomically (replicas hitting at once lose no count).
 */
export function postgresCounter(db: PostgresDb, scope: string, limit: number, windowMs: number, now: () => number = Date.now): WindowCounter {
  const retryAfter = (windowStart: Date, at: number) => Math.max(1, Math.ceil((windowStart.getTime() + windowMs - at) / 1_000));
  return {
    async hit(key) {
      const at = now();
      const fresh = new Date(at);
      const windowOpen = sql`${rateWindows.windowStart} > ${new Date(at - windowMs)}`;
      const [row] = await db
        .insert(rateWindows)
        .values({ scope, key, windowStart: fresh, count: 1 })
        .onConflictDoUpdate({
          target: [rateWindows.scope, rateWindows.key],
          set: {
            count: sql`CASE WHEN ${windowOpen} THEN ${rateWindows.count} + 1 ELSE 1 END`,
            windowStart: sql`CASE WHEN ${windowOpen} THEN ${rateWindows.windowStart} ELSE ${fresh} END`,
          },
        })
        .returning({ count: rateWindows.count, windowStart: rateWindows.windowStart });
      return { ok: row!.count <= limit, retryAfterSeconds: retryAfter(row!.windowStart, at) };
    },

    async release(key) {
      const at = now();
      await db
        .update(rateWindows)
        .set({ count: sql`greatest(${rateWindows.count} - 1, 0)` })
        .where(and(eq(rateWindows.scope, scope), eq(rateWindows.key, key), sql`${rateWindows.windowStart} > ${new Date(at - windowMs)}`));
    },

    async blocked(key) {
      const at = now();
      const [row] = await db
        .select({ count: rateWindows.count, windowStart: rateWindows.windowStart })
        .from(rateWindows)
        .where(and(eq(rateWindows.scope, scope), eq(rateWindows.key, key)));
      if (!row || at - row.windowStart.getTime() >= windowMs) return { blocked: false, retryAfterSeconds: 0 };
      return { blocked: row.count >= limit, retryAfterSeconds: retryAfter(row.windowStart, at) };
    },
  };
}

/** Deletes windows that ended before `cutoff` (retention), up to `limit`; returns how many. */
export async function deleteRateWindowsBefore(db: PostgresDb, cutoff: Date, limit: number): Promise<number> {
  const result = await db.execute(
    sql`DELETE FROM ${rateWindows} WHERE ctid IN (SELECT ctid FROM ${rateWindows} WHERE ${rateWindows.windowStart} < ${cutoff} LIMIT ${limit} FOR UPDATE SKIP LOCKED)`,
  );
  return result.rowCount ?? 0;
}
