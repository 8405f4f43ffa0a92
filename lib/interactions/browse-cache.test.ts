import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Store } from "@/db/client";
import * as sqliteSchema from "@/db/schema";
import * as postgresSchema from "@/db/schema.postgres";
import { TITLE_MAX } from "@/lib/nebuly/title";
import { openTestStore, testStores } from "@/test/stores";
import { createBrowseCache, type BrowseCache } from "./browse-cache";

const text = (value: unknown) => (typeof value === "string" ? value : null);

describe.each(testStores())("the browse cache on %s", (dialect) => {
  let store: Store;
  let cache: BrowseCache;
  let n = 0;

  /** Caches interactions as rows (the columns a snapshot's save would fill in); returns their ids. */
  async function saveAll(projectSlug: string, bodies: Record<string, unknown>[]): Promise<string[]> {
    const rows = bodies.map((fields) => {
      const id = `00000000-0000-4000-8000-${String(++n).padStart(12, "0")}`;
      const timestamp = new Date(Date.UTC(2026, 10, 1) + n * 60_000);
      const body: Record<string, unknown> = { id, timestamp: timestamp.toISOString(), ...fields };
      return {
        id,
        rawJson: JSON.stringify(body),
        fetchedAt: new Date(),
        timestamp,
        user: text(body.user),
        topic: text(body.topic),
        sentiment: text(body.sentiment),
        feedbackType: text(body.feedback_type),
        projectSlug,
      };
    });
    if (store.dialect === "sqlite") store.db.insert(sqliteSchema.interactions).values(rows).run();
    else await store.db.insert(postgresSchema.interactions).values(rows);
    return rows.map((row) => row.id);
  }

  const save = async (fields: Record<string, unknown>, projectSlug = "default") => (await saveAll(projectSlug, [fields]))[0];

  beforeAll(async () => {
    store = await openTestStore(dialect);
    cache = createBrowseCache(store);
  });

  beforeEach(async () => {
    if (store.dialect === "sqlite") store.db.delete(sqliteSchema.interactions).run();
    else await store.db.delete(postgresSchema.interactions);
  });

  describe("browse suggestions from the cache", () => {
    it("offers the users, intents, problem types and tags of cached interactions, sorted and without repeats", async () => {
      await save({ user: "maria.lopez@northwind.example", intent: "Request refund", tags: { plan: "pro", region: "eu" } });
      await save({ user: "anon-77c1", intent: "Prompt injection", risky_behavior: ["prompt_injection", { name: "credential_exfiltration_attempt" }], tags: { plan: "team" } });
      await save({ user: "maria.lopez@northwind.example", intent: "Request refund", tags: ["channel:web"] });
      expect(await cache.suggestions()).toEqual({
        users: ["anon-77c1", "maria.lopez@northwind.example"],
        intents: ["Prompt injection", "Request refund"],
        problems: ["credential_exfiltration_attempt", "prompt_injection"],
        tagNames: ["channel", "plan", "region"],
        tagValues: ["eu", "pro", "team", "web"],
      });
    });

    it("skips values Browse would refuse and shapes it cannot use", async () => {
      await save({ user: "u".repeat(201), intent: { nested: true }, tags: { ["k".repeat(101)]: "v", ok: "x".repeat(201) }, risky_behavior: 42 });
      expect(await cache.suggestions()).toEqual({ users: [], intents: [], problems: ["42"], tagNames: ["ok"], tagValues: ["v"] });
    });

    it("reads numbers as text", async () => {
      await save({ intent: 7, risky_behavior: [1.5, { name: 2 }], tags: { tier: 3 } });
      expect(await cache.suggestions()).toEqual({ users: [], intents: ["7"], problems: ["1.5", "2"], tagNames: ["tier"], tagValues: ["3"] });
    });

    it("finds none in a body that is not an object", async () => {
      const id = await save({ user: "ana@example.com", intent: "Replaced" });
      if (store.dialect === "sqlite") store.db.update(sqliteSchema.interactions).set({ rawJson: '["intent", 1]' }).run();
      else await store.db.update(postgresSchema.interactions).set({ rawJson: '["intent", 1]' });
      expect(await cache.suggestions()).toEqual({ users: ["ana@example.com"], intents: [], problems: [], tagNames: [], tagValues: [] });
      expect((await cache.summaries([id])).get(id)?.title).toBeNull();
    });

    it("reads only the most recent interactions' bodies", async () => {
      await save({ intent: "oldest" });
      await saveAll("default", Array.from({ length: 200 }, () => ({ intent: "recent" })));
      expect((await cache.suggestions()).intents).toEqual(["recent"]);
    });

    it("is empty for an empty cache", async () => {
      expect(await cache.suggestions()).toEqual({ users: [], intents: [], problems: [], tagNames: [], tagValues: [] });
    });

    it("a body with a NUL or a lone surrogate escape does not cost the others their suggestions", async () => {
      await save({ user: "nul@example.com", intent: "Nul\u0000here", tags: { plan: "pro" } });
      await save({ user: "surrogate@example.com", intent: "Half \ud800 emoji" });
      await save({ user: "plain@example.com", intent: "Plain", tags: { region: "eu" } });
      const suggestions = await cache.suggestions();
      expect(suggestions.users).toEqual(["nul@example.com", "plain@example.com", "surrogate@example.com"]);
      expect(suggestions.intents).toContain("Plain");
      expect(suggestions.tagNames).toContain("region");
    });
  });

  describe("summaries of listed ids", () => {
    it("returns the badge fields of the cached ones only", async () => {
      const billing = await save({ user_query: "Refund please", topic: "Billing", sentiment: "negative", feedback_type: "explicit_negative" });
      const bare = await save({});
      const summaries = await cache.summaries([billing, "ffffffff-0000-4000-8000-000000000000", bare, billing]);
      expect([...summaries.keys()].sort()).toEqual([billing, bare].sort());
      expect(summaries.get(billing)).toEqual({ title: "Refund please", topic: "Billing", sentiment: "negative", feedbackType: "explicit_negative" });
      expect(summaries.get(bare)).toEqual({ title: null, topic: null, sentiment: null, feedbackType: null });
    });

    it("titles: the first of query, input, first turn's input that is not blank, spaces trimmed, cut to TITLE_MAX", async () => {
      const ids = await saveAll("default", [
        { user_query: "  Where is my order?  ", input: "ignored" },
        { user_query: "   ", input: "From the input" },
        { user_query: "", conversation: [{ input: " First turn " }, { input: "Second turn" }] },
        { conversation: [{ input: "" }] },
        { conversation: { "0": { input: "Not a list" } } },
        { user_query: "é".repeat(TITLE_MAX + 10) },
        { user_query: "    " },
      ]);
      const summaries = await cache.summaries(ids);
      expect(ids.map((id) => summaries.get(id)?.title)).toEqual(["Where is my order?", "From the input", "First turn", null, null, "é".repeat(TITLE_MAX), null]);
    });

    it("a body with a NUL or a lone surrogate escape does not break the summaries of the others", async () => {
      const nul = await save({ user_query: "Nul\u0000here", topic: "Hostile" });
      const surrogate = await save({ user_query: "Half \udc00 emoji", topic: "Hostile" });
      const plain = await save({ user_query: "Plain", topic: "Billing" });
      const summaries = await cache.summaries([nul, surrogate, plain]);
      expect(summaries.get(plain)).toEqual({ title: "Plain", topic: "Billing", sentiment: null, feedbackType: null });
      expect(summaries.get(nul)?.topic).toBe("Hostile");
      expect(summaries.get(surrogate)?.topic).toBe("Hostile");
      // Postgres's jsonb refuses these escapes: the title is unknown there rather than the list failing.
      if (store.dialect === "postgres") {
        expect(summaries.get(nul)?.title).toBeNull();
        expect(summaries.get(surrogate)?.title).toBeNull();
      }
    });

    it("asks nothing for no ids", async () => {
      expect((await cache.summaries([])).size).toBe(0);
    });
  });

  describe("suggestions and summaries for a viewer of some projects", () => {
    it("offers only the values of the projects the viewer may see", async () => {
      await save({ user: "ana@example.com", intent: "Request refund", tags: { plan: "pro" } }, "support");
      await save({ user: "bob@example.com", intent: "Salary question", tags: { team: "finance" } }, "hr");
      expect(await cache.suggestions(["support"])).toEqual({ users: ["ana@example.com"], intents: ["Request refund"], problems: [], tagNames: ["plan"], tagValues: ["pro"] });
      expect(await cache.suggestions([])).toEqual({ users: [], intents: [], problems: [], tagNames: [], tagValues: [] });
      expect((await cache.suggestions()).users).toEqual(["ana@example.com", "bob@example.com"]);
    });

    it("summarises only the listed ids of those projects", async () => {
      const support = await save({ topic: "Billing" }, "support");
      const hr = await save({ topic: "Payroll" }, "hr");
      expect([...(await cache.summaries([support, hr], ["support"])).keys()]).toEqual([support]);
      expect((await cache.summaries([support, hr], [])).size).toBe(0);
    });
  });
});
