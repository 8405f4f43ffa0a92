import { createHmac } from "node:crypto";
import { and, eq, isNotNull, isNull, lt, ne } from "drizzle-orm";
import type { SqliteDb, Store } from "@/db/client";
import { createPostgresSessionRows } from "./sessions.postgres";
import { sessions, type SessionRow } from "@/db/schema";
import { signId, verifySignedId } from "./signed-id";
import { randomToken, safeEqual, sha256 } from "./tokens";

/**
 * Server-side sessions. The cookie is a signed random id (see signed-id.ts): the signature rejects
 * forged or truncated values without a database read, and the row (looked up by SHA-256 of the id, so a
 * copy of the database holds no usable session) decides whether the session still counts.
 *
 * What a session means is written once here (createSessionStore); each store only reads and
 * writes rows (SessionRows: createSqliteSessionRows below, createPostgresSessionRows in
 * sessions.postgres.ts).
 */

/** How often a session's last-seen time is written, at most: reading a page should not always write. */
const TOUCH_EVERY_MS = 60_000;

/** Expired rows are kept this long after expiry, then cleared out as new sessions open. */
const KEEP_EXPIRED_MS = 86_400_000;

/** Ties password sessions to the password they were opened with: a new password ends them all. */
export function passwordTag(password: string, secret: string): string {
  return createHmac("sha256", secret).update(`password:${password}`).digest("base64url");
}

export interface OpenSession {
  viewer: string;
  /** The name the person gave at sign-in (author of their notes); null when none was asked. */
  displayName: string | null;
  idHash: string;
  expiresAt: Date;
}

/** The session rows of one store. Each method is one statement: replicas may share the rows. */
export interface SessionRows {
  insert(row: SessionRow): Promise<void>;
  /** Deletes sessions that expired before `cutoff`. */
  deleteExpiredBefore(cutoff: Date): Promise<void>;
  findByHash(idHash: string): Promise<SessionRow | undefined>;
  /** Sets last-seen. */
  touch(idHash: string, at: Date): Promise<void>;
  /** Sets the session's display name. */
  setDisplayName(idHash: string, displayName: string): Promise<void>;
  /** Revokes the session unless it already is; true when this call revoked it. */
  revokeByHash(idHash: string, at: Date): Promise<boolean>;
  /** Revokes every unrevoked session of a viewer; returns how many. */
  revokeAllOf(viewer: string, at: Date): Promise<number>;
  /** Revokes every unrevoked password session whose tag is not `currentPasswordTag` (all of them for null); returns how many. */
  revokeStalePasswordSessions(currentPasswordTag: string | null, at: Date): Promise<number>;
}

