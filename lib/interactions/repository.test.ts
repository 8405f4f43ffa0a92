import { beforeEach, describe, expect, it } from "vitest";
import { openDatabase } from "@/db/client";
import { interactionSchema } from "@/lib/nebuly/schemas";
import { TITLE_MAX } from "@/lib/nebuly/title";
import { toInteractionView } from "@/lib/render/interaction-view";
import { createInteractionRepository, type InteractionRepository } from "./repository";

let repository: InteractionRepository;
let n = 0;

function save(fields: Record<string, unknown>) {
  const id = `00000000-0000-4000-8000-${String(++n).padStart(12, "0")}`;
  const body = { id, ...fields };
  repository.save(id, interactionSchema.parse(body), JSON.stringify(body), new Date());
  return id;
}

const search = (text: string, extra: Partial<Parameters<InteractionRepository["search"]>[0]> = {}) =>
  repository.search({ text, sort: "time", limit: 25, offset: 0, ...extra }).items.map((item) => item.id);

describe("cached interaction search", () => {
  beforeEach(() => {
    repository = createInteractionRepository(openDatabase(":memory:"));
  });

  it("finds words in any turn's input or output, and by prefix", () => {
    const refund = save({ user_query: "charged twice", conversation: [{ input: "hello", output: "I started a refund" }] });
    const other = save({ input: "weather", output: "sunny" });
    expect(search("refund")).toEqual([refund]);
    expect(search("refu")).toEqual([refund]);
    expect(search("hello twice")).toEqual([refund]);
    expect(search("sunny")).toEqual([other]);
  });

  it("keeps the index in step when an interaction is fetched again", () => {
    const id = save({ output: "old words" });
    repository.save(id, interactionSchema.parse({ id, output: "new words" }), JSON.stringify({ id, output: "new words" }), new Date());
    expect(search("old")).toEqual([]);
    expect(search("new")).toEqual([id]);
  });

  it.each(['"', '"unbalanced', "a AND", "NEAR(a b", "-x", "*", "col:val", "((", "a OR b NOT c", "^start", "x'; DROP TABLE interactions; --", "\u0000"])(
    "treats hostile search text %j as plain words, never an SQL error",
    (text) => {
      save({ output: "plain text" });
      expect(() => search(text)).not.toThrow();
    },
  );

  it("filters on the indexed fields and sorts by interaction time or last view", () => {
    const older = save({ topic: "Billing", sentiment: "negative", timestamp: "2026-11-01T10:00:00Z" });
    const newer = save({ topic: "Billing", sentiment: "positive", timestamp: "2026-11-02T10:00:00Z" });
    save({ topic: "Other", timestamp: "2026-11-03T10:00:00Z" });
    expect(search("", { topic: "Billing" })).toEqual([newer, older]);
    expect(search("", { topic: "Billing", sentiment: "negative" })).toEqual([older]);
    repository.recordView(older, new Date("2026-11-26T10:00:00Z"));
    expect(search("", { sort: "viewed" })).toEqual([older]);
    expect(repository.recentlyViewed(5).map((item) => item.id)).toEqual([older]);
  });

  it("pages with a has-more flag", () => {
    for (let i = 0; i < 5; i++) save({ output: "page me" });
    const first = repository.search({ text: "page", sort: "time", limit: 2, offset: 0 });
    const last = repository.search({ text: "page", sort: "time", limit: 2, offset: 4 });
    expect([first.items.length, first.hasMore]).toEqual([2, true]);
    expect([last.items.length, last.hasMore]).toEqual([1, false]);
  });

  it("lists short snippets, not whole bodies", () => {
    save({ user_query: "q".repeat(1_000), output: "o".repeat(5_000) });
    const [item] = repository.search({ sort: "time", limit: 1, offset: 0 }).items;
    expect(item.query).toHaveLength(TITLE_MAX);
    expect(item.output).toHaveLength(300);
  });

  it("offers the distinct topics, sentiments and feedback types as facets", () => {
    save({ topic: "B", sentiment: "positive", feedback_type: "explicit_positive" });
    save({ topic: "A", sentiment: "positive" });
    expect(repository.facets()).toEqual({ topics: ["A", "B"], sentiments: ["positive"], feedbackTypes: ["explicit_positive"] });
  });

  it("titles an interaction in lists exactly as its page does", () => {
    const bodies = [
      { user_query: "What is my plan?", input: "ignored" },
      { user_query: "   ", input: "The input wins over a blank query" },
      { conversation: [{ input: "First turn's question", output: "answer" }, { input: "second" }] },
      { user_query: "", input: "", conversation: [{ input: "  padded  " }] },
    ];
    for (const fields of bodies) {
      const id = save(fields);
      const listed = repository.search({ sort: "time", limit: 100, offset: 0 }).items.find((item) => item.id === id)!;
      const page = toInteractionView(interactionSchema.parse({ id, ...fields }));
      expect(listed.query).toBe(page.title);
    }
  });
});
