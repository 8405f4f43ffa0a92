import "server-only";
import { getStore, type Store } from "@/db/client";
import { pingStore } from "@/db/probe";
import { isStoreUnreachable, noteStoreBack, storeErrorForLog } from "@/db/availability";
import { isDemoMode } from "@/lib/env";
import { logger } from "@/lib/logger";

export interface Health {
  status: "ok" | "error";
  mode: "live" | "demo";
  /** "unreachable": a shared Postgres is down; this process is fine (readiness fails, liveness does not). */
  db: "ok" | "error" | "unreachable";
}

/** Liveness: the process answers and can read its database. No write, no upstream call, no configuration revealed. */
export async function healthCheck(): Promise<Health> {
  const mode = isDemoMode() ? "demo" : "live";
  let store: Store | undefined;
  try {
    store = getStore();
    await pingStore(store);
    noteStoreBack();
    return { status: "ok", mode, db: "ok" };
  } catch (error) {
    logger().error({ err: storeErrorForLog(error) }, "database health check failed");
    // A lost Postgres is outside this process: restarting it would not bring the database back,
    // so liveness holds (readiness takes the replica out of the load balancer meanwhile). A
    // SQLite file that cannot be read is this process's own storage failing.
    // When getStore() itself threw (closed for shutdown) there is no store: an error, answered, not thrown.
    if (store?.dialect === "postgres" && isStoreUnreachable(error)) return { status: "ok", mode, db: "unreachable" };
    return { status: "error", mode, db: "error" };
  }
}