function sessionStoreOver(rows: SessionRows, secret: () => string, now: () => number) {
  const parseCookie = (value: string | undefined): string | null => verifySignedId("session", value, secret());

  return {
    /** Opens a session; returns the cookie value (shown once) and when it ends. */
    async open(input: { viewer: string; passwordTag: string | null; ttlMs: number; client: string | null; displayName?: string | null }): Promise<{ cookie: string; expiresAt: Date }> {
      const id = randomToken(32);
      const at = now();
      const expiresAt = new Date(at + input.ttlMs);
      await rows.insert({
        idHash: sha256(id),
        viewer: input.viewer,
        passwordTag: input.passwordTag,
        createdAt: new Date(at),
        lastSeenAt: new Date(at),
        expiresAt,
        revokedAt: null,
        client: input.client,
        displayName: input.displayName ?? null,
      });
      // Expired rows are of no use to anyone: clear them out as new ones arrive.
      await rows.deleteExpiredBefore(new Date(at - KEEP_EXPIRED_MS));
      return { cookie: signId("session", id, secret()), expiresAt };
    },

    /**
     * The live session behind a cookie, or null when the cookie is forged, unknown, expired,
     * revoked, or was opened with a password other than `currentPasswordTag`.
     */
    async find(cookie: string | undefined, currentPasswordTag: string | null): Promise<OpenSession | null> {
      const id = parseCookie(cookie);
      if (!id) return null;
      const idHash = sha256(id);
      const row = await rows.findByHash(idHash);
      if (!row || !isLive(row, now(), currentPasswordTag)) return null;
      if (now() - row.lastSeenAt.getTime() >= TOUCH_EVERY_MS) await rows.touch(idHash, new Date(now()));
      return { viewer: row.viewer, displayName: row.displayName, idHash, expiresAt: row.expiresAt };
    },

    /**
     * Names the live session behind a cookie (a session opened before names were asked, naming
     * itself when it first writes a note); false when the cookie opens no live session.
     */
    async name(cookie: string | undefined, currentPasswordTag: string | null, displayName: string): Promise<boolean> {
      const id = parseCookie(cookie);
      if (!id) return false;
      const idHash = sha256(id);
      const row = await rows.findByHash(idHash);
      if (!row || !isLive(row, now(), currentPasswordTag)) return false;
      await rows.setDisplayName(idHash, displayName);
      return true;
    },

    /** Revokes the session behind a cookie; the session when this call revoked one, else null. */
    async revoke(cookie: string | undefined): Promise<OpenSession | null> {
      const id = parseCookie(cookie);
      if (!id) return null;
      const idHash = sha256(id);
      const row = await rows.findByHash(idHash);
      if (!row || row.revokedAt) return null;
      // Another replica may revoke it between the read and the write: only one of them reports it.
      if (!(await rows.revokeByHash(idHash, new Date(now())))) return null;
      return { viewer: row.viewer, displayName: row.displayName, idHash, expiresAt: row.expiresAt };
    },

    /** Revokes every live session of a viewer; returns how many. */
    async revokeAllOf(viewer: string): Promise<number> {
      return rows.revokeAllOf(viewer, new Date(now()));
    },

    /** Revokes every password session not opened with the current password (run at start). */
    async revokeStalePasswordSessions(currentPasswordTag: string | null): Promise<number> {
      return rows.revokeStalePasswordSessions(currentPasswordTag, new Date(now()));
    },
  };
}

export type SessionStore = ReturnType<typeof sessionStoreOver>;

function isLive(row: SessionRow, at: number, currentPasswordTag: string | null): boolean {
  if (row.revokedAt) return false;
  if (row.expiresAt.getTime() <= at) return false;
  if (row.passwordTag !== null && (currentPasswordTag === null || !safeEqual(row.passwordTag, currentPasswordTag))) return false;
  return true;
}

/** Session rows on SQLite (better-sqlite3 is synchronous; the methods are async for the interface). */
function createSqliteSessionRows(db: SqliteDb): SessionRows {
  return {
    async insert(row) {
      db.insert(sessions).values(row).run();
    },

    async deleteExpiredBefore(cutoff) {
      db.delete(sessions).where(lt(sessions.expiresAt, cutoff)).run();
    },

    async findByHash(idHash) {
      return db.select().from(sessions).where(eq(sessions.idHash, idHash)).get();
    },

    async touch(idHash, at) {
      db.update(sessions).set({ lastSeenAt: at }).where(eq(sessions.idHash, idHash)).run();
    },

    async setDisplayName(idHash, displayName) {
      db.update(sessions).set({ displayName }).where(eq(sessions.idHash, idHash)).run();
    },

    async revokeByHash(idHash, at) {
      return (
        db
          .update(sessions)
          .set({ revokedAt: at })
          .where(and(eq(sessions.idHash, idHash), isNull(sessions.revokedAt)))
          .run().changes > 0
      );
    },

    async revokeAllOf(viewer, at) {
      return db
        .update(sessions)
        .set({ revokedAt: at })
        .where(and(eq(sessions.viewer, viewer), isNull(sessions.revokedAt)))
        .run().changes;
    },

    async revokeStalePasswordSessions(currentPasswordTag, at) {
      const otherPassword = currentPasswordTag === null ? isNotNull(sessions.passwordTag) : and(isNotNull(sessions.passwordTag), ne(sessions.passwordTag, currentPasswordTag));
      return db
        .update(sessions)
        .set({ revokedAt: at })
        .where(and(isNull(sessions.revokedAt), otherPassword))
        .run().changes;
    },
  };
}

export function createSessionStore(store: Store, secret: () => string, now: () => number = Date.now): SessionStore {
  const rows = store.dialect === "sqlite" ? createSqliteSessionRows(store.db) : createPostgresSessionRows(store.db);
  return sessionStoreOver(rows, secret, now);
}
