import { sql } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import type { Dialect, SqliteDb, Store } from "@/db/client";
import * as sqliteSchema from "@/db/schema";
import * as postgresSchema from "@/db/schema.postgres";
import { interactionSchema } from "@/lib/nebuly/schemas";
import { TITLE_MAX } from "@/lib/nebuly/title";
import { toInteractionView } from "@/lib/render/interaction-view";
import { openTestStore, testStores } from "@/test/stores";
import { foldText, searchPairsOf } from "./repository.postgres";
import { COUNT_LIMIT, createInteractionRepository, type CachedSearchQuery, type InteractionRepository } from "./repository";
import type { SnippetPart } from "./search-snippet";
import { searchableText } from "./search-text";

/*
 * The snapshot store's behaviour, held the same on SQLite and Postgres: every test in the
 * `describe.each` runs against both stores (test/stores.ts). Tests of SQLite's own machinery (its
 * FTS5 indexes, its trigram vocabulary) sit in the SQLite-only block at the end; Postgres' own are
 * in repository.postgres.test.ts.
 */

let store: Store;
let repository: InteractionRepository;
let n = 0;

let postgresStore: Store | undefined;
/** A store with nothing in it: SQLite in memory, new for each test; the file's Postgres database, emptied. */
async function emptyStore(dialect: Dialect): Promise<Store> {
  if (dialect === "sqlite") return openTestStore("sqlite");
  postgresStore ??= await openTestStore("postgres");
  // DELETE, not TRUNCATE: on tables this small it is many times faster.
  if (postgresStore.dialect === "postgres") {
    await postgresStore.db.execute(sql`DELETE FROM share_links; DELETE FROM interactions; DELETE FROM list_cache; DELETE FROM forgotten_interactions`);
  }
  return postgresStore;
}

const newId = () => `00000000-0000-4000-8000-${String(++n).padStart(12, "0")}`;

async function saveAs(id: string, fields: Record<string, unknown>, projectSlug = "default", fetchedAt = new Date()) {
  const body = { id, ...fields };
  return repository.save(id, interactionSchema.parse(body), JSON.stringify(body), fetchedAt, projectSlug);
}

async function save(fields: Record<string, unknown>) {
  const id = newId();
  await saveAs(id, fields);
  return id;
}

/** Saves many rows (a few at a time on Postgres, whose pool has several connections). */
async function saveMany(count: number, fields: (i: number) => Record<string, unknown>): Promise<string[]> {
  const ids = Array.from({ length: count }, newId);
  const batch = store.dialect === "postgres" ? 4 : 1;
  for (let i = 0; i < count; i += batch) {
    await Promise.all(ids.slice(i, i + batch).map((id, k) => saveAs(id, fields(i + k))));
  }
  return ids;
}

const run = (text: string, extra: Partial<CachedSearchQuery> = {}) => repository.search({ text, sort: "time", limit: 25, offset: 0, ...extra });
const search = async (text: string, extra: Partial<CachedSearchQuery> = {}) => (await run(text, extra)).items.map((item) => item.id);
const marked = (parts: SnippetPart[] | undefined) => (parts ?? []).map((part) => (part.match ? `[${part.text}]` : part.text)).join("");

/** The search data kept beside each row agrees with the row. */
async function expectIndexesIntact() {
  const current = store;
  if (current.dialect === "sqlite") {
    // FTS5's own check that both indexes hold exactly what interactions_fts says each document contains.
    expect(() => current.db.$client.exec("INSERT INTO interactions_fts (interactions_fts) VALUES ('integrity-check')")).not.toThrow();
    expect(() => current.db.$client.exec("INSERT INTO interactions_trigram (interactions_trigram) VALUES ('integrity-check')")).not.toThrow();
    return;
  }
  const rows = await current.db.select().from(postgresSchema.interactions);
  for (const row of rows) {
    const body = searchableTextOf(row.rawJson);
    expect(row.searchBody).toBe(body);
    expect(row.searchFolded).toBe(foldText(body));
    expect([...row.searchPairs].sort()).toEqual(searchPairsOf(foldText(body)).sort());
  }
}

const searchableTextOf = (rawJson: string) => searchableText(interactionSchema.parse(JSON.parse(rawJson)));

/** A share link row, written directly (lib/sharing owns them; here only their effect on snapshots matters). */
async function addLink(linkId: string, interactionId: string, revokedAt: Date | null = null) {
  const row = { id: linkId, tokenHash: `hash-${linkId}`, interactionId, createdAt: new Date("2026-01-01T00:00:00Z"), createdBy: "ana", expiresAt: null, revokedAt, hideSensitive: false };
  if (store.dialect === "sqlite") store.db.insert(sqliteSchema.shareLinks).values(row).run();
  else await store.db.insert(postgresSchema.shareLinks).values(row);
}

async function linkRevokedAt(linkId: string): Promise<Date | null | undefined> {
  if (store.dialect === "sqlite") return store.db.select().from(sqliteSchema.shareLinks).all().find((link) => link.id === linkId)?.revokedAt;
  return (await store.db.select().from(postgresSchema.shareLinks)).find((link) => link.id === linkId)?.revokedAt;
}

// Text from the demo data (lib/demo/interactions.ts): sentences without spaces.
const CHINESE = { input: "可以开具增值税专用发票吗？", output: "可以。请在 **账单 → 详细信息** 中填写公司名称、税号和地址。" };
const JAPANESE = {
  input: "東京リージョンはありますか？",
  output: "はい、**ap-northeast-1（東京）** リージョンをご利用いただけます。\n\nプロジェクト作成時にリージョンを選択してください。既存プロジェクトのリージョンは変更できないため、新しいプロジェクトを作成して移行する必要があります。",
};

