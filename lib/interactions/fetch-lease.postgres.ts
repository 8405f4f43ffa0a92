import { randomBytes } from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
import type { PostgresDb } from "@/db/client";
import { fetchLeases } from "@/db/schema.postgres";
import type { FetchLeases } from "./fetch-lease";

/** How often a waiting replica looks whether the holder is done: quick at first, then calmer. */
const POLL_FIRST_MS = 25;
const POLL_MAX_MS = 200;

/**
 * Leases in Postgres's fetch_leases table. Taking one is a single upsert that succeeds only when
 * no live lease exists (expiry is judged by the database's clock, so replicas' clocks may
 * differ). No connection is held while Nebuly answers: many ids fetched at once do not drain the
 * pool. The holder deletes its lease when done, whatever the outcome.
 */
export function postgresFetchLeases(db: PostgresDb, options: { leaseMs: number; sleep?: (ms: number) => Promise<void> }): FetchLeases {
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const leaseFor = sql`make_interval(secs => ${options.leaseMs / 1_000})`;
  // Identifies this process's leases: a lease is released only by its holder.
  const processId = randomBytes(8).toString("hex");
  let taken = 0;

  async function take(key: string, holder: string): Promise<boolean> {
    const rows = await db
      .insert(fetchLeases)
      .values({ key, holder, expiresAt: sql`now() + ${leaseFor}` })
      .onConflictDoUpdate({
        target: fetchLeases.key,
        set: { holder, expiresAt: sql`now() + ${leaseFor}` },
        setWhere: sql`${fetchLeases.expiresAt} < now()`,
      })
      .returning({ key: fetchLeases.key });
    return rows.length > 0;
  }

  async function held(key: string): Promise<boolean> {
    const rows = await db
      .select({ key: fetchLeases.key })
      .from(fetchLeases)
      .where(and(eq(fetchLeases.key, key), sql`${fetchLeases.expiresAt} >= now()`));
    return rows.length > 0;
  }

  return {
    async runOrWait(key, fetch) {
      const holder = `${processId}:${++taken}`;
      if (await take(key, holder)) {
        try {
          return { ran: true, value: await fetch() };
        } finally {
          await db
            .delete(fetchLeases)
            .where(and(eq(fetchLeases.key, key), eq(fetchLeases.holder, holder)))
            .catch(() => undefined);
        }
      }
      const giveUpAt = Date.now() + options.leaseMs;
      for (let pause = POLL_FIRST_MS; Date.now() < giveUpAt; pause = Math.min(POLL_MAX_MS, pause * 2)) {
        await sleep(pause);
        if (!(await held(key))) break;
      }
      return { ran: false };
    },
  };
}

/** Deletes leases that lapsed before `cutoff` (left by replicas that died mid-fetch), up to `limit`. */
export async function deleteLapsedFetchLeases(db: PostgresDb, cutoff: Date, limit: number): Promise<number> {
  const result = await db.execute(
    sql`DELETE FROM ${fetchLeases} WHERE ${fetchLeases.key} IN (SELECT ${fetchLeases.key} FROM ${fetchLeases} WHERE ${fetchLeases.expiresAt} < ${cutoff} LIMIT ${limit} FOR UPDATE SKIP LOCKED)`,
  );
  return result.rowCount ?? 0;
}
