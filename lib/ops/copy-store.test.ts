import { afterAll, describe, expect, inject, it } from "vitest";
import { closeStore, openDatabase, openStore, type Store } from "@/db/client";
import { generatedSetting } from "@/db/settings";
import { createSessionStore } from "@/lib/access/sessions";
import { createAuditRepository } from "@/lib/audit/repository";
import { createInteractionRepository } from "@/lib/interactions/repository";
import { interactionSchema } from "@/lib/nebuly/schemas";
import { createLabelRepository } from "@/lib/labels/repository";
import { createNoteRepository } from "@/lib/notes/repository";
import { createShareLinkRepository } from "@/lib/sharing/repository";
import { newPostgresDatabase } from "@/test/stores";
import { copySqliteToPostgres, CopyRefused } from "./copy-store";

const T0 = Date.parse("2026-11-20T10:00:00Z");
const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`;

/** A SQLite store as a team that started small has it: snapshots, a forget, a list page, links, a session, the log. */
async function filledSqlite(snapshots: number) {
  const store: Store = { dialect: "sqlite", db: openDatabase(":memory:") };
  const interactions = createInteractionRepository(store);
  for (let n = 1; n <= snapshots; n++) {
    const body = { id: id(n), topic: n % 2 ? "Billing" : "Account", user: `user-${n}`, timestamp: new Date(T0 + n * 60_000).toISOString(), user_query: `refund question ${n}`, conversation: [{ input: `请退款 ${n}`, output: "好的" }] };
    await interactions.save(id(n), interactionSchema.parse(body), JSON.stringify(body), new Date(T0 + n), n % 3 ? "support" : "billing");
  }
  await interactions.recordView(id(2), new Date(T0 + 99_000));
  await interactions.forget(id(snapshots), new Date(T0 + 5), "ana", "support");
  await interactions.saveList(`support:{"limit":25}`, JSON.stringify({ data: [{ id: id(1) }] }), new Date(T0));
  const secret = await generatedSetting(store, "session_secret", () => "s".repeat(48));
  const links = createShareLinkRepository(store);
  await links.insert({ id: "link-open", tokenHash: "hash-open", interactionId: id(1), createdAt: new Date(T0), createdBy: "ana", expiresAt: null, hideSensitive: true });
  await links.insert({ id: "link-revoked", tokenHash: "hash-revoked", interactionId: id(2), createdAt: new Date(T0), createdBy: null, expiresAt: new Date(T0 + 3_600_000), hideSensitive: false });
  for (let view = 0; view < 3; view++) await links.countView("link-open", new Date(T0 + view));
  await links.revoke("link-revoked", new Date(T0 + 10));
  const labels = createLabelRepository(store);
  await labels.insert({ id: "label-billing", name: "Billing <b>", nameKey: "billing <b>", color: "teal", createdAt: new Date(T0), createdBy: "ana", updatedAt: new Date(T0 + 1) });
  await labels.insert({ id: "label-unused", name: "Unused", nameKey: "unused", color: "gray", createdAt: new Date(T0), createdBy: null, updatedAt: new Date(T0) });
  await labels.replaceFor(id(1), ["label-billing"], new Date(T0 + 2), "ana");
  await labels.replaceFor(id(2), ["label-billing"], new Date(T0 + 3), null);
  const sessions = createSessionStore(store, () => secret, () => T0);
  const { cookie } = await sessions.open({ viewer: "password", passwordTag: null, ttlMs: 86_400_000 * 3650, client: "203.0.113.1", displayName: "Ana Lima" });
  await createNoteRepository(store).insert(
    { id: "note-1", interactionId: id(3), turn: 1, body: "Escalated: the gobbledygook refund rule", author: "Ana Lima", authorVerified: true, createdAt: new Date(T0), updatedAt: null },
    200,
  );
  const audit = createAuditRepository(store);
  for (const action of ["sign_in", "share_link_created", "share_link_viewed"]) {
    await audit.insert({ at: new Date(T0), action, actor: "ana", client: "203.0.113.1", target: "link-open", detail: null, projectSlug: null });
  }
  return { store, secret, cookie };
}

describe.skipIf(!inject("postgresAdminUrl"))("npm run db:copy: a SQLite store into an empty Postgres database", () => {
  const stores: Store[] = [];
  afterAll(async () => {
    await Promise.all(stores.map((store) => closeStore(store)));
  });
  const emptyPostgres = async () => {
    const store = await openStore(await newPostgresDatabase(), { poolMax: 2 });
    stores.push(store);
    if (store.dialect !== "postgres") throw new Error("expected Postgres");
    return store;
  };

  it("moves every kind of row, so links, sessions, search and the log work the same afterwards", async () => {
    const source = await filledSqlite(60);
    const target = await emptyPostgres();
    if (source.store.dialect !== "sqlite") throw new Error("expected SQLite");
    const report = await copySqliteToPostgres(source.store.db, target.db);
    expect(report).toEqual({ snapshots: 59, forgotten: 1, listPages: 1, settings: 1, shareLinks: 2, sessions: 1, auditEvents: 3, labels: 2, interactionLabels: 2, notes: 1 });

    const interactions = createInteractionRepository(target);
    const before = createInteractionRepository(source.store);
    const copied = await interactions.find(id(1));
    expect(copied).toMatchObject({ id: id(1), projectSlug: "support", topic: "Billing", fetchedAt: new Date(T0 + 1) });
    expect((await interactions.find(id(2)))?.lastViewedAt).toEqual(new Date(T0 + 99_000));
    expect(await interactions.forgotten(id(60))).toMatchObject({ forgottenBy: "ana", projectSlug: "support" });
    expect(await interactions.listedIn(id(1))).toEqual(["support"]);
    // Search finds the same interactions on both, in the same order: words, inside words, Chinese.
    for (const text of ["refund", "question 7", "退款", "fund", "gobbledygook"]) {
      const query = { text, sort: "time" as const, limit: 100, offset: 0 };
      expect((await interactions.search(query)).items.map((item) => item.id), text).toEqual((await before.search(query)).items.map((item) => item.id));
    }

    // The generated secret came along: a session cookie signed before the move still opens.
    expect(await generatedSetting(target, "session_secret", () => "other")).toBe(source.secret);
    expect(await createSessionStore(target, () => source.secret, () => T0 + 1).find(source.cookie, null)).toMatchObject({ viewer: "password", displayName: "Ana Lima" });
    // Notes came along, in the search text of their interaction too.
    expect(await createNoteRepository(target).list(id(3))).toMatchObject([{ id: "note-1", author: "Ana Lima", turn: 1 }]);
    expect((await interactions.search({ text: "gobbledygook", sort: "time", limit: 10, offset: 0 })).items.map((item) => item.id)).toEqual([id(3)]);

    const labels = createLabelRepository(target);
    expect(await labels.find("label-billing")).toEqual({ id: "label-billing", name: "Billing <b>", nameKey: "billing <b>", color: "teal", createdAt: new Date(T0), createdBy: "ana", updatedAt: new Date(T0 + 1) });
    expect((await labels.labelsOf([id(1), id(2), id(3)])).get(id(2))?.map((label) => label.id)).toEqual(["label-billing"]);
    expect((await labels.list(["support", "billing"])).map((label) => [label.id, label.uses])).toEqual([["label-billing", 2], ["label-unused", 0]]);

    const links = createShareLinkRepository(target);
    expect(await links.findByTokenHash("hash-open")).toMatchObject({ id: "link-open", views: 3, hideSensitive: true, revokedAt: null, createdBy: "ana" });
    expect(await links.find("link-revoked")).toMatchObject({ revokedAt: new Date(T0 + 10), expiresAt: new Date(T0 + 3_600_000) });

    const page = await createAuditRepository(target).page({ actions: [], actor: null, target: null, from: null, to: null, cursor: null, direction: "older", limit: 10 });
    expect(page.rows.map((row) => row.action)).toEqual(["share_link_viewed", "share_link_created", "sign_in"]);
  });

  it("refuses a database that already holds data, and changes nothing in it", async () => {
    const source = await filledSqlite(3);
    const target = await emptyPostgres();
    if (source.store.dialect !== "sqlite") throw new Error("expected SQLite");
    await copySqliteToPostgres(source.store.db, target.db);
    const again = await filledSqlite(5);
    if (again.store.dialect !== "sqlite") throw new Error("expected SQLite");
    await expect(copySqliteToPostgres(again.store.db, target.db)).rejects.toThrow(CopyRefused);
    await expect(copySqliteToPostgres(again.store.db, target.db)).rejects.toThrow(/not empty \(snapshots: 2, forgotten: 1/);
    expect(await createInteractionRepository(target).find(id(4))).toBeUndefined();
  });

  it("leaves the target empty when a row cannot be copied", async () => {
    const source = await filledSqlite(3);
    if (source.store.dialect !== "sqlite") throw new Error("expected SQLite");
    source.store.db.$client.prepare("UPDATE interactions SET raw_json = 'not json' WHERE id = ?").run(id(2));
    const target = await emptyPostgres();
    await expect(copySqliteToPostgres(source.store.db, target.db)).rejects.toThrow(`snapshot ${id(2)} holds a body that is not an interaction`);
    expect(await createInteractionRepository(target).find(id(1))).toBeUndefined();
    expect(await createShareLinkRepository(target).list()).toEqual([]);
  });
});
