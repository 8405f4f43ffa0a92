import "server-only";
import { closeDb } from "@/db/client";
import { env } from "@/lib/env";
import { logger } from "@/lib/logger";
import { loggableError } from "@/db/availability";

/**
 * What server.mjs (which owns the listening socket) asks of the app when a stop signal arrives.
 * It finds this on globalThis under LIFECYCLE, the way lib/access finds its peer secret: the two
 * share a process but not a module graph.
 */
export interface ServerLifecycle {
  /** How long in-flight requests may run after the signal, in milliseconds. */
  graceMs: number;
  /** How long new connections are still accepted after the signal (readiness already failing), in milliseconds. */
  drainMs: number;
  /** Readiness fails from now on. */
  beginShutdown(signal: string): void;
  /** The last step: checkpoint and close the database (or end the Postgres pool). */
  finish(outcome: { timedOut: boolean; elapsedMs: number }): Promise<void>;
}

const LIFECYCLE = Symbol.for("interaction-inspector.lifecycle");
const state = globalThis as typeof globalThis & { __inspectorShuttingDown?: boolean };

/** Whether a stop signal has arrived: /api/ready then answers 503. */
export function isShuttingDown(): boolean {
  return state.__inspectorShuttingDown === true;
}

/** Hands server.mjs the shutdown steps. Called once at start, after configuration is validated. */
export function registerLifecycle(): void {
  const { SHUTDOWN_GRACE_SECONDS, SHUTDOWN_DRAIN_SECONDS } = env();
  const lifecycle: ServerLifecycle = {
    graceMs: SHUTDOWN_GRACE_SECONDS * 1000,
    drainMs: Math.min(SHUTDOWN_DRAIN_SECONDS, SHUTDOWN_GRACE_SECONDS) * 1000,
    beginShutdown(signal) {
      state.__inspectorShuttingDown = true;
      logger().info({ signal, graceSeconds: SHUTDOWN_GRACE_SECONDS, drainSeconds: SHUTDOWN_DRAIN_SECONDS }, "stopping: readiness fails now, in-flight requests may finish");
    },
    async finish({ timedOut, elapsedMs }) {
      if (timedOut) logger().warn({ elapsedMs }, `requests still running after SHUTDOWN_GRACE_SECONDS (${SHUTDOWN_GRACE_SECONDS} s): closing their connections`);
      try {
        await closeDb();
        logger().info({ elapsedMs }, "stopped: database checkpointed and closed");
      } catch (error) {
        logger().error({ err: loggableError(error) }, "could not checkpoint and close the database; its write-ahead log is applied at the next start");
      }
    },
  };
  (globalThis as Record<symbol, unknown>)[LIFECYCLE] = lifecycle;
}
