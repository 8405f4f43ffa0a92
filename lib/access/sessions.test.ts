import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Store } from "@/db/client";
import * as sqliteSchema from "@/db/schema";
import type { SessionRow } from "@/db/schema";
import * as postgresSchema from "@/db/schema.postgres";
import { openTestStore, testStores } from "@/test/stores";
import { createSessionStore, passwordTag, type SessionStore } from "./sessions";
import { sha256 } from "./tokens";

const SECRET = "s".repeat(48);
const HOUR = 3_600_000;
const tag = passwordTag("correct-horse-battery", SECRET);

/** Every session row, read straight from the store. */
async function sessionRows(store: Store): Promise<SessionRow[]> {
  return store.dialect === "sqlite" ? store.db.select().from(sqliteSchema.sessions).all() : await store.db.select().from(postgresSchema.sessions);
}

describe.each(testStores())("server-side sessions on %s", (dialect) => {
  let now = Date.parse("2026-11-29T10:00:00Z");
  let db: Store;
  let store: SessionStore;

  async function open(viewer = "password", passwordTagValue: string | null = tag) {
    return (await store.open({ viewer, passwordTag: passwordTagValue, ttlMs: 12 * HOUR, client: "203.0.113.1" })).cookie;
  }

  // One store for the suite (a Postgres database takes a while to create), emptied before each test.
  beforeAll(async () => {
    db = await openTestStore(dialect);
    store = createSessionStore(db, () => SECRET, () => now);
  });

  beforeEach(async () => {
    now = Date.parse("2026-11-29T10:00:00Z");
    if (db.dialect === "sqlite") db.db.delete(sqliteSchema.sessions).run();
    else await db.db.delete(postgresSchema.sessions);
  });

  it("finds a live session until it expires", async () => {
    const cookie = await open();
    expect((await store.find(cookie, tag))?.viewer).toBe("password");
    now += 12 * HOUR - 1;
    expect(await store.find(cookie, tag)).not.toBeNull();
    now += 1;
    expect(await store.find(cookie, tag)).toBeNull();
  });

  it("stores only a hash of the session id", async () => {
    const cookie = await open();
    const [id] = cookie.split(".");
    const rows = await sessionRows(db);
    expect(rows).toHaveLength(1);
    expect(rows[0].idHash).toBe(sha256(id));
    expect(JSON.stringify(rows)).not.toContain(id);
  });

  it("keeps the row's times and fields as written", async () => {
    await open("ana@example.com", null);
    const [row] = await sessionRows(db);
    expect(row).toEqual({
      idHash: row.idHash,
      viewer: "ana@example.com",
      passwordTag: null,
      createdAt: new Date(now),
      lastSeenAt: new Date(now),
      expiresAt: new Date(now + 12 * HOUR),
      revokedAt: null,
      client: "203.0.113.1",
      displayName: null,
    });
  });

  it("clears out sessions that expired more than a day ago as new ones open", async () => {
    const old = await open("old@example.com");
    now += 12 * HOUR + 24 * HOUR;
    await open("recent@example.com");
    expect((await sessionRows(db)).map((row) => row.viewer)).toEqual(["old@example.com", "recent@example.com"]);
    now += 1;
    await open("new@example.com");
    expect((await sessionRows(db)).map((row) => row.viewer).sort()).toEqual(["new@example.com", "recent@example.com"]);
    expect(await store.find(old, tag)).toBeNull();
  });

  it("rejects forged, tampered and foreign cookies", async () => {
    const cookie = await open();
    const [id, mac] = cookie.split(".");
    for (const value of [`${id}.${mac.slice(0, -2)}xx`, id, `${cookie}.x`, "", undefined, `x${id}.${mac}`, "a".repeat(300)]) {
      expect(await store.find(value, tag)).toBeNull();
    }
    const other = createSessionStore(db, () => "t".repeat(48), () => now);
    expect(await other.find(cookie, tag)).toBeNull();
  });

  it("sign-out revokes the session: the same cookie no longer works", async () => {
    const cookie = await open();
    expect((await store.revoke(cookie))?.viewer).toBe("password");
    expect(await store.find(cookie, tag)).toBeNull();
    expect(await store.revoke(cookie)).toBeNull();
  });

  it("two sign-outs of one session at once: one of them revokes it", async () => {
    const cookie = await open();
    const outcomes = await Promise.all([store.revoke(cookie), store.revoke(cookie), store.revoke(cookie)]);
    expect(outcomes.filter((outcome) => outcome !== null)).toHaveLength(1);
    expect(await store.find(cookie, tag)).toBeNull();
  });

  it("sign-out everywhere revokes every session of that viewer only", async () => {
    const a = await open("ana@example.com");
    const b = await open("ana@example.com");
    const c = await open("ben@example.com");
    expect(await store.revokeAllOf("ana@example.com")).toBe(2);
    expect(await store.find(a, tag)).toBeNull();
    expect(await store.find(b, tag)).toBeNull();
    expect(await store.find(c, tag)).not.toBeNull();
    expect(await store.revokeAllOf("ana@example.com")).toBe(0);
  });

  it("a changed password ends every password session", async () => {
    const cookie = await open();
    const newTag = passwordTag("a-brand-new-password", SECRET);
    expect(await store.find(cookie, newTag)).toBeNull();
    expect(await store.find(cookie, null)).toBeNull();
    expect(await store.revokeStalePasswordSessions(newTag)).toBe(1);
    expect(await store.find(cookie, tag)).toBeNull();
  });

  it("keeps sessions of the current password at start", async () => {
    const cookie = await open();
    expect(await store.revokeStalePasswordSessions(tag)).toBe(0);
    expect(await store.find(cookie, tag)).not.toBeNull();
  });

  it("writes last-seen at most once a minute", async () => {
    const cookie = await open();
    const lastSeen = async () => (await sessionRows(db))[0].lastSeenAt.getTime();
    const opened = await lastSeen();
    now += 30_000;
    await store.find(cookie, tag);
    expect(await lastSeen()).toBe(opened);
    now += 30_000;
    await store.find(cookie, tag);
    expect(await lastSeen()).toBe(now);
  });

  it("a signature belongs to its own session id: swapping two sessions' signatures fails", async () => {
    const [idA, macA] = (await open()).split(".");
    const [idB, macB] = (await open()).split(".");
    expect(await store.find(`${idA}.${macA}`, tag)).not.toBeNull();
    expect(await store.find(`${idA}.${macB}`, tag)).toBeNull();
    expect(await store.find(`${idB}.${macA}`, tag)).toBeNull();
  });

  it("signing out with a forged, malformed or missing cookie ends nothing and does not fail", async () => {
    const cookie = await open();
    const [id] = cookie.split(".");
    for (const value of [undefined, "", "garbage", id, `${id}.forged`]) expect(await store.revoke(value)).toBeNull();
    expect(await store.find(cookie, tag)).not.toBeNull();
  });

  it("once the password is removed (SSO only), every password session ends at start", async () => {
    const cookie = await open();
    expect(await store.revokeStalePasswordSessions(null)).toBe(1);
    expect(await store.find(cookie, tag)).toBeNull();
    expect(await store.revokeStalePasswordSessions(null)).toBe(0);
  });

  it("a session not tied to a password outlives password changes", async () => {
    const cookie = await open("ana@example.com", null);
    expect((await store.find(cookie, tag))?.viewer).toBe("ana@example.com");
    expect((await store.find(cookie, null))?.viewer).toBe("ana@example.com");
    expect(await store.revokeStalePasswordSessions(passwordTag("a-brand-new-password", SECRET))).toBe(0);
    expect(await store.find(cookie, tag)).not.toBeNull();
  });
});
