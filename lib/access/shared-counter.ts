import type { Store } from "@/db/client";
import { memoryCounter, type WindowCounter } from "./rate-limit";
import { postgresCounter } from "./rate-limit.postgres";

/**
 * The counter a limit uses on `store`: in this process's memory on SQLite (one process per file),
 * in the shared table on Postgres (every replica counts into the same window). `scope` names the
 * limit, so limits never share a key space.
 */
export function windowCounter(store: Store, scope: string, limit: number, windowMs: number, now: () => number = Date.now): WindowCounter {
  return store.dialect === "postgres" ? postgresCounter(store.db, scope, limit, windowMs, now) : memoryCounter(limit, windowMs, now);
}