describe.each(testStores())("cached interaction search (%s)", (dialect) => {
  beforeEach(async () => {
    store = await emptyStore(dialect);
    repository = createInteractionRepository(store);
  });

  it("finds words in any turn's input or output, and by prefix", async () => {
    const refund = await save({ user_query: "charged twice", conversation: [{ input: "hello", output: "I started a refund" }] });
    const other = await save({ input: "weather", output: "sunny" });
    expect(await search("refund")).toEqual([refund]);
    expect(await search("refu")).toEqual([refund]);
    expect(await search("hello twice")).toEqual([refund]);
    expect(await search("sunny")).toEqual([other]);
  });

  it("keeps both indexes in step when an interaction is fetched again", async () => {
    const id = await save({ output: "old words 旧文字" });
    await saveAs(id, { output: "new words 新文字" });
    expect(await search("old")).toEqual([]);
    expect(await search("旧文字")).toEqual([]);
    expect(await search("旧文")).toEqual([]);
    expect(await search("new")).toEqual([id]);
    expect(await search("新文字")).toEqual([id]);
    await expectIndexesIntact();
  });

  it.each([
    '"',
    '"unbalanced',
    "a AND",
    "NEAR(a b",
    "NEAR(",
    ")",
    "^",
    "*",
    '"*"',
    "col:val",
    "((",
    "a OR b NOT c",
    "^start",
    "x'; DROP TABLE interactions; --",
    "\u0000",
    '"a" "b',
    "plain OR",
    'te"xt',
    // tsquery and LIKE syntax: never operators or wildcards here.
    "plain|other",
    "plain&other",
    "'plain' | 'other'",
    "p|o",
    "!plain",
    "pl:*ain",
    "plain <-> text",
    "%",
    "_",
    "%%%",
    "\\",
    "a\\'b",
    "x' | 'o",
    "$1",
    "'",
  ])("treats hostile search text %j as plain text, never FTS5, tsquery or LIKE syntax or an SQL error", async (text) => {
    const plain = await save({ output: "plain text" });
    await save({ output: "other words" });
    const found = await run(text);
    // Nothing typed may widen a search to everything (an FTS5 `*` of its own, or `NOT` of nothing).
    expect(found.items.length).toBeLessThanOrEqual(1);
    if (found.items.length) expect(found.items[0].id).toBe(plain);
  });

  it("reads LIKE wildcards and backslashes in typed text literally", async () => {
    const percent = await save({ output: "a 100%ok refund, path C:\\temp\\x and snake_case" });
    await save({ output: "plain text: 100 percent ok, 100xok, in snakeXcase" });
    expect(await search("pl_in")).toEqual([]);
    expect(await search("pl%n")).toEqual([]);
    expect(await search("100%ok")).toEqual([percent]);
    expect(await search("e_c")).toEqual([percent]);
    expect(await search("c:\\temp\\x")).toEqual([percent]);
    expect(await search("snake_case")).toEqual([percent]);
  });

  it("treats a leading - as leaving a word out, never as FTS5 NOT of nothing", async () => {
    const plain = await save({ output: "plain text" });
    const other = await save({ output: "other words" });
    expect((await search("-x")).sort()).toEqual([plain, other].sort());
    expect(await search("-plain")).toEqual([other]);
  });

  describe("text without spaces", () => {
    it.each(["增值税", "专用", "发票", "开具增值税专用发票", "ご利用", "移行", "選択", "リージョン", "東京", "ap-northeast-1"])("finds %j inside a sentence", async (text) => {
      const chinese = await save(CHINESE);
      const japanese = await save(JAPANESE);
      await save({ input: "unrelated", output: "nothing here" });
      const expected = ["增值税", "专用", "发票", "开具增值税专用发票"].includes(text) ? chinese : japanese;
      const found = await run(text);
      expect(found.items.map((item) => item.id)).toEqual([expected]);
      expect(marked(found.items[0].snippet)).toContain(`[${text}]`);
    });

    it("finds a pair at the very end of the text, and not across parts", async () => {
      const id = await save({ user_query: "请求", output: "退款" });
      expect(await search("退款")).toEqual([id]);
      expect(await search("请求")).toEqual([id]);
      expect(await search("求退")).toEqual([]);
    });

    it("does not find text that is not there", async () => {
      await save(CHINESE);
      await save(JAPANESE);
      expect(await search("增值專")).toEqual([]);
      expect(await search("用发专")).toEqual([]);
      expect(await search("移選")).toEqual([]);
    });

    it("mixes scripts: every word must match, each where it can", async () => {
      const both = await save({ input: "Refund please", output: "我们的退款政策是三十天" });
      await save({ input: "Refund please", output: "nothing" });
      await save({ output: "我们的退款政策" });
      expect(await search("refund 退款")).toEqual([both]);
      expect(await search("退款 三十天 please")).toEqual([both]);
    });

    it("finds a common pair as a whole word first, and three characters inside words however common", async () => {
      const inside = await save({ output: Array.from({ length: 513 }, (_, i) => `的是${String.fromCodePoint(0x4e00 + i)}`).join(" ") });
      const whole = await save({ output: "这 的是 那" });
      // SQLite gives up finding this pair inside words (see the SQLite-only block); the whole word comes first on both.
      expect((await search("的是"))[0]).toBe(whole);
      const later = await save({ output: "的是一" });
      expect((await search("的是一")).sort()).toEqual([inside, later].sort());
    });

    it("says a single character matches word starts only", async () => {
      const id = await save({ output: "税 is a word here, and 增值税 is not" });
      const found = await run("税");
      expect(found.items.map((item) => item.id)).toEqual([id]);
      expect(found.reading?.notes).toEqual(["“税” is too short to find inside longer words, so words starting with it match."]);
      expect(marked(found.items[0].snippet)).toBe("[税] is a word here, and 增值税 is not\n");
    });
  });

  describe("case and accents", () => {
    it("finds words whatever their case or accents, as words and inside words, and marks them as written", async () => {
      const id = await save({ output: "Le CAFÉ est fermé. Über-Straße" });
      await save({ output: "nothing" });
      for (const text of ["café", "cafe", "CAFE", "ferme", "FERMÉ", "über", "uber", "straße", "afé", "ERM"]) expect(await search(text)).toEqual([id]);
      expect(marked((await run("cafe")).items[0].snippet)).toBe("Le [CAFÉ] est fermé. Über-Straße\n");
      expect(marked((await run("erm")).items[0].snippet)).toBe("Le CAFÉ est f[erm]é. Über-Straße\n");
    });
  });

  describe("ranking", () => {
    it("lists word matches first, then matches inside words, each newest first", async () => {
      const olderWord = await save({ output: "fund transfer", timestamp: "2026-11-01T10:00:00Z" });
      const newerInside = await save({ output: "refund issued", timestamp: "2026-11-05T10:00:00Z" });
      const newerWord = await save({ output: "the fund", timestamp: "2026-11-03T10:00:00Z" });
      const olderInside = await save({ output: "nonrefundable", timestamp: "2026-10-01T10:00:00Z" });
      expect(await search("fund")).toEqual([newerWord, olderWord, newerInside, olderInside]);
    });

    it("pages across the two kinds of match without repeating or skipping", async () => {
      const ids = [
        await save({ output: "fund", timestamp: "2026-11-03T00:00:00Z" }),
        await save({ output: "fund", timestamp: "2026-11-02T00:00:00Z" }),
        await save({ output: "fund", timestamp: "2026-11-01T00:00:00Z" }),
        await save({ output: "refund", timestamp: "2026-11-09T00:00:00Z" }),
        await save({ output: "refund", timestamp: "2026-11-08T00:00:00Z" }),
      ];
      const pages = await Promise.all([0, 2, 4].map((offset) => run("fund", { limit: 2, offset })));
      expect(pages.map((page) => page.items.map((item) => item.id))).toEqual([ids.slice(0, 2), ids.slice(2, 4), ids.slice(4)]);
      expect(pages.map((page) => page.hasMore)).toEqual([true, true, false]);
      expect(pages.map((page) => page.count)).toEqual([5, 5, 5]);
    });

    it("orders by time whatever order interactions were cached in, undated last", async () => {
      const undated = await save({ output: "order me" });
      const middle = await save({ output: "order me", timestamp: "2026-06-01T00:00:00Z" });
      const newest = await save({ output: "order me", timestamp: "2026-12-01T00:00:00Z" });
      const sameTime = await save({ output: "order me", timestamp: "2026-06-01T00:00:00Z" });
      const oldest = await save({ output: "order me", timestamp: "1999-01-01T00:00:00Z" });
      for (const text of ["order", "rder", ""]) {
        const found = await search(text);
        // Two interactions of the same millisecond: SQLite lists the one cached later first, Postgres orders them by id.
        expect([found[0], new Set(found.slice(1, 3)), ...found.slice(3)]).toEqual([newest, new Set([middle, sameTime]), oldest, undated]);
      }
    });

    it("re-orders an interaction whose time changed when fetched again", async () => {
      const id = await save({ output: "moving", timestamp: "2026-01-01T00:00:00Z" });
      const other = await save({ output: "moving", timestamp: "2026-06-01T00:00:00Z" });
      expect(await search("moving")).toEqual([other, id]);
      await saveAs(id, { output: "moving", timestamp: "2026-12-01T00:00:00Z" });
      expect(await search("moving")).toEqual([id, other]);
      expect(await search("ovin")).toEqual([id, other]);
      await expectIndexesIntact();
    });

    it("sorts matches by last view when asked, matches only", async () => {
      const a = await save({ output: "viewed refund" });
      const b = await save({ output: "viewed nonrefundable" });
      await save({ output: "refund never viewed" });
      await save({ output: "viewed other" });
      await repository.recordView(a, new Date("2026-11-01T00:00:00Z"));
      await repository.recordView(b, new Date("2026-11-02T00:00:00Z"));
      const found = await run("refund", { sort: "viewed" });
      expect(found.items.map((item) => item.id)).toEqual([a, b]);
      expect(found.items.map((item) => marked(item.snippet))).toEqual(["viewed [refund]\n", "viewed non[refund]able\n"]);
    });
  });

  describe("snippets", () => {
    it("shows the text around the first match of a long body, cut with ellipses", async () => {
      const filler = (word: string, count: number) => Array.from({ length: count }, () => word).join(" ");
      const id = await save({ output: `${filler("lorem", 400)} the needle is here ${filler("ipsum", 400)}` });
      const [item] = (await run("needle")).items;
      expect(item.id).toBe(id);
      const text = marked(item.snippet);
      expect(text).toContain("[needle]");
      expect(text.startsWith("…")).toBe(true);
      expect(text.endsWith("…")).toBe(true);
      expect(text.length).toBeLessThan(400);
    });

    it("marks every searched word and phrase in the snippet", async () => {
      await save({ output: "a double charge on my card, refund please" });
      const [item] = (await run('"double charge" refund')).items;
      expect(marked(item.snippet)).toBe("a [double charge] on my card, [refund] please\n");
    });
  });

  describe("query forms", () => {
    it("matches an exact phrase, not the words apart", async () => {
      const together = await save({ output: "a double charge on my card" });
      await save({ output: "charge it double" });
      const found = await run('"double charge"');
      expect(found.items.map((item) => item.id)).toEqual([together]);
      expect(marked(found.items[0].snippet)).toContain("[double charge]");
    });

    it("accepts either side of OR", async () => {
      const refund = await save({ output: "refund" });
      const chargeback = await save({ output: "chargeback" });
      await save({ output: "invoice" });
      expect((await search("refund OR chargeback")).sort()).toEqual([refund, chargeback].sort());
      expect((await search("refund OR 增值税 OR chargeback")).sort()).toEqual([refund, chargeback].sort());
    });

    it.each(["refund -paypal", "refund NOT paypal", "refund -PayPal", 'refund -"paypal"'])("leaves out what %j excludes, as a word or inside one", async (text) => {
      const kept = await save({ output: "refund by card" });
      await save({ output: "refund by paypal" });
      await save({ output: "refund via mypaypal account" });
      expect(await search(text)).toEqual([kept]);
    });

    it("excludes Chinese and Japanese text inside sentences", async () => {
      const chinese = await save(CHINESE);
      await save(JAPANESE);
      expect(await search("可以 -专用")).toEqual([]);
      expect(await search("-移行")).toEqual([chinese]);
      expect(await search("-リージョン -发票")).toEqual([]);
    });

    it("with only excluded words, lists everything else", async () => {
      const kept = await save({ output: "keep me" });
      await save({ output: "drop me" });
      const found = await run("-drop");
      expect(found.items.map((item) => item.id)).toEqual([kept]);
      expect(found.count).toBe(1);
    });

    it.each(['"', "*", '"*"', "🙂", "-", "- --", "OR", "NOT"])("has nothing to search for in %j and lists nothing", async (text) => {
      await save({ output: "anything" });
      const found = await run(text);
      expect(found.items).toEqual([]);
      expect(found.reading?.nothingToSearch).toBe(true);
    });

    it("searches the first 32 words of a long query and says what it left out", async () => {
      const id = await save({ output: Array.from({ length: 32 }, (_, i) => `word${i}`).join(" ") });
      const found = await run(Array.from({ length: 40 }, (_, i) => `word${i}`).join(" "));
      expect(found.items.map((item) => item.id)).toEqual([id]);
      expect(found.reading?.notes[0]).toMatch(/left out: “word32 word33 .* word39”/);
    });
  });

  it("counts matches up to 1,000 and says when there are more", async () => {
    await saveMany(COUNT_LIMIT + 5, (i) => ({ output: i < 3 ? "rare many" : "many" }));
    const summary = async (text: string) => {
      const found = await run(text);
      return [found.count, found.countIsLimit];
    };
    expect(await summary("many")).toEqual([COUNT_LIMIT, true]);
    expect(await summary("rare")).toEqual([3, false]);
    expect(await summary("any")).toEqual([COUNT_LIMIT, true]);
    expect(await summary("")).toEqual([COUNT_LIMIT, true]);
    expect((await run("many", { offset: 1_000, limit: 10 })).items).toHaveLength(5);
    expect((await run("any", { offset: 995, limit: 10 })).items).toHaveLength(10);
  }, 60_000);

  // Past 200 rows (SQLite) or COUNT_LIMIT matches (Postgres) the store reads in list order instead of collecting matches.
  it.each([
    ["few", 0],
    ["many", 210],
  ])("gives the same answers when the filters leave %s rows", async (_, filler) => {
    const fillers = await saveMany(filler, () => ({ output: "filler", topic: "Billing", timestamp: "2020-01-01T00:00:00Z" }));
    for (const id of fillers) await repository.recordView(id, new Date("2020-01-01T00:00:00Z"));
    const word = await save({ output: "fund", topic: "Billing", timestamp: "2026-11-01T00:00:00Z" });
    const inside = await save({ output: "refund", topic: "Billing", timestamp: "2026-11-02T00:00:00Z" });
    const excluded = await save({ output: "fund paypal", topic: "Billing", timestamp: "2026-11-03T00:00:00Z" });
    await save({ output: "fund", topic: "Other", timestamp: "2026-11-04T00:00:00Z" });
    expect(await search("fund", { topic: "Billing" })).toEqual([excluded, word, inside]);
    expect(await search("fund -paypal", { topic: "Billing" })).toEqual([word, inside]);
    expect((await run("fund", { topic: "Billing" })).count).toBe(3);
    await repository.recordView(inside, new Date("2026-11-20T00:00:00Z"));
    await repository.recordView(excluded, new Date("2026-11-21T00:00:00Z"));
    await repository.recordView(word, new Date("2026-11-22T00:00:00Z"));
    const viewed = await run("fund -paypal", { topic: "Billing", sort: "viewed" });
    expect(viewed.items.map((item) => item.id)).toEqual([word, inside]);
    expect(viewed.items.map((item) => marked(item.snippet))).toEqual(["[fund]\n", "re[fund]\n"]);
    expect(await search("filler", { sort: "viewed", limit: 1 })).toHaveLength(filler ? 1 : 0);
  }, 60_000);

  it("pages through more matches than it counts, in list order, with filters and by last view", async () => {
    const ids = await saveMany(COUNT_LIMIT + 20, (i) => ({
      output: i % 2 ? "common word" : "common wordy",
      topic: i % 3 ? "Billing" : "Other",
      timestamp: new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString(),
    }));
    const newestFirst = [...ids].reverse();
    const wordy = newestFirst.filter((_, k) => (COUNT_LIMIT + 19 - k) % 2 === 0);
    const words = newestFirst.filter((_, k) => (COUNT_LIMIT + 19 - k) % 2 === 1);
    const first = await run("word", { limit: 5 });
    expect(first.items.map((item) => item.id)).toEqual(words.slice(0, 5));
    expect([first.count, first.countIsLimit, first.hasMore]).toEqual([COUNT_LIMIT, true, true]);
    // Past every whole-word match, the inside-word ones follow, newest first.
    expect(await search("word", { offset: words.length - 2, limit: 4 })).toEqual([...words.slice(-2), ...wordy.slice(0, 2)]);
    const billing = newestFirst.filter((id) => (ids.indexOf(id) % 3) !== 0);
    expect(await search("common", { topic: "Billing", offset: 600, limit: 3 })).toEqual(billing.slice(600, 603));
    for (const [k, id] of ids.slice(0, 30).entries()) await repository.recordView(id, new Date(Date.UTC(2026, 5, 1) + k * 1_000));
    expect(await search("common", { sort: "viewed", limit: 3 })).toEqual([ids[29], ids[28], ids[27]]);
  }, 120_000);

  it("filters full-text matches on the indexed fields", async () => {
    const billing = await save({ output: "refund", topic: "Billing", user: "ana@example.com" });
    await save({ output: "refund", topic: "Other", user: "ana@example.com" });
    await save({ output: "nonrefundable", topic: "Other" });
    const inside = await save({ output: "nonrefundable", topic: "Billing" });
    expect(await search("refund", { topic: "Billing" })).toEqual([billing, inside]);
    expect((await run("refund", { topic: "Billing" })).count).toBe(2);
    expect(await search("refund", { topic: "Billing", user: "ana@example.com" })).toEqual([billing]);
  });

  it("filters on the indexed fields and sorts by interaction time or last view", async () => {
    const older = await save({ topic: "Billing", sentiment: "negative", timestamp: "2026-11-01T10:00:00Z" });
    const newer = await save({ topic: "Billing", sentiment: "positive", timestamp: "2026-11-02T10:00:00Z" });
    await save({ topic: "Other", timestamp: "2026-11-03T10:00:00Z" });
    expect(await search("", { topic: "Billing" })).toEqual([newer, older]);
    expect(await search("", { topic: "Billing", sentiment: "negative" })).toEqual([older]);
    await repository.recordView(older, new Date("2026-11-26T10:00:00Z"));
    expect(await search("", { sort: "viewed" })).toEqual([older]);
    expect((await repository.recentlyViewed(5)).map((item) => item.id)).toEqual([older]);
  });

  it("pages with a has-more flag", async () => {
    for (let i = 0; i < 5; i++) await save({ output: "page me" });
    const first = await repository.search({ text: "page", sort: "time", limit: 2, offset: 0 });
    const last = await repository.search({ text: "page", sort: "time", limit: 2, offset: 4 });
    expect([first.items.length, first.hasMore]).toEqual([2, true]);
    expect([last.items.length, last.hasMore]).toEqual([1, false]);
  });

  it("lists short snippets, not whole bodies", async () => {
    await save({ user_query: "q".repeat(1_000), output: "o".repeat(5_000) });
    const [item] = (await repository.search({ sort: "time", limit: 1, offset: 0 })).items;
    expect(item.query).toHaveLength(TITLE_MAX);
    expect(item.output).toHaveLength(300);
  });

  it("offers the distinct topics, sentiments and feedback types as facets", async () => {
    await save({ topic: "B", sentiment: "positive", feedback_type: "explicit_positive" });
    await save({ topic: "A", sentiment: "positive" });
    await save({ topic: "a" });
    expect(await repository.facets()).toEqual({ topics: ["A", "B", "a"], sentiments: ["positive"], feedbackTypes: ["explicit_positive"] });
  });

  it("titles an interaction in lists exactly as its page does", async () => {
    const bodies = [
      { user_query: "What is my plan?", input: "ignored" },
      { user_query: "   ", input: "The input wins over a blank query" },
      { conversation: [{ input: "First turn's question", output: "answer" }, { input: "second" }] },
      { user_query: "", input: "", conversation: [{ input: "  padded  " }] },
      { user_query: " 東京リージョン 🙂 ok " },
    ];
    for (const fields of bodies) {
      const id = await save(fields);
      const listed = (await repository.search({ sort: "time", limit: 100, offset: 0 })).items.find((item) => item.id === id)!;
      const page = toInteractionView(interactionSchema.parse({ id, ...fields }));
      expect(listed.query).toBe(page.title);
    }
  });

  it("lists and searches rows whose text holds NUL, lone surrogates and marker characters", async () => {
    const id = newId();
    const rawJson = `{"id":"${id}","user_query":"nul\\u0000 here","output":"lone \\ud800 surrogate \\u0002marker\\u0003 hostile","user":"u\\u0000ser"}`;
    const interaction = interactionSchema.parse(JSON.parse(rawJson));
    expect(await repository.save(id, interaction, rawJson, new Date(), "default")).toMatchObject({ id });
    const listed = await repository.search({ sort: "time", limit: 10, offset: 0 });
    expect(listed.items.map((item) => item.id)).toEqual([id]);
    // SQLite's title stops at the NUL; Postgres' keeps the rest.
    expect(listed.items[0].query).toMatch(/^nul/);
    expect(listed.items[0].output?.startsWith("lone ")).toBe(true);
    const found = await run("hostile");
    expect(found.items.map((item) => item.id)).toEqual([id]);
    expect(marked(found.items[0].snippet)).toContain("[hostile]");
    expect(found.items[0].snippet!.map((part) => part.text).join("")).not.toMatch(/[\u0002\u0003]/);
  });

  it("stores and finds rows whose interaction time is absurdly far off", async () => {
    // Postgres keeps times of years 1 to 9999 (older or later ones are stored as undated); SQLite keeps any.
    const ancient = await save({ output: "timeless", timestamp: "-200000-01-01T00:00:00Z" });
    const future = await save({ output: "timeless", timestamp: "+200000-01-01T00:00:00Z" });
    const dated = await save({ output: "timeless", timestamp: "2026-01-01T00:00:00Z" });
    const found = await search("timeless");
    expect(found[0]).toBe(dated);
    expect(found.slice(1).sort()).toEqual([ancient, future].sort());
    expect((await repository.find(future))?.id).toBe(future);
  });
});

