import { eq } from "drizzle-orm";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Store } from "@/db/client";
import * as sqliteSchema from "@/db/schema";
import * as postgresSchema from "@/db/schema.postgres";
import { openTestStore, testStores } from "@/test/stores";
import { createShareLinkRepository, type ShareLinkRepository } from "./repository";

const T0 = Date.parse("2026-11-29T10:00:00Z");
const HOUR = 3_600_000;
const at = (hours: number) => new Date(T0 + hours * HOUR);

describe.each(testStores())("share links on %s", (dialect) => {
  let store: Store;
  let links: ShareLinkRepository;
  let n = 0;

  /** A cached interaction row, written straight to the store. */
  async function cacheInteraction(body: Record<string, unknown>, projectSlug = "default"): Promise<string> {
    const id = `00000000-0000-4000-8000-${String(++n).padStart(12, "0")}`;
    const row = { id, rawJson: JSON.stringify({ id, ...body }), fetchedAt: at(0), projectSlug };
    if (store.dialect === "sqlite") store.db.insert(sqliteSchema.interactions).values(row).run();
    else await store.db.insert(postgresSchema.interactions).values(row);
    return id;
  }

  /** Deletes an interaction row straight from the store (what retention and Forget do). */
  async function deleteInteraction(id: string): Promise<void> {
    if (store.dialect === "sqlite") store.db.delete(sqliteSchema.interactions).where(eq(sqliteSchema.interactions.id, id)).run();
    else await store.db.delete(postgresSchema.interactions).where(eq(postgresSchema.interactions.id, id));
  }

  async function interactionIds(): Promise<string[]> {
    const rows = store.dialect === "sqlite" ? store.db.select({ id: sqliteSchema.interactions.id }).from(sqliteSchema.interactions).all() : await store.db.select({ id: postgresSchema.interactions.id }).from(postgresSchema.interactions);
    return rows.map((row) => row.id).sort();
  }

  /** The database's own words: drizzle wraps a Postgres error, whose message is then its cause's. */
  async function failureOf(action: Promise<unknown>): Promise<string> {
    try {
      await action;
    } catch (error) {
      const cause = (error as { cause?: unknown }).cause;
      return [error, cause].map((part) => (part instanceof Error ? part.message : "")).join(" | ");
    }
    return "no failure";
  }

  function newLink(id: string, interactionId: string, fields: { createdAt?: Date; expiresAt?: Date | null; hideSensitive?: boolean; createdBy?: string | null } = {}) {
    return links.insert({
      id,
      tokenHash: `hash-of-${id}`,
      interactionId,
      createdAt: fields.createdAt ?? at(0),
      createdBy: fields.createdBy === undefined ? "ana@example.com" : fields.createdBy,
      expiresAt: fields.expiresAt === undefined ? at(24) : fields.expiresAt,
      hideSensitive: fields.hideSensitive ?? false,
    });
  }

  beforeAll(async () => {
    store = await openTestStore(dialect);
    links = createShareLinkRepository(store);
  });

  beforeEach(async () => {
    if (store.dialect === "sqlite") {
      store.db.delete(sqliteSchema.shareLinks).run();
      store.db.delete(sqliteSchema.interactions).run();
    } else {
      await store.db.delete(postgresSchema.shareLinks);
      await store.db.delete(postgresSchema.interactions);
    }
  });

  it("stores a link and finds it by id and by token hash", async () => {
    const interaction = await cacheInteraction({ user_query: "Refund" });
    const inserted = await newLink("link-1", interaction, { hideSensitive: true });
    const expected = {
      id: "link-1",
      tokenHash: "hash-of-link-1",
      interactionId: interaction,
      createdAt: at(0),
      createdBy: "ana@example.com",
      expiresAt: at(24),
      revokedAt: null,
      hideSensitive: true,
      views: 0,
      lastViewedAt: null,
    };
    expect(inserted).toEqual(expected);
    expect(await links.find("link-1")).toEqual(expected);
    expect(await links.findByTokenHash("hash-of-link-1")).toEqual(expected);
    expect(await links.find("link-2")).toBeUndefined();
    expect(await links.findByTokenHash("hash-of-link-2")).toBeUndefined();
  });

  it("refuses a second link with the same token hash", async () => {
    const interaction = await cacheInteraction({});
    await newLink("link-1", interaction);
    expect(await failureOf(links.insert({ id: "link-2", tokenHash: "hash-of-link-1", interactionId: interaction, createdAt: at(0), createdBy: null, expiresAt: null, hideSensitive: false }))).toMatch(/unique|UNIQUE/);
  });

  it("counts views and remembers the last one", async () => {
    const interaction = await cacheInteraction({});
    await newLink("link-1", interaction);
    await links.countView("link-1", at(1));
    await links.countView("link-1", at(2));
    expect(await links.find("link-1")).toMatchObject({ views: 2, lastViewedAt: at(2) });
    await links.countView("no-such-link", at(3));
  });

  it("loses no view when many are counted at once", async () => {
    const interaction = await cacheInteraction({});
    await newLink("link-1", interaction);
    await Promise.all(Array.from({ length: 50 }, (_, index) => links.countView("link-1", at(1 + index / 100))));
    expect((await links.find("link-1"))?.views).toBe(50);
  });

  it("revokes a link once: a second revoke changes nothing and says so", async () => {
    const interaction = await cacheInteraction({});
    await newLink("link-1", interaction);
    expect(await links.revoke("link-1", at(1))).toBe(true);
    expect(await links.revoke("link-1", at(2))).toBe(false);
    expect((await links.find("link-1"))?.revokedAt).toEqual(at(1));
    expect(await links.revoke("no-such-link", at(1))).toBe(false);
  });

  it("of revokes racing for one link, exactly one revokes it", async () => {
    const interaction = await cacheInteraction({});
    await newLink("link-1", interaction);
    const outcomes = await Promise.all(Array.from({ length: 10 }, (_, index) => links.revoke("link-1", at(1 + index))));
    expect(outcomes.filter(Boolean)).toHaveLength(1);
  });

  it("counts and revokes every link to an interaction, naming only those it revoked", async () => {
    const one = await cacheInteraction({});
    const other = await cacheInteraction({});
    await newLink("a", one);
    await newLink("b", one);
    await newLink("c", one);
    await newLink("d", other);
    await links.revoke("b", at(1));
    expect(await links.countFor(one)).toBe(3);
    expect(await links.countFor("00000000-0000-4000-8000-ffffffffffff")).toBe(0);
    expect((await links.revokeAllFor(one, at(2))).sort()).toEqual(["a", "c"]);
    expect(await links.revokeAllFor(one, at(3))).toEqual([]);
    expect((await links.find("b"))?.revokedAt).toEqual(at(1));
    expect((await links.find("c"))?.revokedAt).toEqual(at(2));
    expect((await links.find("d"))?.revokedAt).toBeNull();
  });

  it("deletes links that stopped opening before the cutoff, in bounded batches", async () => {
    const interaction = await cacheInteraction({});
    await newLink("revoked-early", interaction, { expiresAt: null });
    await links.revoke("revoked-early", at(1));
    await newLink("expired-early", interaction, { expiresAt: at(2) });
    await newLink("expired-early-too", interaction, { expiresAt: at(3) });
    await newLink("revoked-late-expired-early", interaction, { expiresAt: at(1) });
    await links.revoke("revoked-late-expired-early", at(20));
    await newLink("revoked-late", interaction, { expiresAt: null });
    await links.revoke("revoked-late", at(20));
    await newLink("expires-late", interaction, { expiresAt: at(20) });
    await newLink("never-expires", interaction, { expiresAt: null });
    const cutoff = at(10);
    expect(await links.deleteEndedBefore(cutoff, 2)).toBe(2);
    expect(await links.deleteEndedBefore(cutoff, 2)).toBe(1);
    expect(await links.deleteEndedBefore(cutoff, 2)).toBe(0);
    expect((await links.list()).map((link) => link.id).sort()).toEqual(["expires-late", "never-expires", "revoked-late", "revoked-late-expired-early"]);
  });

  it("lists every link newest first, with its interaction's title and project while it is cached", async () => {
    const refund = await cacheInteraction({ user_query: "  I was charged twice  " }, "support");
    const chat = await cacheInteraction({ conversation: [{ input: "Hello there" }] }, "sales");
    const untitled = await cacheInteraction({ output: "no question" });
    await newLink("oldest", refund, { createdAt: at(1) });
    await newLink("gone", "00000000-0000-4000-8000-fffffffffff0", { createdAt: at(2) });
    await newLink("untitled", untitled, { createdAt: at(3), hideSensitive: true });
    await newLink("newest", chat, { createdAt: at(4), createdBy: null });
    await links.countView("newest", at(5));
    const listed = await links.list();
    expect(listed.map(({ id, interactionTitle, interactionProject }) => ({ id, interactionTitle, interactionProject }))).toEqual([
      { id: "newest", interactionTitle: "Hello there", interactionProject: "sales" },
      { id: "untitled", interactionTitle: null, interactionProject: "default" },
      { id: "gone", interactionTitle: null, interactionProject: null },
      { id: "oldest", interactionTitle: "I was charged twice", interactionProject: "support" },
    ]);
    expect(listed[0]).toEqual({
      id: "newest",
      tokenHash: "hash-of-newest",
      interactionId: chat,
      createdAt: at(4),
      createdBy: null,
      expiresAt: at(24),
      revokedAt: null,
      hideSensitive: false,
      views: 1,
      lastViewedAt: at(5),
      interactionTitle: "Hello there",
      interactionProject: "sales",
    });
    expect(listed[1].hideSensitive).toBe(true);
  });

  it("the database refuses to delete a snapshot an unrevoked link points to, expired or not", async () => {
    const live = await cacheInteraction({});
    const expired = await cacheInteraction({});
    const unshared = await cacheInteraction({});
    await newLink("live", live);
    await newLink("expired", expired, { expiresAt: at(-1) });
    expect(await failureOf(deleteInteraction(live))).toMatch(/a share link still points to this snapshot: revoke it first/);
    expect(await failureOf(deleteInteraction(expired))).toMatch(/a share link still points to this snapshot: revoke it first/);
    await deleteInteraction(unshared);
    expect(await interactionIds()).toEqual([live, expired].sort());

    await links.revoke("live", at(1));
    await links.revokeAllFor(expired, at(1));
    await deleteInteraction(live);
    await deleteInteraction(expired);
    expect(await interactionIds()).toEqual([]);
    // The revoked links stay, and say so.
    expect((await links.list()).map((link) => [link.id, link.revokedAt, link.interactionTitle])).toEqual(
      expect.arrayContaining([
        ["live", at(1), null],
        ["expired", at(1), null],
      ]),
    );
  });
});
