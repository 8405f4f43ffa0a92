import "server-only";
import { getStore, type Store } from "@/db/client";
import { storeSchemaState, writeProbe } from "@/db/probe";
import { storeErrorForLog } from "@/db/availability";
import { logger } from "@/lib/logger";
import { allProjects, keyStateOf } from "@/lib/projects";
import { isShuttingDown } from "./lifecycle";

export type Readiness = { status: "ready"; nebulyKeysRefused?: number } | { status: "not-ready"; reason: string };

/**
 * Readiness: whether this process should get traffic. It should when the database takes a write
 * and its schema is the one this release migrates to, and not once a stop signal has arrived.
 * Reasons name the problem for the operator; they reveal no path or configuration.
 */
export async function readinessCheck(now: Date = new Date()): Promise<Readiness> {
  if (isShuttingDown()) return { status: "not-ready", reason: "shutting down" };
  let store: Store;
  try {
    store = getStore();
    // A real write (a full disk, a read-only volume or a lock held elsewhere fails it), kept to one
    // row. The route is public: a flood of probes makes at most one write a second (probes that
    // arrive while it is on its way wait for it rather than write again), and a failed write is
    // never reused, so the first probe after a fault cleared sees it cleared.
    const wroteRecently = lastWriteAt !== undefined && now.getTime() - lastWriteAt >= 0 && now.getTime() - lastWriteAt < WRITE_REUSE_MS;
    if (!wroteRecently) {
      writeInFlight ??= probeWrite(store, now);
      await writeInFlight;
    }
  } catch (error) {
    return notReady("the database does not take a write", error);
  }
  // A read, checked on every probe: a newer release migrating the shared file shows at once.
  try {
    const { codeHead, databaseHead } = await storeSchemaState(store);
    if (databaseHead > codeHead) return { status: "not-ready", reason: "the database was migrated by a newer release" };
    if (databaseHead < codeHead) return { status: "not-ready", reason: "database migrations are not at head" };
  } catch (error) {
    return notReady("cannot read the migration state", error);
  }
  // A refused key stops one project, not this process (every replica has the same key): still
  // ready, but says how many keys Nebuly refused last. A count, not names: this route is public,
  // and a project restricted to some groups must not be named to anyone else. Which ones: the
  // log, the inspector_nebuly_key_refused metric, or GET /api/projects (signed in).
  if (failingFor !== undefined) {
    logger().info({ after: failingFor }, "readiness: ready again");
    failingFor = undefined;
  }
  const refused = allProjects().filter((project) => keyStateOf(project.slug) === "auth_failed").length;
  return refused > 0 ? { status: "ready", nebulyKeysRefused: refused } : { status: "ready" };
}

/**
 * Why the last probe failed, while it fails. A load balancer probes every few seconds: one error
 * line when a reason starts and one when the process is ready again, not a line per probe.
 */
let failingFor: string | undefined;

function notReady(reason: string, error: unknown): Readiness {
  if (failingFor !== reason) logger().error({ err: storeErrorForLog(error) }, `readiness: ${reason}`);
  failingFor = reason;
  return { status: "not-ready", reason };
}

/** How long a successful probe write is reused. Probes come every few seconds; a flood gets this one. */
const WRITE_REUSE_MS = 1_000;
let lastWriteAt: number | undefined;
/** The probe write on its way (a round trip to Postgres), which probes arriving meanwhile share. */
let writeInFlight: Promise<void> | undefined;

async function probeWrite(store: Store, now: Date): Promise<void> {
  try {
    lastWriteAt = undefined;
    await writeProbe(store, now);
    lastWriteAt = now.getTime();
  } finally {
    writeInFlight = undefined;
  }
}