describe.each(testStores())("snapshots, forgetting and cached list pages (%s)", (dialect) => {
  beforeEach(async () => {
    store = await emptyStore(dialect);
    repository = createInteractionRepository(store);
  });

  it("stores, finds and replaces a snapshot with its indexed fields", async () => {
    const id = newId();
    const fetchedAt = new Date("2026-11-01T10:00:00.123Z");
    const saved = await saveAs(id, { output: "x", user: "ana", topic: "T", timestamp: "2026-10-01T00:00:00Z", conversation_id: "c1" }, "sales", fetchedAt);
    const expected = {
      id,
      fetchedAt,
      lastViewedAt: null,
      timestamp: new Date("2026-10-01T00:00:00Z"),
      user: "ana",
      topic: "T",
      sentiment: null,
      feedbackType: null,
      projectId: null,
      projectSlug: "sales",
      conversationId: "c1",
    };
    expect(saved).toMatchObject(expected);
    expect(await repository.find(id)).toMatchObject({ ...expected, rawJson: JSON.stringify({ id, output: "x", user: "ana", topic: "T", timestamp: "2026-10-01T00:00:00Z", conversation_id: "c1" }) });
    await saveAs(id, { output: "y", topic: "U" }, "sales", fetchedAt);
    expect(await repository.find(id)).toMatchObject({ topic: "U", user: null, timestamp: null });
    expect(await repository.find(newId())).toBeUndefined();
  });

  it("forgets: snapshot, search entry, Recently viewed place and list pages naming it, in any case", async () => {
    const id = await save({ output: "zebracorn answer" });
    const other = await save({ output: "zebracorn other" });
    await repository.recordView(id, new Date());
    await repository.saveList(`default:{"q":1}`, JSON.stringify({ data: [{ id: id.toUpperCase() }] }), new Date());
    await repository.saveList(`default:{"q":2}`, JSON.stringify({ data: [{ id: other }] }), new Date());
    const at = new Date("2026-11-30T10:00:00Z");
    expect(await repository.forget(id, at, "ana", "default")).toEqual({ snapshot: true, listPages: 1, revokedLinks: [], hadLinks: false });
    expect(await repository.find(id)).toBeUndefined();
    expect(await search("zebracorn")).toEqual([other]);
    expect(await search("bracor")).toEqual([other]);
    expect(await repository.recentlyViewed(5)).toEqual([]);
    expect(await repository.findList(`default:{"q":1}`)).toBeUndefined();
    expect(await repository.findList(`default:{"q":2}`)).toBeDefined();
    expect(await repository.forgotten(id)).toEqual({ id, forgottenAt: at, forgottenBy: "ana", projectSlug: "default" });
  });

  it("revokes the open share links to a forgotten interaction, and says which", async () => {
    const id = await save({ output: "shared" });
    await addLink("open-1", id);
    await addLink("done", id, new Date("2026-02-01T00:00:00Z"));
    const at = new Date("2026-11-30T10:00:00Z");
    expect(await repository.forget(id, at, null, "default")).toEqual({ snapshot: true, listPages: 0, revokedLinks: ["open-1"], hadLinks: true });
    expect(await linkRevokedAt("open-1")).toEqual(at);
    expect(await linkRevokedAt("done")).toEqual(new Date("2026-02-01T00:00:00Z"));
  });

  it("remembers nothing about an id nobody cached, and forgets again an id already forgotten", async () => {
    const unknown = newId();
    expect(await repository.forget(unknown, new Date(), "ana", null)).toBeNull();
    expect(await repository.forgotten(unknown)).toBeUndefined();
    const id = await save({ output: "x" });
    await repository.forget(id, new Date("2026-11-01T00:00:00Z"), "ana", "default");
    expect(await repository.forget(id, new Date("2026-11-02T00:00:00Z"), "bob", "default")).toEqual({ snapshot: false, listPages: 0, revokedLinks: [], hadLinks: false });
    expect(await repository.forgotten(id)).toMatchObject({ forgottenBy: "bob", forgottenAt: new Date("2026-11-02T00:00:00Z") });
  });

  it("stores nothing for a forgotten interaction until the mark is lifted", async () => {
    const id = await save({ output: "x" });
    await repository.forget(id, new Date(), null, "default");
    expect(await saveAs(id, { output: "again" })).toBeNull();
    expect(await repository.find(id)).toBeUndefined();
    await repository.unforget(id);
    expect(await repository.forgotten(id)).toBeUndefined();
    expect(await saveAs(id, { output: "again" })).toMatchObject({ id });
    expect(await search("again")).toEqual([id]);
  });

  it("never lets a fetch that raced a forget store the snapshot", async () => {
    const id = await save({ output: "racing" });
    const results = await Promise.all([repository.forget(id, new Date(), null, "default"), saveAs(id, { output: "racing again" })]);
    // Whichever came first, the interaction ends forgotten and not stored.
    expect(results[0]).not.toBeNull();
    expect(await repository.find(id)).toBeUndefined();
    expect(await search("racing")).toEqual([]);
  });

  it("lists snapshots unused since a cutoff, oldest fetch first, never one an unrevoked link points to", async () => {
    const cutoff = new Date("2026-06-01T00:00:00Z");
    const days = (n: number) => new Date(cutoff.getTime() + n * 86_400_000);
    const [oldest, old, viewedLater, fresh, linked, linkedRevoked] = Array.from({ length: 6 }, newId);
    await saveAs(old, { output: "a" }, "default", days(-10));
    await saveAs(oldest, { output: "a" }, "default", days(-20));
    await saveAs(viewedLater, { output: "a" }, "default", days(-30));
    await repository.recordView(viewedLater, days(1));
    await saveAs(fresh, { output: "a" }, "default", days(1));
    await saveAs(linked, { output: "a" }, "default", days(-40));
    await addLink("l1", linked);
    await saveAs(linkedRevoked, { output: "a" }, "default", days(-5));
    await addLink("l2", linkedRevoked, days(-1));
    expect(await repository.unusedSince(cutoff, 10)).toEqual([oldest, old, linkedRevoked]);
    expect(await repository.unusedSince(cutoff, 1)).toEqual([oldest]);
  });

  it("deletes snapshots in one transaction, refusing all if a link still needs one", async () => {
    const [a, b, c] = [await save({ output: "alpha" }), await save({ output: "beta" }), await save({ output: "gamma" })];
    expect(await repository.deleteSnapshots([a, newId()])).toBe(1);
    expect(await search("alpha")).toEqual([]);
    expect(await repository.deleteSnapshots([])).toBe(0);
    await addLink("keep", c);
    await expect(repository.deleteSnapshots([b, c])).rejects.toThrow();
    expect((await search("beta")).length + (await search("gamma")).length).toBe(2);
  });

  it("keeps cached list pages, replaces them, and deletes those fetched before a cutoff a batch at a time", async () => {
    const at = (day: number) => new Date(Date.UTC(2026, 10, day));
    await repository.saveList("k1", '{"v":1}', at(1));
    await repository.saveList("k1", '{"v":2}', at(2));
    expect(await repository.findList("k1")).toEqual({ key: "k1", responseJson: '{"v":2}', fetchedAt: at(2) });
    await repository.saveList("k2", "{}", at(3));
    await repository.saveList("k3", "{}", at(4));
    await repository.saveList("k4", "{}", at(20));
    expect(await repository.deleteListPagesBefore(at(10), 2)).toBe(2);
    expect(await repository.deleteListPagesBefore(at(10), 2)).toBe(1);
    expect(await repository.deleteListPagesBefore(at(10), 2)).toBe(0);
    expect(await repository.findList("k4")).toBeDefined();
  });

  it("tells which projects' cached list pages name an id", async () => {
    const id = newId();
    await repository.saveList(`sales:{"q":1}`, JSON.stringify({ data: [{ id: id.toUpperCase() }] }), new Date());
    await repository.saveList(`support:{"q":2}`, JSON.stringify({ data: [{ id }] }), new Date());
    await repository.saveList(`support:{"q":3}`, JSON.stringify({ data: [{ id }] }), new Date());
    await repository.saveList(`{"q":4}`, JSON.stringify({ data: [{ id }] }), new Date());
    await repository.saveList(`hr:{"q":5}`, JSON.stringify({ data: [{ id: `${id}0` }] }), new Date());
    expect((await repository.listedIn(id)).sort()).toEqual(["sales", "support"]);
    expect(await repository.listedIn(newId())).toEqual([]);
  });
});

