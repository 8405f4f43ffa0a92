import { beforeEach, describe, expect, it } from "vitest";
import type { Store } from "@/db/client";
import { storeForEachTest } from "@/test/store-for-each-test";
import { testStores } from "@/test/stores";
import type { AuditAction } from "./actions";
import { parseAuditQuery } from "./query";
import { createAuditLog, type AuditLog } from "./service";

const DAY = 86_400_000;
const START = Date.parse("2026-11-01T00:00:00Z");

/** How many audit events the store holds, asked of the store itself. */
async function countEvents(store: Store): Promise<number> {
  if (store.dialect === "sqlite") return (store.db.$client.prepare("select count(*) as n from audit_events").get() as { n: number }).n;
  return Number((await store.db.$client.query<{ n: string }>("select count(*) as n from audit_events")).rows[0]!.n);
}

/** An event written by hand, with a detail that is not JSON (a row from outside the app). */
async function insertUnreadable(store: Store, at: number): Promise<void> {
  if (store.dialect === "sqlite") store.db.$client.prepare("insert into audit_events (at, action, detail) values (?, 'sign_out', 'not json')").run(at);
  else await store.db.$client.query("insert into audit_events (at, action, detail) values ($1, 'sign_out', 'not json')", [new Date(at)]);
}

describe.each(testStores())("on %s", (dialect) => {
  const store = storeForEachTest(dialect);
  let log: AuditLog;
  /** A fake clock: every event is written at `clock`, which the tests move by hand. */
  let clock: number;

  function record(action: AuditAction, extra: { actor?: string | null; target?: string; detail?: Record<string, string | number | boolean | null> } = {}) {
    return log.record({ action, actor: extra.actor === undefined ? "ana" : extra.actor, client: "10.0.0.1", target: extra.target, detail: extra.detail }, new Date(clock));
  }

  const list = (query: string) => log.list(parseAuditQuery(new URLSearchParams(query)));
  const ids = async (query: string) => (await list(query)).events.map((event) => event.id);
  const count = () => countEvents(store());

  beforeEach(() => {
    log = createAuditLog(store());
    clock = START;
  });

  describe("listing", () => {
    it("lists newest first, with every field and the detail parsed", async () => {
      await record("share_link_created", { target: "link-1", detail: { interactionId: "i-1", expiresIn: "7d", hideSensitive: true } });
      clock += 1_000;
      await record("share_link_viewed", { actor: null, target: "link-1", detail: { interactionId: "i-1" } });
      const { events } = await list("");
      expect(events.map((event) => event.action)).toEqual(["share_link_viewed", "share_link_created"]);
      expect(events[1]).toEqual({
        id: expect.any(Number),
        at: "2026-11-01T00:00:00.000Z",
        action: "share_link_created",
        actor: "ana",
        client: "10.0.0.1",
        target: "link-1",
        detail: { interactionId: "i-1", expiresIn: "7d", hideSensitive: true },
      });
      expect(events[0].actor).toBeNull();
    });

    it("orders events written in the same millisecond by id", async () => {
      await record("sign_in");
      await record("sign_out");
      expect((await list("")).events.map((event) => event.action)).toEqual(["sign_out", "sign_in"]);
    });

    it("reads a missing or unreadable detail as null", async () => {
      await record("sign_in");
      await insertUnreadable(store(), clock + 1);
      expect((await list("")).events.map((event) => event.detail)).toEqual([null, null]);
    });
  });

  describe("filters", () => {
    beforeEach(async () => {
      await record("sign_in", { actor: "ana" });
      clock += DAY;
      await record("share_link_created", { actor: "bob", target: "link-1" });
      clock += DAY;
      await record("share_link_viewed", { actor: null, target: "link-1" });
      clock += DAY;
      await record("share_link_revoked", { actor: "ana", target: "link-1" });
      clock += DAY;
      await record("sign_in_failed", { actor: null });
    });

    const actions = async (query: string) => (await list(query)).events.map((event) => event.action);

    it("by one action or several (ORed)", async () => {
      expect(await actions("action=sign_in")).toEqual(["sign_in"]);
      expect(await actions("action=share_link_created&action=share_link_revoked")).toEqual(["share_link_revoked", "share_link_created"]);
    });

    it("by actor and by target, combined with actions (ANDed)", async () => {
      expect(await actions("actor=ana")).toEqual(["share_link_revoked", "sign_in"]);
      expect(await actions("target=link-1")).toEqual(["share_link_revoked", "share_link_viewed", "share_link_created"]);
      expect(await actions("target=link-1&actor=bob")).toEqual(["share_link_created"]);
      expect(await actions("actor=ana&action=sign_in_failed")).toEqual([]);
    });

    it("by a time range, both ends inclusive, a date-only `to` meaning the whole day", async () => {
      expect(await actions("from=2026-11-02T00:00:00Z&to=2026-11-03T00:00:00Z")).toEqual(["share_link_viewed", "share_link_created"]);
      expect(await actions("to=2026-11-02")).toEqual(["share_link_created", "sign_in"]);
      expect(await actions("from=2026-11-04")).toEqual(["sign_in_failed", "share_link_revoked"]);
    });
  });

  describe("projects", () => {
    it("shows a viewer only events about its projects' interactions, and every event about none; never a project from the address", async () => {
      await log.record({ action: "share_link_created", actor: "ana", client: null, target: "link-a", project: "support" }, new Date(clock));
      await log.record({ action: "share_link_created", actor: "bob", client: null, target: "link-b", project: "sales" }, new Date(clock + 1));
      await log.record({ action: "sign_in", actor: "bob", client: null }, new Date(clock + 2));
      const targets = async (projects?: readonly string[]) =>
        (await log.list(parseAuditQuery(new URLSearchParams()), projects)).events.map((event) => event.target ?? event.action);
      expect(await targets()).toEqual(["sign_in", "link-b", "link-a"]);
      expect(await targets(["support"])).toEqual(["sign_in", "link-a"]);
      expect(await targets([])).toEqual(["sign_in"]);
      // A target filter cannot reach around the project limit, and paging keeps it.
      expect((await log.list(parseAuditQuery(new URLSearchParams("target=link-b")), ["support"])).events).toEqual([]);
      const firstPage = await log.list(parseAuditQuery(new URLSearchParams("limit=1")), ["support"]);
      expect(firstPage.events.map((event) => event.action)).toEqual(["sign_in"]);
      const secondPage = await log.list(parseAuditQuery(new URLSearchParams(`limit=1&cursor=${firstPage.nextCursor}`)), ["support"]);
      expect(secondPage.events.map((event) => event.target)).toEqual(["link-a"]);
      expect(secondPage.nextCursor).toBeNull();
    });
  });

  describe("pagination", () => {
    beforeEach(async () => {
      // 7 events, some sharing a millisecond, so the cursor must break ties by id.
      for (let i = 0; i < 7; i++) {
        await record(i % 2 ? "sign_in" : "sign_out");
        if (i % 3 === 2) clock += 1;
      }
    });

    it("walks every event exactly once, forwards and back", async () => {
      const all = await ids("limit=200");
      expect(all).toHaveLength(7);

      const first = await list("limit=3");
      expect(first.prevCursor).toBeNull();
      const second = await list(`limit=3&cursor=${first.nextCursor}`);
      const third = await list(`limit=3&cursor=${second.nextCursor}`);
      expect([...first.events, ...second.events, ...third.events].map((event) => event.id)).toEqual(all);
      expect(third.nextCursor).toBeNull();
      expect(third.events).toHaveLength(1);

      const back = await list(`limit=3&cursor=${third.prevCursor}&direction=newer`);
      expect(back.events.map((event) => event.id)).toEqual(second.events.map((event) => event.id));
      const top = await list(`limit=3&cursor=${back.prevCursor}&direction=newer`);
      expect(top.events.map((event) => event.id)).toEqual(first.events.map((event) => event.id));
      expect(top.prevCursor).toBeNull();
      expect(top.nextCursor).toBe(first.nextCursor);
    });

    it("does not repeat events when new ones arrive between pages", async () => {
      const first = await list("limit=4");
      clock += DAY;
      await record("sign_in");
      await record("sign_in");
      const second = await list(`limit=4&cursor=${first.nextCursor}`);
      const seen = [...first.events, ...second.events].map((event) => event.id);
      expect(new Set(seen).size).toBe(seen.length);
      expect(seen).toHaveLength(7);
    });

    it("uses 50 per page unless told otherwise", async () => {
      for (let i = 0; i < 60; i++) await record("sign_in");
      expect((await list("")).events).toHaveLength(50);
      expect((await list("")).nextCursor).not.toBeNull();
    });

    it("keeps the filters across pages", async () => {
      const first = await list("action=sign_in&limit=2");
      const second = await list(`action=sign_in&limit=2&cursor=${first.nextCursor}`);
      expect([...first.events, ...second.events].every((event) => event.action === "sign_in")).toBe(true);
      expect(first.events.length + second.events.length).toBe(3);
      expect(second.nextCursor).toBeNull();
    });
  });

  describe("retention", () => {
    it("prunes events older than 90 days when writing, at most once an hour", async () => {
      await record("sign_in"); // 2026-11-01
      clock += 30 * DAY;
      await record("sign_in");
      expect(await count()).toBe(2);

      // 90 days and a minute after the first event: the next write prunes it.
      clock = START + 90 * DAY + 60_000;
      await record("sign_out");
      expect(await count()).toBe(2);
      expect((await list("")).events.map((event) => event.at)).not.toContain("2026-11-01T00:00:00.000Z");

      // A write 50 minutes before the second event leaves the window prunes (nothing to delete yet);
      // the next write, after it left the window but within the hour, does not prune…
      clock = START + 120 * DAY - 50 * 60_000;
      await record("sign_out");
      clock = START + 120 * DAY + 60_000;
      await record("sign_out");
      expect(await count()).toBe(4);
      expect((await list("action=sign_in")).events).toHaveLength(1);
      // …and the first write an hour after the last prune does.
      clock += 3_600_000;
      await record("sign_out");
      expect(await count()).toBe(4);
      expect((await list("action=sign_in")).events).toEqual([]);
    });

    it("keeps an event exactly 90 days old", async () => {
      await record("sign_in");
      clock = START + 90 * DAY;
      await record("sign_out");
      expect(await count()).toBe(2);
    });
  });
});
