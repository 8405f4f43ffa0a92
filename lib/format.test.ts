import { describe, expect, it } from "vitest";
import { formatCost, formatLatency, formatRelative, markdownToSnippetText, parseTimestamp, truncateText } from "./format";

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
  });
});
