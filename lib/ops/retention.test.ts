import { beforeEach, describe, expect, it } from "vitest";
import type { Store } from "@/db/client";
import { createAuditRepository } from "@/lib/audit/repository";
import { createInteractionRepository, type InteractionRepository } from "@/lib/interactions/repository";
import { interactionSchema } from "@/lib/nebuly/schemas";
import { createShareLinkRepository } from "@/lib/sharing/repository";
import { storeForEachTest } from "@/test/store-for-each-test";
import { testStores } from "@/test/stores";
import { createRetentionJob, describeRetention, ENDED_SHARE_LINK_KEEP_DAYS } from "./retention";

const DAY = 86_400_000;
const NOW = Date.parse("2026-11-30T12:00:00Z");
const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`;

/** The ids of the cached snapshots, asked of the store itself. */
async function snapshotIds(store: Store): Promise<string[]> {
  if (store.dialect === "sqlite") return store.db.$client.prepare<[], { id: string }>("SELECT id FROM interactions ORDER BY id").all().map((row) => row.id);
  return (await store.db.$client.query<{ id: string }>('SELECT id FROM interactions ORDER BY id COLLATE "C"')).rows.map((row) => row.id);
}

/** An error's message and its causes' (a driver's error arrives wrapped in Drizzle's). */
function messagesOf(error: unknown): string {
  const messages: string[] = [];
  for (let current = error; current instanceof Error && messages.length < 5; current = current.cause) messages.push(current.message);
  return messages.join("\n");
}

describe.each(testStores())("retention on %s", (dialect) => {
  const testStore = storeForEachTest(dialect);
  let store: Store;
  let repository: InteractionRepository;
  let links: ReturnType<typeof createShareLinkRepository>;
  let clock: number;

  /** Caches interaction n, fetched `fetchedDaysAgo` days ago (and viewed `viewedDaysAgo` days ago). */
  async function cache(n: number, fetchedDaysAgo: number, viewedDaysAgo?: number) {
    const rawJson = JSON.stringify({ id: id(n), user_query: `needle${n} question`, output: "answer", timestamp: "2026-01-01T00:00:00Z" });
    await repository.save(id(n), interactionSchema.parse(JSON.parse(rawJson)), rawJson, new Date(NOW - fetchedDaysAgo * DAY), "default");
    if (viewedDaysAgo !== undefined) await repository.recordView(id(n), new Date(NOW - viewedDaysAgo * DAY));
  }

  async function link(linkId: string, n: number, times: { expiresAt?: number | null; revokedAt?: number }) {
    await links.insert({ id: linkId, tokenHash: `hash-${linkId}`, interactionId: id(n), createdAt: new Date(NOW - 200 * DAY), createdBy: "ana", expiresAt: times.expiresAt == null ? null : new Date(times.expiresAt), hideSensitive: false });
    if (times.revokedAt !== undefined) expect(await links.revoke(linkId, new Date(times.revokedAt))).toBe(true);
  }

  const job = (retentionDays = 90, extra: Partial<Parameters<typeof createRetentionJob>[0]> = {}) => createRetentionJob({ store, retentionDays, now: () => clock, ...extra });
  const cachedIds = () => snapshotIds(store);
  const searchHits = async (text: string) => (await repository.search({ text, sort: "time", limit: 10, offset: 0 })).items.map((item) => item.id);

  beforeEach(() => {
    store = testStore();
    repository = createInteractionRepository(store);
    links = createShareLinkRepository(store);
    clock = NOW;
  });

  it("deletes snapshots nobody viewed or fetched for the retention period, with their search entries and Recently viewed places", async () => {
    await cache(1, 120, 100); // fetched and last viewed long ago: goes
    await cache(2, 120); // fetched long ago, never viewed: goes
    await cache(3, 120, 10); // viewed recently: stays
    await cache(4, 5); // fetched recently: stays
    await cache(5, 91, 89); // viewed 89 days ago: stays
    const report = await job().runOnce();
    expect(report.snapshots).toBe(2);
    expect(await cachedIds()).toEqual([id(3), id(4), id(5)]);
    expect(await searchHits("needle1")).toEqual([]);
    expect(await searchHits("needle2")).toEqual([]);
    expect(await searchHits("edle3")).toEqual([id(3)]); // the trigram index still answers for what stays
    expect(await searchHits("edle1")).toEqual([]);
    if (store.dialect === "sqlite") {
      // SQLite keeps the words and the trigrams in two full-text tables beside the rows: only what stays is in them.
      expect(store.db.$client.prepare<[], { n: number }>("SELECT count(*) AS n FROM interactions_fts").get()!.n).toBe(3);
      expect(store.db.$client.prepare<[], { n: number }>("SELECT count(*) AS n FROM interactions_trigram").get()!.n).toBe(3);
    }
    expect((await repository.recentlyViewed(10)).map((item) => item.id)).toEqual([id(3), id(5)]);
  });

  it("counts from the retention period in days: a day later the next snapshot goes", async () => {
    await cache(1, 100, 89.5);
    expect((await job().runOnce()).snapshots).toBe(0);
    clock += DAY;
    expect((await job().runOnce()).snapshots).toBe(1);
  });

  it("keeps every snapshot when CACHE_RETENTION_DAYS is 0", async () => {
    await cache(1, 5_000, 4_000);
    await cache(2, 5_000);
    const report = await job(0).runOnce();
    expect(report.snapshots).toBe(0);
    expect(await cachedIds()).toEqual([id(1), id(2)]);
  });

  it("never deletes a snapshot a live share link needs", async () => {
    await cache(1, 400, 400);
    await cache(2, 400, 400);
    await link("forever", 1, { expiresAt: null });
    await link("later", 2, { expiresAt: NOW + DAY });
    expect((await job().runOnce()).snapshots).toBe(0);
    expect(await cachedIds()).toEqual([id(1), id(2)]);
    // The database itself refuses, whatever code asks.
    const refusal = await repository.deleteSnapshots([id(1)]).then(
      () => null,
      (error: unknown) => error,
    );
    expect(messagesOf(refusal)).toMatch(/share link still points to this snapshot/);
    expect(await cachedIds()).toEqual([id(1), id(2)]);
  });

  it("deletes a snapshot whose links are all revoked; the revoked link row stays and still says revoked", async () => {
    await cache(1, 400, 400);
    await link("revoked", 1, { expiresAt: null, revokedAt: NOW - 2 * DAY });
    expect((await job().runOnce()).snapshots).toBe(1);
    expect(await cachedIds()).toEqual([]);
    expect((await links.find("revoked"))?.revokedAt).toEqual(new Date(NOW - 2 * DAY));
  });

  it("keeps an expired link's snapshot until the link's row is pruned, then both go in one run", async () => {
    await cache(1, 400, 400);
    await link("expired", 1, { expiresAt: NOW - 10 * DAY });
    const first = await job().runOnce();
    expect(first).toMatchObject({ snapshots: 0, shareLinks: 0 });
    expect(await links.find("expired")).toBeDefined();
    clock = NOW + (ENDED_SHARE_LINK_KEEP_DAYS - 10) * DAY + 1;
    const second = await job().runOnce();
    expect(second).toMatchObject({ snapshots: 1, shareLinks: 1 });
    expect(await links.find("expired")).toBeUndefined();
    expect(await cachedIds()).toEqual([]);
  });

  it("prunes share links that ended long ago, and only those", async () => {
    await cache(1, 1, 1);
    await link("live", 1, { expiresAt: null });
    await link("expired-recently", 1, { expiresAt: NOW - (ENDED_SHARE_LINK_KEEP_DAYS - 1) * DAY });
    await link("expired-long-ago", 1, { expiresAt: NOW - (ENDED_SHARE_LINK_KEEP_DAYS + 1) * DAY });
    await link("revoked-recently", 1, { expiresAt: null, revokedAt: NOW - DAY });
    await link("revoked-long-ago", 1, { expiresAt: NOW + DAY, revokedAt: NOW - (ENDED_SHARE_LINK_KEEP_DAYS + 1) * DAY });
    expect((await job().runOnce()).shareLinks).toBe(2);
    expect((await links.list()).map((row) => row.id).sort()).toEqual(["expired-recently", "live", "revoked-recently"]);
  });

  it("keeps share links and snapshots forever with retention 0, but still prunes expired list pages and old audit events", async () => {
    await repository.saveList("old", "{}", new Date(NOW - 61_000));
    await repository.saveList("fresh", "{}", new Date(NOW - 59_000));
    const audit = createAuditRepository(store);
    await audit.insert({ at: new Date(NOW - 91 * DAY), action: "sign_in", actor: "ana", client: null, target: null, detail: null, projectSlug: null });
    await audit.insert({ at: new Date(NOW - 89 * DAY), action: "sign_in", actor: "ana", client: null, target: null, detail: null, projectSlug: null });
    const report = await job(0).runOnce();
    expect(report).toEqual({ snapshots: 0, listPages: 1, shareLinks: 0, auditEvents: 1 });
    expect(await repository.findList("old")).toBeUndefined();
    expect(await repository.findList("fresh")).toBeDefined();
  });

  it("deletes in bounded batches and yields between them", async () => {
    for (let n = 1; n <= 7; n++) await cache(n, 100);
    let pauses = 0;
    const statements: number[] = [];
    const report = await job(90, {
      batchSize: 3,
      pause: async () => {
        pauses++;
        statements.push((await cachedIds()).length);
      },
    }).runOnce();
    expect(report.snapshots).toBe(7);
    expect(await cachedIds()).toEqual([]);
    // 3, 3, then 1: a pause after each full batch, with the rows of the batches before it already gone.
    expect(statements).toEqual([4, 1]);
    expect(pauses).toBe(2);
  });
});

describe("describeRetention", () => {
  it("says what it removed in words", () => {
    const text = describeRetention({ snapshots: 2, listPages: 1, shareLinks: 0, auditEvents: 1_200 }, 90);
    expect(text).toContain("2 snapshots nobody opened for 90 days");
    expect(text).toContain("1 expired list page\n");
    expect(text).toContain("0 share links revoked or expired over 30 days ago");
    expect(text).toContain("1,200 audit events older than 90 days");
    expect(describeRetention({ snapshots: 0, listPages: 0, shareLinks: 0, auditEvents: 0 }, 0)).toContain("CACHE_RETENTION_DAYS=0 keeps them forever");
  });
});
