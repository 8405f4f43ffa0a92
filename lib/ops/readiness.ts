import "server-only";
import { getDb, migrationsFolder } from "@/db/client";
import { schemaState } from "@/db/migrate";
import { logger } from "@/lib/logger";
import { isShuttingDown } from "./lifecycle";

export type Readiness = { status: "ready" } | { status: "not-ready"; reason: string };

/**
 * Readiness: whether this process should get traffic. It should when the database takes a write
 * and its schema is the one this release migrates to, and not once a stop signal has arrived.
 * Reasons name the problem for the operator; they reveal no path or configuration.
 */
export function readinessCheck(now: Date = new Date()): Readiness {
  if (isShuttingDown()) return { status: "not-ready", reason: "shutting down" };
  // The route is public: a flood of probes makes at most one write a second. A failure is never
  // reused, so the first probe after a fault cleared sees it cleared.
  if (lastReadyAt !== undefined && now.getTime() - lastReadyAt >= 0 && now.getTime() - lastReadyAt < READY_REUSE_MS) return { status: "ready" };
  const readiness = checkNow(now);
  lastReadyAt = readiness.status === "ready" ? now.getTime() : undefined;
  return readiness;
}

/** How long a "ready" answer is reused. Probes come every few seconds; a flood gets this one. */
const READY_REUSE_MS = 1_000;
let lastReadyAt: number | undefined;

function checkNow(now: Date): Readiness {
  let sqlite;
  try {
    sqlite = getDb().$client;
    // A real write (a full disk, a read-only volume or a lock held elsewhere fails it), kept to one row.
    sqlite.prepare("INSERT INTO app_settings (key, value) VALUES ('ready_probe_at', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value").run(now.toISOString());
  } catch (error) {
    logger().error({ err: error }, "readiness: the database does not take a write");
    return { status: "not-ready", reason: "the database does not take a write" };
  }
  try {
    const { codeHead, databaseHead } = schemaState(sqlite, migrationsFolder());
    if (databaseHead > codeHead) return { status: "not-ready", reason: "the database was migrated by a newer release" };
    if (databaseHead < codeHead) return { status: "not-ready", reason: "database migrations are not at head" };
  } catch (error) {
    logger().error({ err: error }, "readiness: cannot compare the database schema with this release's migrations");
    return { status: "not-ready", reason: "cannot read the migration state" };
  }
  return { status: "ready" };
}