describe.each(testStores())("rows of several projects (%s)", (dialect) => {
  beforeEach(async () => {
    store = await emptyStore(dialect);
    repository = createInteractionRepository(store);
  });

  async function saveIn(projectSlug: string, fields: Record<string, unknown>) {
    const id = `00000000-0000-4000-9000-${String(++n).padStart(12, "0")}`;
    await saveAs(id, fields, projectSlug);
    return id;
  }

  it("records the project each row was fetched with, and lists it", async () => {
    const id = await saveIn("sales", { output: "quote for ten seats", timestamp: "2026-11-01T00:00:00Z" });
    expect((await repository.find(id))?.projectSlug).toBe("sales");
    expect((await run("quote")).items.map((item) => [item.id, item.projectSlug])).toEqual([[id, "sales"]]);
  });

  it("searches only the projects asked for, with text and without", async () => {
    const support = await saveIn("support", { output: "refund issued", timestamp: "2026-11-01T00:00:00Z" });
    const sales = await saveIn("sales", { output: "refund policy for annual plans", timestamp: "2026-11-02T00:00:00Z" });
    const hr = await saveIn("hr", { output: "refund of travel expenses", timestamp: "2026-11-03T00:00:00Z" });
    expect(await search("refund")).toEqual([hr, sales, support]);
    expect(await search("refund", { projects: ["support", "sales"] })).toEqual([sales, support]);
    expect(await search("efun", { projects: ["hr"] })).toEqual([hr]);
    expect(await search("", { projects: ["sales"] })).toEqual([sales]);
    expect((await run("refund", { projects: ["sales"] })).count).toBe(1);
  });

  it("finds nothing for an empty list of projects (a viewer who may see none)", async () => {
    await saveIn("support", { output: "refund issued", timestamp: "2026-11-01T00:00:00Z" });
    expect(await run("refund", { projects: [] })).toMatchObject({ items: [], count: 0, hasMore: false });
    expect(await run("", { projects: [] })).toMatchObject({ items: [], count: 0, hasMore: false });
    expect(await run("-paypal", { projects: [] })).toMatchObject({ items: [], count: 0, hasMore: false });
    expect(await repository.recentlyViewed(10, [])).toEqual([]);
    expect(await repository.facets([])).toEqual({ topics: [], sentiments: [], feedbackTypes: [] });
  });

  it("shows in Recently viewed only the rows of the projects asked for", async () => {
    const support = await saveIn("support", { output: "a" });
    const sales = await saveIn("sales", { output: "b" });
    await repository.recordView(support, new Date("2026-11-01T00:00:00Z"));
    await repository.recordView(sales, new Date("2026-11-02T00:00:00Z"));
    expect((await repository.recentlyViewed(10)).map((item) => item.id)).toEqual([sales, support]);
    expect((await repository.recentlyViewed(10, ["support"])).map((item) => [item.id, item.projectSlug])).toEqual([[support, "support"]]);
  });

  it("offers as facets only the values of the projects asked for", async () => {
    await saveIn("support", { topic: "Billing", sentiment: "negative", feedback_type: "explicit_negative" });
    await saveIn("sales", { topic: "Pricing", sentiment: "positive" });
    expect(await repository.facets(["sales"])).toEqual({ topics: ["Pricing"], sentiments: ["positive"], feedbackTypes: [] });
    expect((await repository.facets()).topics).toEqual(["Billing", "Pricing"]);
  });

  it("tells whether some row belongs to a project no longer configured", async () => {
    expect(await repository.hasRowsOutside(["support"])).toBe(false);
    await saveIn("support", { output: "a" });
    await saveIn("retired", { output: "b" });
    expect(await repository.hasRowsOutside(["support", "retired"])).toBe(false);
    expect(await repository.hasRowsOutside(["support"])).toBe(true);
    expect(await repository.hasRowsOutside([])).toBe(true);
  });

  it("keeps the project of a forgotten interaction", async () => {
    const id = await saveIn("sales", { output: "a" });
    await repository.forget(id, new Date(), "ana", "sales");
    expect(await repository.forgotten(id)).toMatchObject({ projectSlug: "sales", forgottenBy: "ana" });
  });
});

