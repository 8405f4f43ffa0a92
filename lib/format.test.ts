import { describe, expect, it } from "vitest";
import { countOf, formatCost, formatLatency, formatRelative, markdownToSnippetText, parseTimestamp, truncateText } from "./format";

describe("formatting", () => {
  it("shows latency in human units", () => {
    expect([formatLatency(0.25), formatLatency(2.5), formatLatency(75), formatLatency(null)]).toEqual(["250 ms", "2.50 s", "1 min 15 s", null]);
  });

  it("formats tiny and ordinary costs as currency", () => {
    expect([formatCost(0.00069), formatCost(1.5), formatCost(null)]).toEqual(["$0.00069", "$1.50", null]);
  });

  it("says how long ago in words", () => {
    const now = new Date("2026-11-26T10:00:00Z");
    expect(formatRelative(new Date("2026-11-26T07:00:00Z"), now)).toBe("3 hr. ago");
  });

  it("reads timestamps without a zone as UTC", () => {
    expect(parseTimestamp("2026-11-20T10:00:00")?.toISOString()).toBe("2026-11-20T10:00:00.000Z");
    expect(parseTimestamp("not a date")).toBeNull();
  });

  it("cuts text to one line with an ellipsis", () => {
    expect(truncateText("a\n b   c", 10)).toBe("a b c");
    expect(truncateText("abcdefghijk", 5)).toBe("abcd…");
  });

  it("turns Markdown into plain snippet text", () => {
    expect(markdownToSnippetText("Done — a refund of **€40.00** to `card` and [the guide](https://x.example).")).toBe(
      "Done — a refund of €40.00 to card and the guide.",
    );
    expect(markdownToSnippetText("# Title\n\n- one\n- two")).toBe("Title\n\none\ntwo");
    expect(markdownToSnippetText("| | Team | Pro |\n|---|---:|---:|\n| Price | €8 | €20 |")).not.toContain("---");
    expect(markdownToSnippetText("> quoted *word* and ![chart](https://x.example/c.png)\n1. [ ] task")).toBe("quoted word and chart\ntask");
  });

  it("keeps a snippet readable after leading whitespace and cuts without splitting a character", () => {
    expect(truncateText(`${" \n".repeat(500)}hello   world`, 20)).toBe("hello world");
    expect(truncateText(`${"a".repeat(8)}😀😀`, 10)).toBe("aaaaaaaa…");
  });
});

/** Shapes that made the old regexes backtrack quadratically, at 40 KB and more. */
const HOSTILE_TEXT: Record<string, string> = {
  "whitespace": " ".repeat(200_000),
  "tabs and spaces": " \t".repeat(40_000),
  "whitespace lines": "   \n".repeat(20_000),
  "image openers": "![".repeat(40_000),
  "link openers": "[a](".repeat(20_000),
  "open brackets": "[".repeat(80_000),
  "pipes and spaces": "| ".repeat(40_000),
  "spaces then a pipe-less table rule": `${" ".repeat(60_000)}-`,
  "table rule without a pipe": "-:".repeat(40_000),
  "emphasis openers": " *a".repeat(30_000),
  "underscores": " _a b".repeat(20_000),
  "digits": "1".repeat(80_000),
  "fences": "```".repeat(30_000),
  "words": "word ".repeat(40_000),
};

describe("snippets and titles of hostile text", () => {
  it.each(Object.entries(HOSTILE_TEXT))("stay fast on %s", (_name, text) => {
    // CPU time, not wall time, so other work on a shared machine cannot fail this.
    const started = process.cpuUsage();
    const snippet = truncateText(markdownToSnippetText(text), 220);
    const title = truncateText(text, 140);
    const used = process.cpuUsage(started);
    expect((used.user + used.system) / 1_000).toBeLessThan(50);
    expect(snippet.length).toBeLessThanOrEqual(220);
    expect(title.length).toBeLessThanOrEqual(140);
  });

  it("reads a table as sentences, each value named by its column", () => {
    const table = "Compare:\n\n| | Team | Pro |\n|---|---:|---:|\n| Price | €8 | €20 |\n| Spend caps | — | ✓ |\n\nPick one.";
    expect(truncateText(markdownToSnippetText(table), 500)).toBe("Compare: Price: Team €8, Pro €20; Spend caps: Team —, Pro ✓. Pick one.");
    expect(markdownToSnippetText("| Item | Total |\n| :-- | --: |\n| **Seats** | **€240** |\n| Tax | |")).toBe("Seats: Total €240; Tax.");
    expect(markdownToSnippetText("Item | Total\n--- | ---\nSeats | €240")).toBe("Seats: Total €240.");
  });

  it("never leaves pipes or empty cells from a table, even one cut short", () => {
    const snippet = markdownToSnippetText("| | Team | Pro |\n|---|---:|---:|\n| | €8 | |");
    expect(snippet).toBe("Team €8.");
    expect(markdownToSnippetText("Plans:\n| | Team | Pro |\n| Price | €8 | €2")).toBe("Plans:\nTeam, Pro\nPrice, €8, €2");
    expect(markdownToSnippetText("| only | header |\n|---|---|")).toBe("only, header");
    expect(markdownToSnippetText("a | b in prose")).toBe("a | b in prose");
    expect(markdownToSnippetText("| a \\| b | c |\n|---|---|\n| x | y |")).toBe("x: c y.");
    expect(markdownToSnippetText("| a | b |\r\n|---|---|\r\n| x | y |\r\n")).toBe("x: b y.\n");
  });

  it("reads hostile tables in linear time", () => {
    for (const hostile of ["|".repeat(100_000) + "x", "| " + "-|".repeat(50_000) + "x", ("|a|\n|-|\n").repeat(20_000), "\\|".repeat(50_000)]) {
      const started = performance.now();
      markdownToSnippetText(hostile);
      expect(performance.now() - started).toBeLessThan(1_000);
    }
  });
});

describe("countOf", () => {
  it("says one thing in the singular and every other count in the plural, with thousands separated", () => {
    expect(countOf(1, "interaction")).toBe("1 interaction");
    expect(countOf(0, "interaction")).toBe("0 interactions");
    expect(countOf(1234, "interaction")).toBe("1,234 interactions");
    expect(countOf(2, "match", "matches")).toBe("2 matches");
  });
});
