import { beforeEach, describe, expect, it } from "vitest";
import { openDatabase, type Db } from "@/db/client";
import { sessions } from "@/db/schema";
import { createSessionStore, passwordTag, type SessionStore } from "./sessions";
import { sha256 } from "./tokens";

const SECRET = "s".repeat(48);
const HOUR = 3_600_000;
let now = Date.parse("2026-11-29T10:00:00Z");
let db: Db;
let store: SessionStore;
const tag = passwordTag("correct-horse-battery", SECRET);

function open(viewer = "password", passwordTagValue: string | null = tag) {
  return store.open({ viewer, passwordTag: passwordTagValue, ttlMs: 12 * HOUR, client: "203.0.113.1" }).cookie;
}

describe("server-side sessions", () => {
  beforeEach(() => {
    now = Date.parse("2026-11-29T10:00:00Z");
    db = openDatabase(":memory:");
    store = createSessionStore(db, () => SECRET, () => now);
  });

  it("finds a live session until it expires", () => {
    const cookie = open();
    expect(store.find(cookie, tag)?.viewer).toBe("password");
    now += 12 * HOUR - 1;
    expect(store.find(cookie, tag)).not.toBeNull();
    now += 1;
    expect(store.find(cookie, tag)).toBeNull();
  });

  it("stores only a hash of the session id", () => {
    const cookie = open();
    const [id] = cookie.split(".");
    const rows = db.select().from(sessions).all();
    expect(rows).toHaveLength(1);
    expect(rows[0].idHash).toBe(sha256(id));
    expect(JSON.stringify(rows)).not.toContain(id);
  });

  it("rejects forged, tampered and foreign cookies", () => {
    const cookie = open();
    const [id, mac] = cookie.split(".");
    for (const value of [`${id}.${mac.slice(0, -2)}xx`, id, `${cookie}.x`, "", undefined, `x${id}.${mac}`, "a".repeat(300)]) {
      expect(store.find(value, tag)).toBeNull();
    }
    const other = createSessionStore(db, () => "t".repeat(48), () => now);
    expect(other.find(cookie, tag)).toBeNull();
  });

  it("sign-out revokes the session: the same cookie no longer works", () => {
    const cookie = open();
    expect(store.revoke(cookie)?.viewer).toBe("password");
    expect(store.find(cookie, tag)).toBeNull();
    expect(store.revoke(cookie)).toBeNull();
  });

  it("sign-out everywhere revokes every session of that viewer only", () => {
    const a = open("ana@example.com");
    const b = open("ana@example.com");
    const c = open("ben@example.com");
    expect(store.revokeAllOf("ana@example.com")).toBe(2);
    expect(store.find(a, tag)).toBeNull();
    expect(store.find(b, tag)).toBeNull();
    expect(store.find(c, tag)).not.toBeNull();
  });

  it("a changed password ends every password session", () => {
    const cookie = open();
    const newTag = passwordTag("a-brand-new-password", SECRET);
    expect(store.find(cookie, newTag)).toBeNull();
    expect(store.find(cookie, null)).toBeNull();
    expect(store.revokeStalePasswordSessions(newTag)).toBe(1);
    expect(store.find(cookie, tag)).toBeNull();
  });

  it("keeps sessions of the current password at start", () => {
    const cookie = open();
    expect(store.revokeStalePasswordSessions(tag)).toBe(0);
    expect(store.find(cookie, tag)).not.toBeNull();
  });

  it("writes last-seen at most once a minute", () => {
    const cookie = open();
    const lastSeen = () => db.select().from(sessions).get()!.lastSeenAt.getTime();
    const opened = lastSeen();
    now += 30_000;
    store.find(cookie, tag);
    expect(lastSeen()).toBe(opened);
    now += 30_000;
    store.find(cookie, tag);
    expect(lastSeen()).toBe(now);
  });

  it("a signature belongs to its own session id: swapping two sessions' signatures fails", () => {
    const [idA, macA] = open().split(".");
    const [idB, macB] = open().split(".");
    expect(store.find(`${idA}.${macA}`, tag)).not.toBeNull();
    expect(store.find(`${idA}.${macB}`, tag)).toBeNull();
    expect(store.find(`${idB}.${macA}`, tag)).toBeNull();
  });

  it("signing out with a forged, malformed or missing cookie ends nothing and does not fail", () => {
    const cookie = open();
    const [id] = cookie.split(".");
    for (const value of [undefined, "", "garbage", id, `${id}.forged`]) expect(store.revoke(value)).toBeNull();
    expect(store.find(cookie, tag)).not.toBeNull();
  });

  it("once the password is removed (SSO only), every password session ends at start", () => {
    const cookie = open();
    expect(store.revokeStalePasswordSessions(null)).toBe(1);
    expect(store.find(cookie, tag)).toBeNull();
    expect(store.revokeStalePasswordSessions(null)).toBe(0);
  });

  it("a session not tied to a password outlives password changes", () => {
    const cookie = open("ana@example.com", null);
    expect(store.find(cookie, tag)?.viewer).toBe("ana@example.com");
    expect(store.find(cookie, null)?.viewer).toBe("ana@example.com");
    expect(store.revokeStalePasswordSessions(passwordTag("a-brand-new-password", SECRET))).toBe(0);
    expect(store.find(cookie, tag)).not.toBeNull();
  });
});
