import { describe, expect, it } from "vitest";
import { parseBrowseQuery } from "./browse-query";
import { interactionInList, listLinks, MAX_POSITION, parseListContext, parsePosition, serialiseListContext, type ListContext } from "./list-context";

const NOW = new Date("2026-11-26T10:00:30Z");
const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`;
const b64 = (text: string) => Buffer.from(text, "utf8").toString("base64url");

describe("list context", () => {
  it("keeps a browse list as fixed instants, so a shared link names the same batch tomorrow", () => {
    const query = parseBrowseQuery(new URLSearchParams("range=7d&topic=billing&project=support&limit=10&offset=20"), NOW);
    const list = serialiseListContext({ kind: "browse", query });
    expect(list).toMatch(/^b1\.[A-Za-z0-9_-]+$/);
    const later = parseListContext(list, new Date("2026-12-24T00:00:00Z"));
    expect(later).toMatchObject({ kind: "browse", query: { range: null, from: query.from, to: query.to, limit: 10, offset: 0, projects: ["support"] } });
    expect(later?.kind === "browse" && later.query.filters).toEqual([{ kind: "topic", values: ["billing"] }]);
  });

  it("round-trips a cached search, text with quotes, ampersands and non-Latin letters included", () => {
    const context: ListContext = { kind: "cached", search: { q: '"refund now" & 退款 -spam', topic: "billing", project: "sales" } };
    expect(parseListContext(serialiseListContext(context))).toEqual(context);
    expect(serialiseListContext({ kind: "cached", search: {} })).toBe("c1.");
    expect(parseListContext("c1.")).toEqual({ kind: "cached", search: {} });
  });

  it("keeps a cached search's label filters, each repeated as /cached repeats them", () => {
    const context: ListContext = { kind: "cached", search: { q: "refund", label: ["Billing", "Urgent & new"], "-label": ["Spam"] } };
    expect(parseListContext(serialiseListContext(context))).toEqual(context);
  });

  it("keeps a batch of ids compactly (16 bytes an id) and in order", () => {
    const ids = Array.from({ length: 25 }, (_, n) => id(n + 1));
    const list = serialiseListContext({ kind: "batch", source: "recent", ids });
    expect(list.length).toBeLessThan(560);
    expect(parseListContext(list)).toEqual({ kind: "batch", source: "recent", ids });
    expect(parseListContext(serialiseListContext({ kind: "batch", source: "cached-viewed", ids: ids.slice(0, 2) }))).toEqual({ kind: "batch", source: "cached-viewed", ids: ids.slice(0, 2) });
  });

  it("builds each row's address with its position in the whole list", () => {
    const rowHref = listLinks({ kind: "cached", search: { q: "refund" } }, 25);
    expect(rowHref(id(7), 0)).toBe(`/interactions/${id(7)}?list=${serialiseListContext({ kind: "cached", search: { q: "refund" } })}&at=26`);
    expect(interactionInList(id(1), "c1.", 3)).toBe(`/interactions/${id(1)}?list=c1.&at=3`);
  });

  describe("hostile or malformed input reads as no list", () => {
    const cases: [string, string][] = [
      ["empty", ""],
      ["an unknown kind", `x1.${b64("q=a")}`],
      ["an unknown version", `c2.${b64("q=a")}`],
      ["no separator", "c1"],
      ["characters outside base64url", "c1.cT1h+/=="],
      ["base64 that does not round-trip (padding junk)", `c1.${b64("q=a")}=`],
      ["an unknown cached parameter", `c1.${b64("q=a&admin=1")}`],
      ["a repeated cached parameter", `c1.${b64("q=a&q=b")}`],
      ["more label filters than /cached reads", `c1.${b64(Array.from({ length: 21 }, (_, n) => `label=l${n}`).join("&"))}`],
      ["an empty label filter", `c1.${b64("label=")}`],
      ["an over-long cached value", `c1.${b64(`topic=${"x".repeat(501)}`)}`],
      ["invalid UTF-8", `c1.${Buffer.from([0x71, 0x3d, 0xff, 0xfe]).toString("base64url")}`],
      ["a browse query Browse itself refuses", `b1.${b64("from=2026-02-30&to=2026-03-02")}`],
      ["a browse query with an unknown parameter", `b1.${b64("range=7d&drop=table")}`],
      ["a browse query carrying its own offset", `b1.${b64("range=7d&offset=50")}`],
      ["a batch that is not whole ids", `r1.${Buffer.alloc(17).toString("base64url")}`],
      ["an empty batch", "r1."],
      ["a batch longer than a page", `r1.${Buffer.alloc(16 * 26, 1).toString("base64url")}`],
      ["a very long value", `c1.${"A".repeat(200_000)}`],
      ["script", "<script>alert(1)</script>"],
    ];
    it.each(cases)("%s", (_, value) => {
      expect(parseListContext(value, NOW)).toBeNull();
    });

    it("takes bounded time on a megabyte of input", () => {
      const started = performance.now();
      for (let n = 0; n < 100; n++) parseListContext(`b1.${"A".repeat(1_000_000)}`, NOW);
      expect(performance.now() - started).toBeLessThan(1_000);
    });

    it("drops a repeated id from a batch rather than listing it twice", () => {
      const list = `r1.${Buffer.concat([Buffer.from(id(1).replace(/-/g, ""), "hex"), Buffer.from(id(1).replace(/-/g, ""), "hex")]).toString("base64url")}`;
      expect(parseListContext(list)).toEqual({ kind: "batch", source: "recent", ids: [id(1)] });
    });
  });

  it("reads a position only as a plain whole number from 1 to the maximum", () => {
    expect(parsePosition("12")).toBe(12);
    expect(parsePosition(String(MAX_POSITION))).toBe(MAX_POSITION);
    for (const bad of [undefined, null, "", "0", "-3", "01", "1.5", "1e3", " 3", "3 ", "99999999", String(MAX_POSITION + 1), "NaN", "Infinity"]) {
      expect(parsePosition(bad)).toBeNull();
    }
  });
});
