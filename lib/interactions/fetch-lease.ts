import type { Store } from "@/db/client";
import { postgresFetchLeases } from "./fetch-lease.postgres";

/**
 * Single-flight across replicas. Within a process, SingleFlight already makes one upstream call
 * per id; replicas sharing a store also agree, through a lease, which one of them calls Nebuly.
 */
export interface FetchLeases {
  /**
   * Runs `fetch` when this replica gets the lease for `key` (or no other replica holds it), and
   * answers `{ ran: true, value }`. When another replica holds it, waits until that replica is
   * done (or its lease lapses, or `waitMs` passes) and answers `{ ran: false }`: the caller then
   * reads what the other replica stored.
   */
  runOrWait<T>(key: string, fetch: () => Promise<T>): Promise<{ ran: true; value: T } | { ran: false }>;
}

/** One process per store (SQLite): SingleFlight is enough, the fetch always runs. */
export const inProcessLeases: FetchLeases = {
  async runOrWait(_key, fetch) {
    return { ran: true, value: await fetch() };
  },
};

/**
 * The leases for `store`. `leaseMs` bounds how long a replica may hold one (longer than any fetch
 * with its retries: a replica that dies mid-fetch holds the others up at most this long).
 */
export function fetchLeases(store: Store, leaseMs: number): FetchLeases {
  return store.dialect === "postgres" ? postgresFetchLeases(store.db, { leaseMs }) : inProcessLeases;
}
