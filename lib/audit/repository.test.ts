import { sql } from "drizzle-orm";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Store } from "@/db/client";
import type { AuditEventRow } from "@/db/schema";
import * as sqliteSchema from "@/db/schema";
import * as postgresSchema from "@/db/schema.postgres";
import { openTestStore, testStores } from "@/test/stores";
import type { AuditAction } from "./actions";
import type { AuditCursor, AuditQuery } from "./query";
import { createAuditRepository, type AuditRepository } from "./repository";

const T0 = Date.parse("2026-11-01T00:00:00Z");
const MINUTE = 60_000;
const at = (minutes: number) => new Date(T0 + minutes * MINUTE);

const query = (fields: Partial<AuditQuery> = {}): AuditQuery => ({ actions: [], actor: null, target: null, from: null, to: null, limit: 50, cursor: null, direction: "older", ...fields });
const keyOf = (row: AuditEventRow): AuditCursor => ({ at: row.at.getTime(), id: row.id });

describe.each(testStores())("the audit repository on %s", (dialect) => {
  let store: Store;
  let audit: AuditRepository;

  async function record(minutes: number, action: AuditAction, fields: Partial<Omit<AuditEventRow, "id" | "at" | "action">> = {}): Promise<AuditEventRow> {
    return audit.insert({ at: at(minutes), action, actor: "ana", client: "10.0.0.1", target: null, detail: null, projectSlug: null, ...fields });
  }

  async function count(): Promise<number> {
    return store.dialect === "sqlite" ? store.db.select().from(sqliteSchema.auditEvents).all().length : (await store.db.select().from(postgresSchema.auditEvents)).length;
  }

  beforeAll(async () => {
    store = await openTestStore(dialect);
    audit = createAuditRepository(store);
  });

  beforeEach(async () => {
    if (store.dialect === "sqlite") store.db.delete(sqliteSchema.auditEvents).run();
    else await store.db.delete(postgresSchema.auditEvents);
  });

  it("inserts an event and returns it with its new id", async () => {
    const first = await record(0, "share_link_created", { target: "link-1", detail: '{"interactionId":"i-1"}', projectSlug: "support" });
    const second = await record(0, "sign_in", { actor: null, client: null });
    expect(first).toEqual({ id: expect.any(Number), at: at(0), action: "share_link_created", actor: "ana", client: "10.0.0.1", target: "link-1", detail: '{"interactionId":"i-1"}', projectSlug: "support" });
    expect(second.id).toBeGreaterThan(first.id);
    expect((await audit.page(query())).rows).toEqual([second, first]);
  });

  describe("paging on (time, id)", () => {
    /** Nine events over five distinct times: ties on `at` are broken by id. */
    async function seed(): Promise<AuditEventRow[]> {
      const rows: AuditEventRow[] = [];
      for (const minutes of [0, 1, 1, 1, 2, 3, 3, 4, 4]) rows.push(await record(minutes, "sign_in", { target: `e${rows.length}` }));
      return rows;
    }
    const names = (rows: AuditEventRow[]) => rows.map((row) => row.target);

    it("walks older pages newest first without showing an event twice or skipping one, ties included", async () => {
      await seed();
      const seen: (string | null)[][] = [];
      let cursor: AuditCursor | null = null;
      for (;;) {
        const { rows, hasMore } = await audit.page(query({ limit: 2, cursor }));
        seen.push(names(rows));
        if (!hasMore) break;
        cursor = keyOf(rows.at(-1)!);
      }
      expect(seen).toEqual([["e8", "e7"], ["e6", "e5"], ["e4", "e3"], ["e2", "e1"], ["e0"]]);
    });

    it("goes back to newer pages, each still newest first", async () => {
      const rows = await seed();
      // From the page that starts at e2 (inside the tie at minute 1), the newer page is e4, e3.
      const newer = await audit.page(query({ limit: 2, cursor: keyOf(rows[2]), direction: "newer" }));
      expect(names(newer.rows)).toEqual(["e4", "e3"]);
      expect(newer.hasMore).toBe(true);
      const newest = await audit.page(query({ limit: 2, cursor: keyOf(rows[6]), direction: "newer" }));
      expect(names(newest.rows)).toEqual(["e8", "e7"]);
      expect(newest.hasMore).toBe(false);
      const last = await audit.page(query({ limit: 5, cursor: keyOf(rows[7]), direction: "newer" }));
      expect(names(last.rows)).toEqual(["e8"]);
      expect(last.hasMore).toBe(false);
    });

    it("says whether anything lies beyond a cursor, either way", async () => {
      const rows = await seed();
      expect(await audit.hasBeyond(query(), keyOf(rows[0]), "older")).toBe(false);
      expect(await audit.hasBeyond(query(), keyOf(rows[0]), "newer")).toBe(true);
      expect(await audit.hasBeyond(query(), keyOf(rows[8]), "newer")).toBe(false);
      expect(await audit.hasBeyond(query(), keyOf(rows[8]), "older")).toBe(true);
      // Within a tie: e1 is older than e2 at the same minute, e3 newer.
      expect(await audit.hasBeyond(query({ target: "e1" }), keyOf(rows[2]), "older")).toBe(true);
      expect(await audit.hasBeyond(query({ target: "e3" }), keyOf(rows[2]), "older")).toBe(false);
      expect(await audit.hasBeyond(query({ target: "e3" }), keyOf(rows[2]), "newer")).toBe(true);
    });
  });

  it("filters by actions, actor, target, an inclusive time range and the viewer's projects", async () => {
    await record(0, "sign_in", { actor: "ana" });
    await record(1, "sign_out", { actor: "ben" });
    await record(2, "share_link_created", { actor: "ana", target: "link-1", projectSlug: "support" });
    await record(3, "share_link_viewed", { actor: null, target: "link-1", projectSlug: "hr" });
    await record(4, "sign_in_failed", { actor: "ben" });
    const actions = async (fields: Partial<AuditQuery>) => (await audit.page(query(fields))).rows.map((row) => row.action);
    expect(await actions({ actions: ["sign_in", "sign_out"] })).toEqual(["sign_out", "sign_in"]);
    expect(await actions({ actor: "ben" })).toEqual(["sign_in_failed", "sign_out"]);
    expect(await actions({ target: "link-1" })).toEqual(["share_link_viewed", "share_link_created"]);
    expect(await actions({ from: at(1), to: at(3) })).toEqual(["share_link_viewed", "share_link_created", "sign_out"]);
    expect(await actions({ projects: ["support"] })).toEqual(["sign_in_failed", "share_link_created", "sign_out", "sign_in"]);
    expect(await actions({ projects: [] })).toEqual(["sign_in_failed", "sign_out", "sign_in"]);
    expect(await actions({ projects: ["support"], actor: "ana", actions: ["share_link_created", "sign_out"] })).toEqual(["share_link_created"]);
  });

  it("deletes events older than a cutoff, all of them or the oldest in batches", async () => {
    for (const minutes of [0, 1, 2, 3, 4, 5]) await record(minutes, "sign_in", { target: `m${minutes}` });
    expect(await audit.deleteBefore(at(4), 2)).toBe(2);
    expect((await audit.page(query())).rows.map((row) => row.target)).toEqual(["m5", "m4", "m3", "m2"]);
    expect(await audit.deleteBefore(at(4))).toBe(2);
    expect(await audit.deleteBefore(at(4))).toBe(0);
    expect(await audit.deleteBefore(at(4), 10)).toBe(0);
    expect(await count()).toBe(2);
  });

  it("lists distinct actors in code-point order, bounded, of the viewer's projects", async () => {
    await record(0, "sign_in", { actor: "ana" });
    await record(1, "sign_in", { actor: "ana" });
    await record(2, "sign_in", { actor: "Zoe" });
    await record(3, "sign_in", { actor: null });
    await record(4, "share_link_created", { actor: "ben", projectSlug: "hr" });
    await record(5, "share_link_created", { actor: "Émile", projectSlug: "support" });
    expect(await audit.actors()).toEqual(["Zoe", "ana", "ben", "Émile"]);
    expect(await audit.actors(2)).toEqual(["Zoe", "ana"]);
    expect(await audit.actors(100, ["support"])).toEqual(["Zoe", "ana", "Émile"]);
    expect(await audit.actors(100, [])).toEqual(["Zoe", "ana"]);
  });

  it.runIf(dialect === "postgres")("orders actors by code point whatever the database's collation (here en-US)", async () => {
    const own = await openTestStore("postgres");
    if (own.dialect !== "postgres") throw new Error("unreachable");
    // The test server's databases collate as C; many servers default to a language's order.
    await own.db.execute(sql`ALTER TABLE audit_events ALTER COLUMN actor TYPE text COLLATE "en-US-x-icu"`);
    const ownAudit = createAuditRepository(own);
    for (const actor of ["ana", "Zoe", "ben"]) await ownAudit.insert({ at: at(0), action: "sign_in", actor, client: null, target: null, detail: null, projectSlug: null });
    const [row] = (await own.db.execute<{ before: boolean }>(sql`SELECT 'Zoe' < 'ana' COLLATE "en-US-x-icu" AS before`)).rows;
    expect(row.before).toBe(false);
    expect(await ownAudit.actors()).toEqual(["Zoe", "ana", "ben"]);
  });
});
