import { sql } from "drizzle-orm";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { PostgresDb } from "@/db/client";
import { interactionSchema } from "@/lib/nebuly/schemas";
import { openTestStore, testStores } from "@/test/stores";
import { createInteractionRepository, type CachedSearchQuery, type InteractionRepository } from "./repository";
import { foldText, isPairText, searchPairsOf, SEARCH_WORDS_CHARS } from "./repository.postgres";
import { foldLikeIndex, substringForm } from "./search-text";

/*
 * What only the Postgres store does: its folding and pair columns, the tsvector size limit, JSON
 * Postgres cannot read, and that searches can use its GIN indexes. Behaviour shared with SQLite is
 * tested in repository.test.ts.
 */

describe("folding and pairs", () => {
  it("folds one character for one character, as the SQLite trigram index folds", () => {
    for (const text of ["Café ÉCOUTE", "Über-Straße", "İstanbul", "ΣΊΣΥΦΟΣ", "東京リージョン", "ǅ ﬁ 🙂 𠀀", "\ud800 lone"]) {
      const folded = foldText(text);
      expect(Array.from(folded)).toHaveLength(Array.from(text).length);
      // Where SQLite's folding keeps one character per character, they agree.
      if (Array.from(foldLikeIndex(text)).length === Array.from(text).length && !/\p{Cs}/u.test(text)) expect(folded).toBe(foldLikeIndex(text));
    }
    expect(foldText("Café ÉCOUTE")).toBe("cafe ecoute");
  });

  it("reads pairs exactly as substringForm does", () => {
    for (const pair of ["退款", "税1", "a税", "ab", "a ", "東京", "リー", "한국", "ไท", "ab税", "税", "é税"]) {
      expect(isPairText(pair)).toBe(substringForm({ text: pair, phrase: false }).kind === "pair");
    }
  });

  it("lists each two-character sequence a pair search can ask for, once", () => {
    expect(searchPairsOf(foldText("请求\n退款退款。OK税a"))).toEqual(["请求", "退款", "款退", "k税", "税a"]);
  });
});

