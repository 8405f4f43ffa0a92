import type { Store } from "@/db/client";
import { deleteRateWindowsBefore } from "@/lib/access/rate-limit.postgres";
import { deleteLapsedFetchLeases } from "@/lib/interactions/fetch-lease.postgres";
import { AUDIT_RETENTION_DAYS } from "@/lib/audit/actions";
import { createAuditRepository } from "@/lib/audit/repository";
import { LIST_CACHE_TTL_MS } from "@/lib/interactions/browse";
import { createInteractionRepository } from "@/lib/interactions/repository";
import { createShareLinkRepository } from "@/lib/sharing/repository";

const DAY_MS = 86_400_000;

/** How long a revoked or expired share link's row stays (its address says "revoked or expired" meanwhile, then "not found"). */
export const ENDED_SHARE_LINK_KEEP_DAYS = 30;
/** How often the job runs in a server process. */
export const RETENTION_EVERY_MS = 3_600_000;
/** Rows deleted per transaction: each batch is short, so requests in between never wait long. */
const BATCH_SIZE = 200;

/** What one run removed. */
export interface RetentionReport {
  /** Snapshots neither viewed nor fetched for CACHE_RETENTION_DAYS, with their search entries and Recently viewed places. */
  snapshots: number;
  /** Cached Nebuly list pages past their 60 s. */
  listPages: number;
  /** Share links revoked or expired more than ENDED_SHARE_LINK_KEEP_DAYS ago. */
  shareLinks: number;
  /** Audit events older than AUDIT_RETENTION_DAYS. */
  auditEvents: number;
}

export interface RetentionDeps {
  store: Store;
  /** CACHE_RETENTION_DAYS: 0 keeps snapshots forever (the other rows are still pruned). */
  retentionDays: number;
  now?: () => number;
  batchSize?: number;
  /** Awaited between batches, so a large prune yields to requests; the next turn of the event loop by default. */
  pause?: () => Promise<void>;
}

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * The retention rules, over one database. A snapshot goes when nobody has opened (viewed or
 * fetched) it for `retentionDays` and no unrevoked share link points to it: a live link always
 * keeps its snapshot, and so does an expired one until its row is pruned ENDED_SHARE_LINK_KEEP_DAYS
 * after it ended (the database refuses otherwise, see drizzle/0008_share_link_guard.sql).
 * Deletes run in bounded batches, one short transaction each, with a pause between them.
 */
export function createRetentionJob(deps: RetentionDeps) {
  const now = deps.now ?? Date.now;
  const batchSize = deps.batchSize ?? BATCH_SIZE;
  const pause = deps.pause ?? nextTurn;
  const interactions = createInteractionRepository(deps.store);
  const shareLinks = createShareLinkRepository(deps.store);
  const audit = createAuditRepository(deps.store);

  /** Runs `step` (which deletes at most a batch) until a batch comes back short; returns the total. */
  async function inBatches(step: () => Promise<number>): Promise<number> {
    let total = 0;
    for (;;) {
      const removed = await step();
      total += removed;
      if (removed < batchSize) return total;
      await pause();
    }
  }

  return {
    async runOnce(): Promise<RetentionReport> {
      const at = now();
      // Ended links first: a link pruned now no longer holds its snapshot back in this same run.
      const shareLinksRemoved = await inBatches(() => shareLinks.deleteEndedBefore(new Date(at - ENDED_SHARE_LINK_KEEP_DAYS * DAY_MS), batchSize));
      let snapshots = 0;
      if (deps.retentionDays > 0) {
        const cutoff = new Date(at - deps.retentionDays * DAY_MS);
        snapshots = await inBatches(async () => interactions.deleteSnapshots(await interactions.unusedSince(cutoff, batchSize)));
      }
      const listPages = await inBatches(() => interactions.deleteListPagesBefore(new Date(at - LIST_CACHE_TTL_MS), batchSize));
      const auditEvents = await inBatches(() => audit.deleteBefore(new Date(at - AUDIT_RETENTION_DAYS * DAY_MS), batchSize));
      // Replicas' counters and leases (Postgres only): a window or lease over a day old is long over.
      if (deps.store.dialect === "postgres") {
        const db = deps.store.db;
        await inBatches(() => deleteRateWindowsBefore(db, new Date(at - DAY_MS), batchSize));
        await inBatches(() => deleteLapsedFetchLeases(db, new Date(at - DAY_MS), batchSize));
      }
      return { snapshots, listPages, shareLinks: shareLinksRemoved, auditEvents };
    },
  };
}

/** The report in words, for `npm run db:prune` and the log. */
export function describeRetention(report: RetentionReport, retentionDays: number): string {
  const count = (n: number, one: string, many: string) => `${n.toLocaleString("en-US")} ${n === 1 ? one : many}`;
  return [
    retentionDays > 0
      ? `${count(report.snapshots, "snapshot", "snapshots")} nobody opened for ${retentionDays} days (with search entries and Recently viewed places)`
      : "no snapshots (CACHE_RETENTION_DAYS=0 keeps them forever)",
    `${count(report.listPages, "expired list page", "expired list pages")}`,
    `${count(report.shareLinks, "share link", "share links")} revoked or expired over ${ENDED_SHARE_LINK_KEEP_DAYS} days ago`,
    `${count(report.auditEvents, "audit event", "audit events")} older than ${AUDIT_RETENTION_DAYS} days`,
  ].join("\n");
}