describe("SQLite's own search machinery", () => {
  let db: SqliteDb;
  beforeEach(async () => {
    store = await openTestStore("sqlite");
    if (store.dialect !== "sqlite") throw new Error("unreachable");
    db = store.db;
    repository = createInteractionRepository(store);
  });

  it("looks up at most 512 trigrams for a pair, and says when a pair is too common to find inside words", async () => {
    const inside = await save({ output: Array.from({ length: 513 }, (_, i) => `的是${String.fromCodePoint(0x4e00 + i)}`).join(" ") });
    const whole = await save({ output: "这 的是 那" });
    const found = await run("的是");
    expect(found.items.map((item) => item.id)).toEqual([whole]);
    expect(found.reading?.notes).toEqual(["“的是” is too common to find inside longer words here, so only whole words match."]);
    // Three characters need no list of trigrams: still found inside words.
    const later = await save({ output: "的是一" });
    expect((await search("的是一")).sort()).toEqual([inside, later].sort());
  });

  it("lists two interactions of the same millisecond in the order they were cached, newest first", async () => {
    const first = await save({ output: "tied", timestamp: "2026-06-01T00:00:00Z" });
    const second = await save({ output: "tied", timestamp: "2026-06-01T00:00:00Z" });
    expect(await search("tied")).toEqual([second, first]);
  });

  it("keeps full-text keys in time order as rows are saved again", async () => {
    const id = await save({ output: "keyed", timestamp: "2026-01-01T00:00:00Z" });
    const before = db.$client.prepare<[string], { k: number }>("SELECT fts_rowid AS k FROM interactions WHERE id = ?").get(id)!.k;
    await saveAs(id, { output: "keyed", timestamp: "2026-02-01T00:00:00Z" });
    const after = db.$client.prepare<[string], { k: number }>("SELECT fts_rowid AS k FROM interactions WHERE id = ?").get(id)!.k;
    expect(after).toBeGreaterThan(before);
    await expectIndexesIntact();
  });
});
