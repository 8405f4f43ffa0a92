import { and, desc, eq, isNull, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { titleSql } from "@/lib/interactions/repository";
import { interactions, shareLinks, type ShareLinkRow } from "@/db/schema";

export interface ShareLinkListItem extends ShareLinkRow {
  interactionTitle: string | null;
}

export function createShareLinkRepository(db: Db) {
  return {
    insert(row: Omit<ShareLinkRow, "views" | "lastViewedAt" | "revokedAt">): ShareLinkRow {
      return db.insert(shareLinks).values(row).returning().get();
    },

    find(id: string): ShareLinkRow | undefined {
      return db.select().from(shareLinks).where(eq(shareLinks.id, id)).get();
    },

    findByTokenHash(tokenHash: string): ShareLinkRow | undefined {
      return db.select().from(shareLinks).where(eq(shareLinks.tokenHash, tokenHash)).get();
    },

    countView(id: string, at: Date): void {
      db.update(shareLinks)
        .set({ views: sql`${shareLinks.views} + 1`, lastViewedAt: at })
        .where(eq(shareLinks.id, id))
        .run();
    },

    /** Marks a link revoked unless it already is; true when this call revoked it. */
    revoke(id: string, at: Date): boolean {
      const result = db
        .update(shareLinks)
        .set({ revokedAt: at })
        .where(and(eq(shareLinks.id, id), isNull(shareLinks.revokedAt)))
        .run();
      return result.changes > 0;
    },

    list(): ShareLinkListItem[] {
      return db
        .select({
          id: shareLinks.id,
          tokenHash: shareLinks.tokenHash,
          interactionId: shareLinks.interactionId,
          createdAt: shareLinks.createdAt,
          createdBy: shareLinks.createdBy,
          expiresAt: shareLinks.expiresAt,
          revokedAt: shareLinks.revokedAt,
          hideSensitive: shareLinks.hideSensitive,
          views: shareLinks.views,
          lastViewedAt: shareLinks.lastViewedAt,
          interactionTitle: titleSql(interactions.rawJson),
        })
        .from(shareLinks)
        .innerJoin(interactions, eq(interactions.id, shareLinks.interactionId))
        .orderBy(desc(shareLinks.createdAt))
        .all();
    },
  };
}
