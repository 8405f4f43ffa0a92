import { createHmac } from "node:crypto";
import { and, eq, isNotNull, isNull, lt, ne } from "drizzle-orm";
import type { Db } from "@/db/client";
import { sessions, type SessionRow } from "@/db/schema";
import { signId, verifySignedId } from "./signed-id";
import { randomToken, safeEqual, sha256 } from "./tokens";

/**
 * Server-side sessions. The cookie is a signed random id (see signed-id.ts): the signature rejects
 * forged or truncated values without a database read, and the row (looked up by SHA-256 of the id, so a
 * copy of the database holds no usable session) decides whether the session still counts.
 */

/** How often a session's last-seen time is written, at most: reading a page should not always write. */
const TOUCH_EVERY_MS = 60_000;

/** Ties password sessions to the password they were opened with: a new password ends them all. */
export function passwordTag(password: string, secret: string): string {
  return createHmac("sha256", secret).update(`password:${password}`).digest("base64url");
}

export interface OpenSession {
  viewer: string;
  idHash: string;
  expiresAt: Date;
}

export function createSessionStore(db: Db, secret: () => string, now: () => number = Date.now) {
  const parseCookie = (value: string | undefined): string | null => verifySignedId("session", value, secret());

  return {
    /** Opens a session; returns the cookie value (shown once) and when it ends. */
    open(input: { viewer: string; passwordTag: string | null; ttlMs: number; client: string | null }): { cookie: string; expiresAt: Date } {
      const id = randomToken(32);
      const at = now();
      const expiresAt = new Date(at + input.ttlMs);
      db.insert(sessions)
        .values({
          idHash: sha256(id),
          viewer: input.viewer,
          passwordTag: input.passwordTag,
          createdAt: new Date(at),
          lastSeenAt: new Date(at),
          expiresAt,
          client: input.client,
        })
        .run();
      // Expired rows are of no use to anyone: clear them out as new ones arrive.
      db.delete(sessions).where(lt(sessions.expiresAt, new Date(at - 86_400_000))).run();
      return { cookie: signId("session", id, secret()), expiresAt };
    },

    /**
     * The live session behind a cookie, or null when the cookie is forged, unknown, expired,
     * revoked, or was opened with a password other than `currentPasswordTag`.
     */
    find(cookie: string | undefined, currentPasswordTag: string | null): OpenSession | null {
      const id = parseCookie(cookie);
      if (!id) return null;
      const idHash = sha256(id);
      const row = db.select().from(sessions).where(eq(sessions.idHash, idHash)).get();
      if (!row || !isLive(row, now(), currentPasswordTag)) return null;
      if (now() - row.lastSeenAt.getTime() >= TOUCH_EVERY_MS) {
        db.update(sessions).set({ lastSeenAt: new Date(now()) }).where(eq(sessions.idHash, idHash)).run();
      }
      return { viewer: row.viewer, idHash, expiresAt: row.expiresAt };
    },

    /** Revokes the session behind a cookie; true when there was a live one. */
    revoke(cookie: string | undefined): OpenSession | null {
      const id = parseCookie(cookie);
      if (!id) return null;
      const idHash = sha256(id);
      const row = db.select().from(sessions).where(eq(sessions.idHash, idHash)).get();
      if (!row || row.revokedAt) return null;
      db.update(sessions).set({ revokedAt: new Date(now()) }).where(eq(sessions.idHash, idHash)).run();
      return { viewer: row.viewer, idHash, expiresAt: row.expiresAt };
    },

    /** Revokes every live session of a viewer; returns how many. */
    revokeAllOf(viewer: string): number {
      return db
        .update(sessions)
        .set({ revokedAt: new Date(now()) })
        .where(and(eq(sessions.viewer, viewer), isNull(sessions.revokedAt)))
        .run().changes;
    },

    /** Revokes every password session not opened with the current password (run at start). */
    revokeStalePasswordSessions(currentPasswordTag: string | null): number {
      const otherPassword = currentPasswordTag === null ? isNotNull(sessions.passwordTag) : and(isNotNull(sessions.passwordTag), ne(sessions.passwordTag, currentPasswordTag));
      return db
        .update(sessions)
        .set({ revokedAt: new Date(now()) })
        .where(and(isNull(sessions.revokedAt), otherPassword))
        .run().changes;
    },
  };
}

export type SessionStore = ReturnType<typeof createSessionStore>;

function isLive(row: SessionRow, at: number, currentPasswordTag: string | null): boolean {
  if (row.revokedAt) return false;
  if (row.expiresAt.getTime() <= at) return false;
  if (row.passwordTag !== null && (currentPasswordTag === null || !safeEqual(row.passwordTag, currentPasswordTag))) return false;
  return true;
}
