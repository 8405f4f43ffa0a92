import "server-only";
import { getDb } from "@/db/client";
import { isDemoMode } from "@/lib/env";
import { logger } from "@/lib/logger";

export interface Health {
  status: "ok" | "error";
  mode: "live" | "demo";
  db: "ok" | "error";
}

/** Liveness: the process answers and can read its database. No write, no upstream call, no configuration revealed. */
export function healthCheck(): Health {
  const mode = isDemoMode() ? "demo" : "live";
  try {
    getDb().$client.prepare("select 1").get();
    return { status: "ok", mode, db: "ok" };
  } catch (error) {
    logger().error({ err: error }, "database health check failed");
    return { status: "error", mode, db: "error" };
  }
}
