import { beforeEach, describe, expect, it } from "vitest";
import { openDatabase, type Db } from "@/db/client";
import { interactionSchema } from "@/lib/nebuly/schemas";
import { TITLE_MAX } from "@/lib/nebuly/title";
import { toInteractionView } from "@/lib/render/interaction-view";
import { COUNT_LIMIT, createInteractionRepository, type CachedSearchQuery, type InteractionRepository } from "./repository";
import type { SnippetPart } from "./search-snippet";

let db: Db;
let repository: InteractionRepository;
let n = 0;

function save(fields: Record<string, unknown>) {
  const id = `00000000-0000-4000-8000-${String(++n).padStart(12, "0")}`;
  const body = { id, ...fields };
  repository.save(id, interactionSchema.parse(body), JSON.stringify(body), new Date(), "default");
  return id;
}

const run = (text: string, extra: Partial<CachedSearchQuery> = {}) => repository.search({ text, sort: "time", limit: 25, offset: 0, ...extra });
const search = (text: string, extra: Partial<CachedSearchQuery> = {}) => run(text, extra).items.map((item) => item.id);
const marked = (parts: SnippetPart[] | undefined) => (parts ?? []).map((part) => (part.match ? `[${part.text}]` : part.text)).join("");

/** FTS5's own check that both indexes hold exactly what interactions_fts says each document contains. */
function expectIndexesIntact() {
  expect(() => db.$client.exec("INSERT INTO interactions_fts (interactions_fts) VALUES ('integrity-check')")).not.toThrow();
  expect(() => db.$client.exec("INSERT INTO interactions_trigram (interactions_trigram) VALUES ('integrity-check')")).not.toThrow();
}

// Text from the demo data (lib/demo/interactions.ts): sentences without spaces.
const CHINESE = { input: "可以开具增值税专用发票吗？", output: "可以。请在 **账单 → 详细信息** 中填写公司名称、税号和地址。" };
const JAPANESE = {
  input: "東京リージョンはありますか？",
  output: "はい、**ap-northeast-1（東京）** リージョンをご利用いただけます。\n\nプロジェクト作成時にリージョンを選択してください。既存プロジェクトのリージョンは変更できないため、新しいプロジェクトを作成して移行する必要があります。",
};

