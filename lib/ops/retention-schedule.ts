import "server-only";
import { getStore } from "@/db/client";
import { runExclusive } from "@/db/job-lock";
import { env } from "@/lib/env";
import { logger } from "@/lib/logger";
import { createRetentionJob, RETENTION_EVERY_MS, type RetentionReport } from "./retention";
import { loggableError } from "@/db/availability";

const holder = globalThis as typeof globalThis & { __inspectorRetentionStarted?: boolean };

/** The first run waits this long after start, so start-up and the first requests come first. */
const FIRST_RUN_DELAY_MS = 60_000;

/**
 * Starts the hourly retention job, once per process however often it is called. A run never
 * overlaps the previous one, nor (on Postgres) another replica's; a failed run is logged and the
 * next one tries again.
 */
export function startRetentionSchedule(): void {
  if (holder.__inspectorRetentionStarted) return;
  holder.__inspectorRetentionStarted = true;
  const retentionDays = env().CACHE_RETENTION_DAYS;
  const store = getStore();
  const job = createRetentionJob({ store, retentionDays });
  let running = false;
  const run = async () => {
    if (running) return;
    running = true;
    try {
      // Several replicas share one store: one of them runs each turn.
      const report: RetentionReport | null = await runExclusive(store, "retention", () => job.runOnce());
      if (report && Object.values(report).some((n) => n > 0)) logger().info({ removed: report, retentionDays }, "retention: removed unused rows");
    } catch (error) {
      logger().error({ err: loggableError(error) }, "retention run failed");
    } finally {
      running = false;
    }
  };
  // unref: the schedule never keeps a stopping process alive.
  setTimeout(run, FIRST_RUN_DELAY_MS).unref();
  setInterval(run, RETENTION_EVERY_MS).unref();
}
