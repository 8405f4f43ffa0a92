import { createHash } from "node:crypto";
import type { Store } from "./client";

/**
 * Runs a background job (retention, …) on one replica at a time. On Postgres the job holds a
 * session advisory lock, keyed by its name, for as long as it runs; a replica that finds the lock
 * taken skips this turn (the holder is doing the work) and returns null. On SQLite there is one
 * process per file, so the job simply runs.
 */
export async function runExclusive<T>(store: Store, job: string, work: () => Promise<T>): Promise<T | null> {
  if (store.dialect === "sqlite") return work();
  const client = await store.db.$client.connect();
  const key = jobLockKey(job);
  let released = false;
  try {
    const { rows } = await client.query<{ locked: boolean }>("SELECT pg_try_advisory_lock($1::bigint) AS locked", [key]);
    if (!rows[0]?.locked) return null;
    try {
      return await work();
    } finally {
      await client.query("SELECT pg_advisory_unlock($1::bigint)", [key]).catch((error: unknown) => {
        // The connection died: Postgres let the lock go with it. Do not hand the dead client back.
        released = true;
        client.release(error as Error);
      });
    }
  } finally {
    if (!released) client.release();
  }
}

/** A stable signed 64-bit key for a job name (advisory locks take a bigint). */
export function jobLockKey(job: string): string {
  return createHash("sha256").update(`interaction-inspector job:${job}`).digest().readBigInt64BE(0).toString();
}