describe.runIf(testStores().includes("postgres"))("the Postgres store", () => {
  let db: PostgresDb;
  let repository: InteractionRepository;
  let n = 0;

  beforeAll(async () => {
    const store = await openTestStore("postgres");
    if (store.dialect !== "postgres") throw new Error("a Postgres store was asked for");
    db = store.db;
    repository = createInteractionRepository(store);
  });

  beforeEach(async () => {
    await db.execute(sql`DELETE FROM share_links; DELETE FROM interactions; DELETE FROM list_cache; DELETE FROM forgotten_interactions`);
  });

  const newId = () => `00000000-0000-4000-a000-${String(++n).padStart(12, "0")}`;
  async function save(fields: Record<string, unknown>, rawJson?: string) {
    const id = newId();
    const body = { id, ...fields };
    await repository.save(id, interactionSchema.parse(rawJson ? JSON.parse(rawJson) : body), rawJson ?? JSON.stringify(body), new Date(), "default");
    return id;
  }
  const run = (text: string, extra: Partial<CachedSearchQuery> = {}) => repository.search({ text, sort: "time", limit: 25, offset: 0, ...extra });
  const search = async (text: string) => (await run(text)).items.map((item) => item.id);

  it("finds a pair inside words however common it is, and says nothing about it", async () => {
    const inside = await save({ output: Array.from({ length: 513 }, (_, i) => `的是${String.fromCodePoint(0x4e00 + i)}`).join(" ") });
    const whole = await save({ output: "这 的是 那" });
    const found = await run("的是");
    expect(found.items.map((item) => item.id)).toEqual([whole, inside]);
    expect(found.reading?.notes).toEqual([]);
  });

  it("saves a body too large for a tsvector; searches its first 262,144 characters (past the word index, inside words), not beyond", async () => {
    // ~1.6 MB of distinct words: its tsvector would pass Postgres' 1 MB limit, and indexing all of
    // it by trigrams cost seconds per save (an attack review's finding).
    const words = Array.from({ length: 150_000 }, (_, i) => `w${i.toString(36)}x`).join(" ");
    const id = await save({ output: `${words.slice(0, 200_000)} midneedle ${words.slice(200_000)} finalneedle` });
    expect(words.length).toBeGreaterThan(SEARCH_WORDS_CHARS);
    expect(await search("midneedle")).toEqual([id]);
    expect(await search("w0x")).toEqual([id]);
    expect(await search("finalneedle")).toEqual([]);
    const [early] = (await run("w0x")).items;
    expect(early.snippet?.[0]).toEqual({ text: "w0x", match: true });
  }, 30_000);

  it("lists rows whose JSON jsonb refuses (NUL escapes, numbers past numeric's range) with their titles", async () => {
    const id1 = newId();
    const nul = `{"id":"${id1}","user_query":"  first\\u0000 question ","output":"answer one"}`;
    await repository.save(id1, interactionSchema.parse(JSON.parse(nul)), nul, new Date(), "default");
    const id2 = newId();
    const huge = `{"id":"${id2}","input":"second question","output":"answer two","cost":1e999999}`;
    await repository.save(id2, interactionSchema.parse(JSON.parse(huge)), huge, new Date(), "default");
    const id3 = newId();
    // Read in TypeScript: spaces a regular expression would backtrack over for seconds.
    const spaced = JSON.stringify({ id: id3, user_query: `a${" ".repeat(200_000)}b${" ".repeat(10)}`, output: "answer \u0000 spaced" });
    await repository.save(id3, interactionSchema.parse(JSON.parse(spaced)), spaced, new Date(), "default");
    const plain = await save({ user_query: "third question", output: "answer three" });
    const listed = await repository.search({ sort: "time", limit: 10, offset: 0 });
    const byId = new Map(listed.items.map((item) => [item.id, item]));
    expect(byId.get(id1)).toMatchObject({ query: "first\u0000 question", output: "answer one" });
    expect(byId.get(id2)).toMatchObject({ query: "second question", output: "answer two" });
    expect(byId.get(plain)).toMatchObject({ query: "third question", output: "answer three" });
    expect(byId.get(id3)?.query).toBe(`a${" ".repeat(139)}`);
    expect((await run("answer")).items).toHaveLength(4);
  });

  it("stores NUL in indexed fields as U+FFFD instead of failing", async () => {
    const id = await save({ output: "x", user: "a\u0000b", topic: "t\u0000" });
    expect(await repository.find(id)).toMatchObject({ user: "a\ufffdb", topic: "t\ufffd" });
  });

  describe("index use", () => {
    // Whether each condition can be answered from its GIN index (the planner's choice on real data is the bench's concern).
    async function plan(query: string, params: unknown[]): Promise<string> {
      const client = await db.$client.connect();
      try {
        await client.query("BEGIN");
        await client.query("SET LOCAL enable_seqscan = off");
        const result = await client.query<{ "QUERY PLAN": string }>(`EXPLAIN ${query}`, params);
        await client.query("ROLLBACK");
        return result.rows.map((row) => row["QUERY PLAN"]).join("\n");
      } finally {
        client.release();
      }
    }

    it("answers words, text inside words and pairs from the GIN indexes", async () => {
      await save({ output: "refund 退款" });
      expect(await plan("SELECT id FROM interactions AS i WHERE i.search_words @@ $1::tsquery", ["'refund'"])).toContain("interactions_search_words_idx");
      expect(await plan("SELECT id FROM interactions AS i WHERE i.search_folded LIKE $1", ["%efun%"])).toContain("interactions_search_trigram_idx");
      expect(await plan("SELECT id FROM interactions AS i WHERE i.search_pairs @> ARRAY[$1]::text[]", ["退款"])).toContain("interactions_search_pairs_idx");
    });
  });
});
