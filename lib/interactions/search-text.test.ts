import { describe, expect, it } from "vitest";
import { interactionSchema } from "@/lib/nebuly/schemas";
import {
  foldLikeIndex,
  MAX_SEARCH_CHARS,
  MAX_SEARCH_ITEMS,
  parseSearch,
  searchableText,
  shortItemNotes,
  substringForm,
  wordsQuery,
  type SearchItem,
} from "./search-text";
import { timeBudget } from "@/test/time-budget";

const word = (text: string): SearchItem => ({ text, phrase: false });
const phrase = (text: string): SearchItem => ({ text, phrase: true });

describe("parseSearch", () => {
  it.each([
    ["refund", [[word("refund")]], []],
    ["double charge", [[word("double")], [word("charge")]], []],
    ['"double charge" refund', [[phrase("double charge")], [word("refund")]], []],
    ["refund OR chargeback invoice", [[word("refund"), word("chargeback")], [word("invoice")]], []],
    ["a OR b OR c", [[word("a"), word("b"), word("c")]], []],
    ["refund -paypal NOT stripe", [[word("refund")]], [word("paypal"), word("stripe")]],
    ['refund -"double charge"', [[word("refund")]], [phrase("double charge")]],
    ["refund AND invoice", [[word("refund")], [word("invoice")]], []],
    ["cats or dogs and not birds", [[word("cats")], [word("or")], [word("dogs")], [word("and")], [word("not")], [word("birds")]], []],
    ['"unbalanced phrase', [[phrase("unbalanced phrase")]], []],
    ["“smart quotes”", [[phrase("smart quotes")]], []],
    ['"  spaced \n  out  "', [[phrase("spaced out")]], []],
    ["(refund), refund? *star", [[word("refund")], [word("refund")], [word("star")]], []],
    ["e-mail NEAR(a b)", [[word("e-mail")], [word("NEAR(a")], [word("b")]], []],
    ["--twice", [], [word("twice")]],
    ["增值税 专用", [[word("增值税")], [word("专用")]], []],
    ["請求書の再発行　ご利用", [[word("請求書の再発行")], [word("ご利用")]], []],
    ["refund 退款 払い戻し", [[word("refund")], [word("退款")], [word("払い戻し")]], []],
  ])("reads %j", (typed, groups, excluded) => {
    const parsed = parseSearch(typed);
    expect(parsed.groups).toEqual(groups);
    expect(parsed.excluded).toEqual(excluded);
  });

  it.each(['"', '""', '"*"', "*", "-", "- -- ---", "🙂", "🙂 👍", "^", ")", "((", "OR", "NOT", "AND", "\u0000", "   "])(
    "finds nothing to search for in %j",
    (typed) => {
      const parsed = parseSearch(typed);
      expect(parsed.groups).toEqual([]);
      expect(parsed.excluded).toEqual([]);
    },
  );

  it("says what it left out or skipped", () => {
    expect(parseSearch("refund *").notes).toEqual(["Left out “*”: only letters and digits are searched."]);
    expect(parseSearch("OR refund").notes).toEqual(["OR needs a word or phrase on each side; it was skipped."]);
    expect(parseSearch("refund OR").notes).toEqual(["OR needs a word or phrase on each side; it was skipped."]);
    expect(parseSearch("refund OR -paypal").notes).toEqual(["OR cannot join a word that is left out; it was skipped."]);
    expect(parseSearch("refund NOT").notes).toEqual(["Nothing followed NOT; it was skipped."]);
    expect(parseSearch("refund OR -paypal").groups).toEqual([[word("refund")]]);
  });

  it("searches the first 32 words and phrases and names the rest", () => {
    const words = Array.from({ length: 40 }, (_, i) => `w${i}`);
    const parsed = parseSearch(words.join(" "));
    expect(parsed.groups.flat()).toHaveLength(MAX_SEARCH_ITEMS);
    expect(parsed.groups.at(-1)).toEqual([word("w31")]);
    expect(parsed.notes).toEqual([`Only the first 32 words and phrases, up to 1,000 characters, are searched; left out: “${words.slice(32).join(" ")}”.`]);
  });

  it("reads the first 1,000 characters and names the rest", () => {
    const typed = `${"x".repeat(MAX_SEARCH_CHARS - 4)} abc defgh`;
    const parsed = parseSearch(typed);
    expect(parsed.groups).toEqual([[word("x".repeat(MAX_SEARCH_CHARS - 4))], [word("abc")]]);
    expect(parsed.notes[0]).toMatch(/left out: “defgh”\.$/);
  });

  it("reads hostile input in linear time", () => {
    const typed = ['"'.repeat(200_000), "-".repeat(200_000), "a OR ".repeat(50_000), "NOT ".repeat(50_000), "(".repeat(200_000)];
    const start = performance.now();
    for (const text of typed) parseSearch(text);
    expect(performance.now() - start).toBeLessThan(timeBudget(1_000));
  });
});

