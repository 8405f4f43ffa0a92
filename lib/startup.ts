import "server-only";
import { prepareStore } from "@/db/client";
import { databaseTarget, describeDatabase } from "@/db/url";
import { SchemaAheadError } from "@/db/migrate";
import { UnsupportedPostgresError } from "@/db/migrate-postgres";
import { loadSessionSecret, revokeSessionsOfOldPasswords } from "@/lib/access";
import { env, EnvError, isDemoMode } from "@/lib/env";
import { isStoreUnreachable, noteStoreLost, onStoreTransitions, storeErrorForLog } from "@/db/availability";
import { logger } from "@/lib/logger";
import { registerLifecycle } from "@/lib/ops/lifecycle";
import { startRetentionSchedule } from "@/lib/ops/retention-schedule";
import { metrics } from "@/lib/ops/metrics";
import { messageRenderer } from "@/lib/render/message";

export async function startServer(): Promise<void> {
  try {
    env();
  } catch (error) {
    if (error instanceof EnvError) {
      console.error(`Interaction Inspector cannot start. ${error.message}\nSee .env.example for every setting.`);
      process.exit(1);
    }
    throw error;
  }
  registerLifecycle();
  // The URL as logged never carries Postgres's user or password.
  const database = describeDatabase(env().DATABASE_URL);
  try {
    await openStoreWhenReachable();
    await loadSessionSecret();
    logger().info({ database }, `store: ${databaseTarget(env().DATABASE_URL).dialect === "postgres" ? "Postgres" : "SQLite"}`);
  } catch (error) {
    if (error instanceof SchemaAheadError || error instanceof UnsupportedPostgresError) {
      logger().fatal({ database }, `cannot start: ${error.message}`);
      process.exit(1);
    }
    logger().fatal({ err: storeErrorForLog(error), database }, "cannot open the database");
    process.exit(1);
  }
  // Made now so the access log's request counts start with the first request (lib/ops/access-log.mjs).
  metrics();
  const revoked = await revokeSessionsOfOldPasswords();
  if (revoked > 0) logger().info({ sessions: revoked }, "the password changed: signed out every session opened with the old one");
  const { INSPECTOR_PASSWORD, INSPECTOR_TRUSTED_USER_HEADER, TRUST_PROXY } = env();
  if (INSPECTOR_TRUSTED_USER_HEADER && !TRUST_PROXY) {
    logger().info({ header: INSPECTOR_TRUSTED_USER_HEADER }, "TRUST_PROXY is unset: the user header is honoured only from a proxy on this machine (127.0.0.1 or ::1)");
  }
  if (!INSPECTOR_PASSWORD && !INSPECTOR_TRUSTED_USER_HEADER) {
    logger().warn("open access: neither INSPECTOR_PASSWORD nor INSPECTOR_TRUSTED_USER_HEADER is set, so anyone who can reach this server can read every interaction");
  } else {
    logger().info({ password: Boolean(INSPECTOR_PASSWORD), trustedUserHeader: INSPECTOR_TRUSTED_USER_HEADER ?? null }, "access protected");
  }
  startRetentionSchedule();
  // Start the render worker now, so the first page viewed does not wait for it to load.
  void messageRenderer().warmUp();
  if (isDemoMode()) {
    logger().info({ projects: env().projects.length }, "no Nebuly key is set (NEBULY_API_KEY, NEBULY_PROJECTS or NEBULY_PROJECTS_FILE): serving the bundled demo data, as two demo projects (demo mode)");
  } else {
    // Slugs, names, hosts and who may see each: never a key.
    const projects = env().projects.map((project) => ({ slug: project.slug, name: project.name, upstream: new URL(project.apiUrl).host, allowGroups: project.allowGroups ?? "everyone" }));
    logger().info({ projects }, `live mode: fetching from Nebuly for ${projects.length === 1 ? "one project" : `${projects.length} projects`}`);
  }
  // server.mjs serves requests, and says it listens, from now on.
  const started = (globalThis as Record<symbol, unknown>)[Symbol.for("interaction-inspector.started")];
  if (typeof started === "function") started();
}

/** How long a starting replica waits for a Postgres that is not up yet (compose starts both at once). */
const STORE_WAIT_MS = 30_000;

/**
 * Opens the store and migrates it. A Postgres that refuses connections at first (still starting)
 * is retried for STORE_WAIT_MS; anything else (bad credentials, a failed migration) stops at once.
 */
async function openStoreWhenReachable(): Promise<void> {
  // One line when the database is lost and one when it is back, whichever request or probe saw it.
  onStoreTransitions({
    lost: (error) => logger().error({ err: storeErrorForLog(error) }, "the database cannot be reached: requests that need it answer 503 storage_unavailable until it is back"),
    back: (lostForMs) => logger().info({ lostForMs }, "the database answers again"),
  });
  const onIdleError = (error: Error) => {
    noteStoreLost(Date.now(), error);
    logger().warn({ err: storeErrorForLog(error) }, "a Postgres connection was lost; the next query reconnects");
  };
  const giveUpAt = Date.now() + STORE_WAIT_MS;
  for (let attempt = 1; ; attempt++) {
    try {
      await prepareStore(onIdleError);
      return;
    } catch (error) {
      if (!isStoreUnreachable(error) || Date.now() >= giveUpAt) throw error;
      if (attempt === 1) logger().info({ database: describeDatabase(env().DATABASE_URL) }, "waiting for the database to accept connections");
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
  }
}
