import "server-only";
import { getStore } from "@/db/client";
import { noteStoreBack, shouldLogStoreLoss, storeErrorForLog, storeLastSeenLost } from "@/db/availability";
import { logger } from "@/lib/logger";
import { pingStore } from "@/db/probe";

/**
 * For proxy.ts: when the store was last seen unreachable, one cheap query decides whether it is
 * back before a request is let through. It throws the store's error while the store is still
 * unreachable (toAppError makes that 503 storage_unavailable); otherwise the request goes on and
 * the mark is cleared. While the store is healthy this costs nothing.
 */
export async function confirmStoreIfLost(): Promise<void> {
  if (!storeLastSeenLost()) return;
  await pingStore(getStore());
  noteStoreBack();
}

/** Says in the log (at most every few seconds) why requests are answered 503 storage_unavailable. */
export function logStoreLoss(error: unknown): void {
  if (shouldLogStoreLoss()) logger().warn({ err: storeErrorForLog(error) }, "the database cannot be reached: answering 503 storage_unavailable");
}