describe("FTS5 queries built from typed text", () => {
  // What is left of a query once every quoted string is removed must be operators we wrote.
  const syntaxOnly = (query: string) => query.replace(/"(?:[^"]|"")*"/g, "S");

  it.each(['"*"', 'NEAR( "a', ")", "^x", 'a"b', 'x"" OR ""y', "col:val", "a AND (b", "-x NOT y", "'; DROP TABLE interactions; --", "\\\"", "*:*"])(
    "keeps %j inside quoted strings",
    (typed) => {
      const parsed = parseSearch(typed);
      if (parsed.groups.length === 0) return;
      expect(syntaxOnly(wordsQuery(parsed.groups))).toMatch(/^\(S\*?(?: OR S\*?)*\)(?: AND \(S\*?(?: OR S\*?)*\))*$/);
    },
  );

  it("matches whole words and exact phrases, short words as prefixes, doubling quotes", () => {
    expect(wordsQuery([[word("refund"), phrase("double charge")], [word('say"hi')]])).toBe('("refund" OR "double charge") AND ("say""hi")');
    expect(wordsQuery([[word("in")], [word("a")], [word("专用")], [phrase("in")]])).toBe('("in"*) AND ("a"*) AND ("专用") AND ("in")');
  });

  it.each([
    ["增值税", { kind: "literal", query: '"增值税"' }],
    ["fund", { kind: "literal", query: '"fund"' }],
    ["a b", { kind: "literal", query: '"a b"' }],
    ["专用", { kind: "pair", prefix: "专用" }],
    ["移行", { kind: "pair", prefix: "移行" }],
    ["ＡＢ", { kind: "words-only" }],
    ["Ａ用", { kind: "pair", prefix: "ａ用" }],
    ["in", { kind: "words-only" }],
    ["税", { kind: "words-only" }],
  ])("finds %j inside words as %j", (text, form) => {
    expect(substringForm(word(text))).toEqual(form);
  });

  it("folds like the trigram index: case, and accents on Latin letters only", () => {
    expect(foldLikeIndex("CAFÉ Ǆ ΣΑΣ")).toBe("cafe ǆ σασ");
    expect(foldLikeIndex("ガが한국")).toBe("ガが한국");
  });

  it("explains short and too common words", () => {
    expect(shortItemNotes([word("a"), word("in"), word("refund")], [])).toEqual(["“a”, “in” are too short to find inside longer words, so words starting with them match."]);
    expect(shortItemNotes([phrase("ok"), word("x")], [])).toEqual([
      "“x” is too short to find inside longer words, so words starting with it match.",
      "“ok” is too short to find inside longer words, so only whole words match.",
    ]);
    expect(shortItemNotes([word("的是")], [word("的是")])).toEqual(["“的是” is too common to find inside longer words here, so only whole words match."]);
  });
});

describe("searchableText", () => {
  it("joins the query and every turn, each text once, ends with a line break and drops control characters", () => {
    const interaction = interactionSchema.parse({
      id: "00000000-0000-4000-8000-000000000001",
      user_query: "why\u0002<b>",
      conversation: [{ input: "one\u0003", output: "two\tthree" }, { input: "", output: "four" }, { input: "why\u0002<b>", output: "four" }],
    });
    expect(searchableText(interaction)).toBe("why <b>\none \ntwo\tthree\nfour\n");
  });
});