describe("cached interaction search", () => {
  beforeEach(() => {
    db = openDatabase(":memory:");
    repository = createInteractionRepository(db);
  });

  it("finds words in any turn's input or output, and by prefix", () => {
    const refund = save({ user_query: "charged twice", conversation: [{ input: "hello", output: "I started a refund" }] });
    const other = save({ input: "weather", output: "sunny" });
    expect(search("refund")).toEqual([refund]);
    expect(search("refu")).toEqual([refund]);
    expect(search("hello twice")).toEqual([refund]);
    expect(search("sunny")).toEqual([other]);
  });

  it("keeps both indexes in step when an interaction is fetched again", () => {
    const id = save({ output: "old words 旧文字" });
    repository.save(id, interactionSchema.parse({ id, output: "new words 新文字" }), JSON.stringify({ id, output: "new words 新文字" }), new Date(), "default");
    expect(search("old")).toEqual([]);
    expect(search("旧文字")).toEqual([]);
    expect(search("旧文")).toEqual([]);
    expect(search("new")).toEqual([id]);
    expect(search("新文字")).toEqual([id]);
    expectIndexesIntact();
  });

  it.each(['"', '"unbalanced', "a AND", "NEAR(a b", "NEAR(", ")", "^", "*", '"*"', "col:val", "((", "a OR b NOT c", "^start", "x'; DROP TABLE interactions; --", "\u0000", '"a" "b', "plain OR", 'te"xt'])(
    "treats hostile search text %j as plain text, never FTS5 syntax or an SQL error",
    (text) => {
      const plain = save({ output: "plain text" });
      save({ output: "other words" });
      const found = run(text);
      // Nothing typed may widen a search to everything (an FTS5 `*` of its own, or `NOT` of nothing).
      expect(found.items.length).toBeLessThanOrEqual(1);
      if (found.items.length) expect(found.items[0].id).toBe(plain);
    },
  );

  it("treats a leading - as leaving a word out, never as FTS5 NOT of nothing", () => {
    const plain = save({ output: "plain text" });
    const other = save({ output: "other words" });
    expect(search("-x").sort()).toEqual([plain, other].sort());
    expect(search("-plain")).toEqual([other]);
  });

  describe("text without spaces", () => {
    it.each(["增值税", "专用", "发票", "开具增值税专用发票", "ご利用", "移行", "選択", "リージョン", "東京", "ap-northeast-1"])("finds %j inside a sentence", (text) => {
      const chinese = save(CHINESE);
      const japanese = save(JAPANESE);
      save({ input: "unrelated", output: "nothing here" });
      const expected = ["增值税", "专用", "发票", "开具增值税专用发票"].includes(text) ? chinese : japanese;
      const found = run(text);
      expect(found.items.map((item) => item.id)).toEqual([expected]);
      expect(marked(found.items[0].snippet)).toContain(`[${text}]`);
    });

    it("finds a pair at the very end of the text, and not across parts", () => {
      const id = save({ user_query: "请求", output: "退款" });
      expect(search("退款")).toEqual([id]);
      expect(search("请求")).toEqual([id]);
      expect(search("求退")).toEqual([]);
    });

    it("does not find text that is not there", () => {
      save(CHINESE);
      save(JAPANESE);
      expect(search("增值專")).toEqual([]);
      expect(search("用发专")).toEqual([]);
      expect(search("移選")).toEqual([]);
    });

    it("mixes scripts: every word must match, each where it can", () => {
      const both = save({ input: "Refund please", output: "我们的退款政策是三十天" });
      save({ input: "Refund please", output: "nothing" });
      save({ output: "我们的退款政策" });
      expect(search("refund 退款")).toEqual([both]);
      expect(search("退款 三十天 please")).toEqual([both]);
    });

    it("looks up at most 512 trigrams for a pair, and says when a pair is too common to find inside words", () => {
      const inside = save({ output: Array.from({ length: 513 }, (_, i) => `的是${String.fromCodePoint(0x4e00 + i)}`).join(" ") });
      const whole = save({ output: "这 的是 那" });
      const found = run("的是");
      expect(found.items.map((item) => item.id)).toEqual([whole]);
      expect(found.reading?.notes).toEqual(["“的是” is too common to find inside longer words here, so only whole words match."]);
      // Three characters need no list of trigrams: still found inside words.
      const later = save({ output: "的是一" });
      expect(search("的是一").sort()).toEqual([inside, later].sort());
    });

    it("says a single character matches word starts only", () => {
      const id = save({ output: "税 is a word here, and 增值税 is not" });
      const found = run("税");
      expect(found.items.map((item) => item.id)).toEqual([id]);
      expect(found.reading?.notes).toEqual(["“税” is too short to find inside longer words, so words starting with it match."]);
    });
  });

  describe("ranking", () => {
    it("lists word matches first, then matches inside words, each newest first", () => {
      const olderWord = save({ output: "fund transfer", timestamp: "2026-11-01T10:00:00Z" });
      const newerInside = save({ output: "refund issued", timestamp: "2026-11-05T10:00:00Z" });
      const newerWord = save({ output: "the fund", timestamp: "2026-11-03T10:00:00Z" });
      const olderInside = save({ output: "nonrefundable", timestamp: "2026-10-01T10:00:00Z" });
      expect(search("fund")).toEqual([newerWord, olderWord, newerInside, olderInside]);
    });

    it("pages across the two kinds of match without repeating or skipping", () => {
      const ids = [
        save({ output: "fund", timestamp: "2026-11-03T00:00:00Z" }),
        save({ output: "fund", timestamp: "2026-11-02T00:00:00Z" }),
        save({ output: "fund", timestamp: "2026-11-01T00:00:00Z" }),
        save({ output: "refund", timestamp: "2026-11-09T00:00:00Z" }),
        save({ output: "refund", timestamp: "2026-11-08T00:00:00Z" }),
      ];
      const pages = [0, 2, 4].map((offset) => run("fund", { limit: 2, offset }));
      expect(pages.map((page) => page.items.map((item) => item.id))).toEqual([ids.slice(0, 2), ids.slice(2, 4), ids.slice(4)]);
      expect(pages.map((page) => page.hasMore)).toEqual([true, true, false]);
      expect(pages.map((page) => page.count)).toEqual([5, 5, 5]);
    });

    it("orders by time whatever order interactions were cached in, undated last", () => {
      const undated = save({ output: "order me" });
      const middle = save({ output: "order me", timestamp: "2026-06-01T00:00:00Z" });
      const newest = save({ output: "order me", timestamp: "2026-12-01T00:00:00Z" });
      const sameTime = save({ output: "order me", timestamp: "2026-06-01T00:00:00Z" });
      const oldest = save({ output: "order me", timestamp: "1999-01-01T00:00:00Z" });
      expect(search("order")).toEqual([newest, sameTime, middle, oldest, undated]);
      expect(search("rder")).toEqual([newest, sameTime, middle, oldest, undated]);
    });

    it("re-orders an interaction whose time changed when fetched again", () => {
      const id = save({ output: "moving", timestamp: "2026-01-01T00:00:00Z" });
      const other = save({ output: "moving", timestamp: "2026-06-01T00:00:00Z" });
      expect(search("moving")).toEqual([other, id]);
      const body = { id, output: "moving", timestamp: "2026-12-01T00:00:00Z" };
      repository.save(id, interactionSchema.parse(body), JSON.stringify(body), new Date(), "default");
      expect(search("moving")).toEqual([id, other]);
      expect(search("ovin")).toEqual([id, other]);
      expectIndexesIntact();
    });

    it("sorts matches by last view when asked, matches only", () => {
      const a = save({ output: "viewed refund" });
      const b = save({ output: "viewed nonrefundable" });
      save({ output: "refund never viewed" });
      save({ output: "viewed other" });
      repository.recordView(a, new Date("2026-11-01T00:00:00Z"));
      repository.recordView(b, new Date("2026-11-02T00:00:00Z"));
      const found = run("refund", { sort: "viewed" });
      expect(found.items.map((item) => item.id)).toEqual([a, b]);
      expect(found.items.map((item) => marked(item.snippet))).toEqual(["viewed [refund]\n", "viewed non[refund]able\n"]);
    });
  });

  describe("query forms", () => {
    it("matches an exact phrase, not the words apart", () => {
      const together = save({ output: "a double charge on my card" });
      save({ output: "charge it double" });
      const found = run('"double charge"');
      expect(found.items.map((item) => item.id)).toEqual([together]);
      expect(marked(found.items[0].snippet)).toContain("[double charge]");
    });

    it("accepts either side of OR", () => {
      const refund = save({ output: "refund" });
      const chargeback = save({ output: "chargeback" });
      save({ output: "invoice" });
      expect(search("refund OR chargeback").sort()).toEqual([refund, chargeback].sort());
      expect(search("refund OR 增值税 OR chargeback").sort()).toEqual([refund, chargeback].sort());
    });

    it.each(["refund -paypal", "refund NOT paypal", "refund -PayPal", 'refund -"paypal"'])("leaves out what %j excludes, as a word or inside one", (text) => {
      const kept = save({ output: "refund by card" });
      save({ output: "refund by paypal" });
      save({ output: "refund via mypaypal account" });
      expect(search(text)).toEqual([kept]);
    });

    it("excludes Chinese and Japanese text inside sentences", () => {
      const chinese = save(CHINESE);
      save(JAPANESE);
      expect(search("可以 -专用")).toEqual([]);
      expect(search("-移行")).toEqual([chinese]);
      expect(search("-リージョン -发票")).toEqual([]);
    });

    it("with only excluded words, lists everything else", () => {
      const kept = save({ output: "keep me" });
      save({ output: "drop me" });
      const found = run("-drop");
      expect(found.items.map((item) => item.id)).toEqual([kept]);
      expect(found.count).toBe(1);
    });

    it.each(['"', "*", '"*"', "🙂", "-", "- --", "OR", "NOT"])("has nothing to search for in %j and lists nothing", (text) => {
      save({ output: "anything" });
      const found = run(text);
      expect(found.items).toEqual([]);
      expect(found.reading?.nothingToSearch).toBe(true);
    });

    it("searches the first 32 words of a long query and says what it left out", () => {
      const id = save({ output: Array.from({ length: 32 }, (_, i) => `word${i}`).join(" ") });
      const found = run(Array.from({ length: 40 }, (_, i) => `word${i}`).join(" "));
      expect(found.items.map((item) => item.id)).toEqual([id]);
      expect(found.reading?.notes[0]).toMatch(/left out: “word32 word33 .* word39”/);
    });
  });

  it("counts matches up to 1,000 and says when there are more", () => {
    db.$client.transaction(() => {
      for (let i = 0; i < COUNT_LIMIT + 5; i++) save({ output: i < 3 ? "rare many" : "many" });
    })();
    expect([run("many").count, run("many").countIsLimit]).toEqual([COUNT_LIMIT, true]);
    expect([run("rare").count, run("rare").countIsLimit]).toEqual([3, false]);
    expect([run("any").count, run("any").countIsLimit]).toEqual([COUNT_LIMIT, true]);
    expect([run("").count, run("").countIsLimit]).toEqual([COUNT_LIMIT, true]);
    expect(run("many", { offset: 1_000, limit: 10 }).items).toHaveLength(5);
  }, 60_000);

  // Past 200 rows the filters no longer pick the rows to probe: the index is read in order instead.
  it.each([
    ["few", 0],
    ["many", 210],
  ])("gives the same answers when the filters leave %s rows", (_, filler) => {
    db.$client.transaction(() => {
      for (let i = 0; i < filler; i++) {
        const id = save({ output: "filler", topic: "Billing", timestamp: "2020-01-01T00:00:00Z" });
        repository.recordView(id, new Date("2020-01-01T00:00:00Z"));
      }
    })();
    const word = save({ output: "fund", topic: "Billing", timestamp: "2026-11-01T00:00:00Z" });
    const inside = save({ output: "refund", topic: "Billing", timestamp: "2026-11-02T00:00:00Z" });
    const excluded = save({ output: "fund paypal", topic: "Billing", timestamp: "2026-11-03T00:00:00Z" });
    save({ output: "fund", topic: "Other", timestamp: "2026-11-04T00:00:00Z" });
    expect(search("fund", { topic: "Billing" })).toEqual([excluded, word, inside]);
    expect(search("fund -paypal", { topic: "Billing" })).toEqual([word, inside]);
    expect(run("fund", { topic: "Billing" }).count).toBe(3);
    repository.recordView(inside, new Date("2026-11-20T00:00:00Z"));
    repository.recordView(excluded, new Date("2026-11-21T00:00:00Z"));
    repository.recordView(word, new Date("2026-11-22T00:00:00Z"));
    const viewed = run("fund -paypal", { topic: "Billing", sort: "viewed" });
    expect(viewed.items.map((item) => item.id)).toEqual([word, inside]);
    expect(viewed.items.map((item) => marked(item.snippet))).toEqual(["[fund]\n", "re[fund]\n"]);
    expect(search("filler", { sort: "viewed", limit: 1 })).toHaveLength(filler ? 1 : 0);
  }, 60_000);

  it("filters full-text matches on the indexed fields", () => {
    const billing = save({ output: "refund", topic: "Billing", user: "ana@example.com" });
    save({ output: "refund", topic: "Other", user: "ana@example.com" });
    save({ output: "nonrefundable", topic: "Other" });
    const inside = save({ output: "nonrefundable", topic: "Billing" });
    expect(search("refund", { topic: "Billing" })).toEqual([billing, inside]);
    expect(run("refund", { topic: "Billing" }).count).toBe(2);
    expect(search("refund", { topic: "Billing", user: "ana@example.com" })).toEqual([billing]);
  });

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

describe("rows of several projects", () => {
  beforeEach(() => {
    db = openDatabase(":memory:");
    repository = createInteractionRepository(db);
  });

  function saveIn(projectSlug: string, fields: Record<string, unknown>) {
    const id = `00000000-0000-4000-9000-${String(++n).padStart(12, "0")}`;
    const body = { id, ...fields };
    repository.save(id, interactionSchema.parse(body), JSON.stringify(body), new Date(), projectSlug);
    return id;
  }

  it("records the project each row was fetched with, and lists it", () => {
    const id = saveIn("sales", { output: "quote for ten seats", timestamp: "2026-11-01T00:00:00Z" });
    expect(repository.find(id)?.projectSlug).toBe("sales");
    expect(run("quote").items.map((item) => [item.id, item.projectSlug])).toEqual([[id, "sales"]]);
  });

  it("searches only the projects asked for, with text and without", () => {
    const support = saveIn("support", { output: "refund issued", timestamp: "2026-11-01T00:00:00Z" });
    const sales = saveIn("sales", { output: "refund policy for annual plans", timestamp: "2026-11-02T00:00:00Z" });
    const hr = saveIn("hr", { output: "refund of travel expenses", timestamp: "2026-11-03T00:00:00Z" });
    expect(search("refund")).toEqual([hr, sales, support]);
    expect(search("refund", { projects: ["support", "sales"] })).toEqual([sales, support]);
    expect(search("efun", { projects: ["hr"] })).toEqual([hr]);
    expect(search("", { projects: ["sales"] })).toEqual([sales]);
    expect(run("refund", { projects: ["sales"] }).count).toBe(1);
  });

  it("finds nothing for an empty list of projects (a viewer who may see none)", () => {
    saveIn("support", { output: "refund issued", timestamp: "2026-11-01T00:00:00Z" });
    expect(run("refund", { projects: [] })).toMatchObject({ items: [], count: 0, hasMore: false });
    expect(run("", { projects: [] })).toMatchObject({ items: [], count: 0, hasMore: false });
    expect(repository.recentlyViewed(10, [])).toEqual([]);
    expect(repository.facets([])).toEqual({ topics: [], sentiments: [], feedbackTypes: [] });
  });

  it("shows in Recently viewed only the rows of the projects asked for", () => {
    const support = saveIn("support", { output: "a" });
    const sales = saveIn("sales", { output: "b" });
    repository.recordView(support, new Date("2026-11-01T00:00:00Z"));
    repository.recordView(sales, new Date("2026-11-02T00:00:00Z"));
    expect(repository.recentlyViewed(10).map((item) => item.id)).toEqual([sales, support]);
    expect(repository.recentlyViewed(10, ["support"]).map((item) => [item.id, item.projectSlug])).toEqual([[support, "support"]]);
  });

  it("offers as facets only the values of the projects asked for", () => {
    saveIn("support", { topic: "Billing", sentiment: "negative", feedback_type: "explicit_negative" });
    saveIn("sales", { topic: "Pricing", sentiment: "positive" });
    expect(repository.facets(["sales"])).toEqual({ topics: ["Pricing"], sentiments: ["positive"], feedbackTypes: [] });
    expect(repository.facets().topics).toEqual(["Billing", "Pricing"]);
  });

  it("tells whether some row belongs to a project no longer configured", () => {
    expect(repository.hasRowsOutside(["support"])).toBe(false);
    saveIn("support", { output: "a" });
    saveIn("retired", { output: "b" });
    expect(repository.hasRowsOutside(["support", "retired"])).toBe(false);
    expect(repository.hasRowsOutside(["support"])).toBe(true);
    expect(repository.hasRowsOutside([])).toBe(true);
  });

  it("keeps the project of a forgotten interaction", () => {
    const id = saveIn("sales", { output: "a" });
    repository.forget(id, new Date(), "ana", "sales");
    expect(repository.forgotten(id)).toMatchObject({ projectSlug: "sales", forgottenBy: "ana" });
  });
});
