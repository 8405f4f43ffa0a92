import { describe, expect, it } from "vitest";
import { MATCH_CLOSE as C, MATCH_OPEN as O, snippetParts, type SnippetPart } from "./search-snippet";

const show = (parts: SnippetPart[]) => parts.map((part) => (part.match ? `[${part.text}]` : part.text)).join("");

describe("snippetParts", () => {
  it("keeps the index's marks when the words do not occur as typed", () => {
    expect(show(snippetParts(`…a ${O}double${C} charge…`, []))).toBe("…a [double] charge…");
  });

  it("marks exactly the searched text, not the whole word or trigram the index marked", () => {
    expect(show(snippetParts(`可以开具增值税${O}专用发${C}票吗？`, ["专用"]))).toBe("可以开具增值税[专用]发票吗？");
    expect(show(snippetParts(`I started a ${O}refunded${C} order`, ["refund"]))).toBe("I started a [refund]ed order");
  });

  it("compares as the index does: case and accents folded", () => {
    expect(show(snippetParts(`Le ${O}CAFÉ${C} et le café`, ["cafe"]))).toBe("Le [CAFÉ] et le [café]");
    expect(show(snippetParts("İstanbul straße", ["istanbul", "STRASSE"]))).toBe("[İstanbul] straße");
  });

  it("merges overlapping matches and keeps marks of words matched at their start only", () => {
    expect(show(snippetParts("aaaa", ["aa", "aaa"]))).toBe("[aaaa]");
    expect(show(snippetParts(`${O}plan${C} b and ${O}budget${C}`, ["plan"]))).toBe("[plan] b and [budget]");
  });

  it("returns text as data: markup and unmatched markers stay plain text", () => {
    const parts = snippetParts(`<img src=x onerror=alert(1)> ${O}<b>${C}${C}${O}`, []);
    expect(parts).toEqual([
      { text: "<img src=x onerror=alert(1)> ", match: false },
      { text: "<b>", match: true },
    ]);
  });

  it("handles characters outside the BMP without splitting them", () => {
    expect(show(snippetParts("𠮷野家の𠮷野", ["𠮷野"]))).toBe("[𠮷野]家の[𠮷野]");
  });
});
